// The cost terms of a layer call: the factors whose product is its MACs and its weight count, built by
// the functional op that owns the rule (functional.ts) and carried on the row, so hovers, the CLI and the
// Inspector format them instead of deriving them again. The MAC count of those ops is costMacs(terms).
import type { CostFactor, CostTerms, Dim } from '../api';

/** A named factor; null when its value is unknown. */
export function factor(name: string, value: Dim): CostFactor | null {
  return value === null ? null : { name, value };
}

/** A per-group quotient `num/den` (C_in/groups), valued num/den. */
export function ratio(name: string, num: Dim, den: number): CostFactor | null {
  return num === null ? null : { name, value: num / den, num, den };
}

/** The terms, or undefined when any factor is unknown. */
export function costTerms(macs: Array<CostFactor | null>, weight: Array<CostFactor | null>, bias: number): CostTerms | undefined {
  if (macs.some((f) => f === null) || weight.some((f) => f === null)) return undefined;
  return { macs: macs as CostFactor[], weight: weight as CostFactor[], bias };
}

/** Π of the factors' values (left to right). */
export function productOf(fs: readonly CostFactor[]): number {
  let p = 1;
  for (const f of fs) p *= f.value;
  return p;
}

/** MACs of a call with these terms (null when they are unknown). */
export function costMacs(t: CostTerms | undefined): number | null {
  return t ? productOf(t.macs) : null;
}

/** Spatial factor names: `H_out`, `W_out` for 2-d; `L` for 1-d; `D`, `H`, `W` for 3-d. */
export function spatialNames(nd: number, suffix: string): string[] {
  const key = `${nd}${suffix}`;
  let names = spatialNameCache.get(key);
  // NOTE: every conv and pool call asks (the names go into its cost terms): one array per (rank, suffix), shared read-only
  if (!names) spatialNameCache.set(key, names = Object.freeze(SPATIAL[nd].map((n) => `${n}${suffix}`)) as string[]);
  return names;
}
const SPATIAL: Record<number, string[]> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };
const spatialNameCache = new Map<string, string[]>();
