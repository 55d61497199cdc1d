// torch.nn.attention (2.2+): the SDPA backend choice. Choosing a kernel changes how attention runs on a
// device, never its shapes or its count of multiply-adds, so sdpa_kernel is a context that does nothing.
import { Builtin, PyClass } from '../../interp/values';
import type { TorchRuntime } from '../runtime';
import type { Members } from './common';

export function attention(rt: TorchRuntime): Members {
  const object = rt.it.types.get('object')!;
  const backend = new PyClass('SDPBackend', [object], 'torch.nn.attention');
  ['ERROR', 'MATH', 'FLASH_ATTENTION', 'EFFICIENT_ATTENTION', 'CUDNN_ATTENTION', 'OVERRIDEABLE'].forEach((n, i) => backend.dict.set(n, i - 1));
  const kernel = new PyClass('sdpa_kernel', [object], 'torch.nn.attention');
  kernel.dict.set('__init__', new Builtin('sdpa_kernel.__init__', () => null));
  kernel.dict.set('__enter__', new Builtin('sdpa_kernel.__enter__', () => null));
  kernel.dict.set('__exit__', new Builtin('sdpa_kernel.__exit__', () => false));
  return { SDPBackend: backend, sdpa_kernel: kernel };
}
