// The torch namespaces the interpreter models, one file each, registered in dependency order (a
// namespace may hold the ones listed before it: torch.nn holds torch.nn.functional). Adding one: its
// file and one line here. A name a namespace lacks is Unknown with an info diagnostic, never a guess.
import { Builtin, PyException, Unknown, type PyModule } from '../../interp/values';
import { nativeModule } from '../../interp/stdlib/native';
import type { TorchRuntime } from '../runtime';
import type { Members } from './common';
import { installClasses } from './classes';
import { installTensorMethods } from './tensorMethods';
import { functional } from './functional';
import { init } from './init';
import { NN_SUBMODULES, nn, nnClasses, nnModules, nnParameter, nnUtils } from './nn';
import { fx, jit } from './jit';
import { checkpoint, hub, utils } from './utils';
import { torch } from './torch';

export type NamespaceLookup = (name: string) => PyModule;
/** A namespace's members, given the runtime and the namespaces registered before it. */
export type Namespace = (rt: TorchRuntime, ns: NamespaceLookup) => Members;

const NAMESPACES: Array<[string, Namespace]> = [
  ['torch.nn.functional', functional],
  ['torch.nn.init', init],
  ...NN_SUBMODULES.map((sub): [string, Namespace] => [`torch.nn.modules.${sub}`, nnClasses]),
  ['torch.nn.modules', nnModules],
  ['torch.nn.parameter', nnParameter],
  ['torch.nn.utils', nnUtils],
  ['torch.nn', nn],
  ['torch.jit', jit],
  ['torch.fx', fx],
  ['torch.utils.checkpoint', checkpoint],
  ['torch.hub', hub],
  ['torch.utils', utils],
  ['torch', torch],
];

export function installTorch(rt: TorchRuntime): void {
  const it = rt.it;
  installClasses(rt);
  const ns: NamespaceLookup = (name) => {
    const m = it.nativeModules.get(name);
    if (!m || typeof m === 'function') throw new Error(`torch namespace ${name} used before it is registered`);
    return m;
  };
  for (const [name, members] of NAMESPACES) {
    it.nativeModules.set(name, nativeModule(it, name, { ...members(rt, ns), __getattr__: notModelled(rt, name) }));
  }
  installTensorMethods();
}

/** `module.__getattr__` for a name the namespace lacks: Unknown, and an info diagnostic where it is used. */
function notModelled(rt: TorchRuntime, mod: string): Builtin {
  const it = rt.it;
  return new Builtin(`${mod}.__getattr__`, (a, _kw, ctx) => {
    const name = String(a[0]);
    if (name.startsWith('__')) throw new PyException('AttributeError', `module '${mod}' has no attribute '${name}'`);
    it.diag('info', 'unsupported', `shapes after this line are unknown: ${mod}.${name} is not modelled by LayerLens`, ctx.file ?? it.cur.file, ctx.s ?? it.cur.s, ctx.e ?? it.cur.e);
    return new Unknown(`${mod}.${name} is not modelled`, ctx.file, ctx.s, ctx.e);
  });
}
