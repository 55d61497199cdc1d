// torch.nn and its submodules (torch.nn.modules.*, torch.nn.parameter, torch.nn.utils): the layer
// classes, containers and Parameter; Transformer layers come from the engine's own Python source
// (prelude.ts), interpreted on first use.
import { Builtin, LazyRef, PyClass } from '../../interp/values';
import { TensorV } from '../tensor';
import { markBuffer } from '../runtime';
import type { TorchRuntime } from '../runtime';
import { TRANSFORMER_PATH, TRANSFORMER_SOURCE } from '../prelude';
import { normReparamFns } from '../normReparam';
import type { Members } from './common';
import type { NamespaceLookup } from './registry';

/** torch.nn.modules.<sub> for these subs: each holds every layer class, as the real ones re-export. */
export const NN_SUBMODULES = [
  'conv', 'linear', 'batchnorm', 'normalization', 'activation', 'pooling', 'dropout', 'container', 'module', 'flatten',
  'padding', 'upsampling', 'pixelshuffle', 'instancenorm', 'sparse', 'channelshuffle',
];

const TRANSFORMERS = ['Transformer', 'TransformerEncoder', 'TransformerDecoder', 'TransformerEncoderLayer', 'TransformerDecoderLayer'];

/** Module, Parameter and every class of the runtime (containers, private bases, layers). */
export function nnClasses(rt: TorchRuntime): Members {
  // NOTE: the same members for torch.nn and each of its 17 submodules: built once per runtime (each
  // namespace copies them into its own scope)
  const built = classMembers.get(rt);
  if (built && built.count === rt.classes.size) return built.members;
  const classes = Object.fromEntries([...rt.classes].filter(([k]) => k !== 'Size'));
  const members = { Module: rt.Module, Parameter: rt.it.types.get('Parameter')!, ...classes };
  classMembers.set(rt, { count: rt.classes.size, members });
  return members;
}
const classMembers = new WeakMap<TorchRuntime, { count: number; members: Members }>();

export function nnModules(rt: TorchRuntime, ns: NamespaceLookup): Members {
  return { ...nnClasses(rt), ...Object.fromEntries(NN_SUBMODULES.map((sub) => [sub, ns(`torch.nn.modules.${sub}`)])) };
}

export function nnParameter(rt: TorchRuntime): Members {
  const Parameter = rt.it.types.get('Parameter')!;
  return { Parameter, UninitializedParameter: Parameter };
}

export function nnUtils(rt: TorchRuntime, ns: NamespaceLookup): Members {
  return {
    parametrize: ns('torch.nn.utils.parametrize'), parametrizations: ns('torch.nn.utils.parametrizations'),
    ...normReparamFns(rt),
  };
}

/** nn.Buffer (2.5+): a tensor that a module attribute assignment registers as a buffer. */
function bufferClass(rt: TorchRuntime): PyClass {
  const Buffer = new PyClass('Buffer', [rt.it.types.get('Tensor')!], 'torch.nn');
  Buffer.dict.set('__new__', new Builtin('Buffer.__new__', (a, kw) => {
    const data = a[1] ?? kw.get('data') ?? null;
    const t = data instanceof TensorV ? data : rt.tensor([]);
    markBuffer(t, kw.get('persistent') !== false);
    return t;
  }));
  return Buffer;
}

export function nn(rt: TorchRuntime, ns: NamespaceLookup): Members {
  const it = rt.it;
  it.virtualFiles.set(TRANSFORMER_PATH, TRANSFORMER_SOURCE);
  const transformer = (name: string): LazyRef => new LazyRef(() => it.getAttr(it.execFile(TRANSFORMER_PATH, 'torch.nn.modules.transformer')!, name, {}));
  return {
    ...nnClasses(rt), ...Object.fromEntries(TRANSFORMERS.map((n) => [n, transformer(n)])),
    functional: ns('torch.nn.functional'), init: ns('torch.nn.init'), modules: ns('torch.nn.modules'),
    parameter: ns('torch.nn.parameter'), utils: ns('torch.nn.utils'), attention: ns('torch.nn.attention'), Parameter: it.types.get('Parameter')!, Module: rt.Module,
    Buffer: bufferClass(rt),
  };
}
