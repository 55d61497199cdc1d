// torch.utils, torch.utils.checkpoint and torch.hub: checkpointing calls the function (the same
// shapes and work as without it); downloads and data loading are Unknown, never fetched.
import { Builtin, Unknown } from '../../interp/values';
import type { TorchRuntime } from '../runtime';
import type { Members } from './common';
import type { NamespaceLookup } from './registry';
import { NO_KWARGS } from '../../interp/calls';

export function checkpoint(rt: TorchRuntime): Members {
  const it = rt.it;
  return {
    checkpoint: new Builtin('checkpoint', (a, kw, ctx) => { const rest = new Map(kw); rest.delete('use_reentrant'); rest.delete('preserve_rng_state'); return it.call(a[0], a.slice(1), rest, ctx); }),
    checkpoint_sequential: new Builtin('checkpoint_sequential', (a, _kw, ctx) => it.call(a[0], [a[2]], NO_KWARGS, ctx)),
  };
}

export function hub(): Members {
  return { load_state_dict_from_url: new Builtin('load_state_dict_from_url', () => new Unknown('downloaded weights')) };
}

export function utils(_rt: TorchRuntime, ns: NamespaceLookup): Members {
  return { checkpoint: ns('torch.utils.checkpoint'), model_zoo: ns('torch.hub'), data: new Unknown('torch.utils.data') };
}
