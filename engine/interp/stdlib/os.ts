// os: the environment and paths are Unknown (the analysis reads no environment); sep and getenv's default.
import type { Interp } from '../interp';
import { Unknown, type Value } from '../values';
import { fn } from './native';

export function os(it: Interp): Record<string, Value> {
  return { environ: new Unknown('os.environ'), path: new Unknown('os.path'), sep: '/', getenv: fn('getenv', (a) => a[1] ?? null) };
}
