// numbers: Number, Real and Integral as isinstance markers over Python ints and floats.
import type { Interp } from '../interp';
import { type Value } from '../values';
import { isNum } from '../ops';
import { marker } from './native';

export function numbers(it: Interp): Record<string, Value> {
  return {
    Number: marker(it, 'Number', (v) => isNum(v)),
    Real: marker(it, 'Real', (v) => isNum(v)),
    Integral: marker(it, 'Integral', (v) => typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint'),
  };
}
