// The analysis's size budget: how large one value may grow (list, tuple, dict, set, str, materialised
// range) and how many elements all bulk operations together may build. The step budget and the clock
// (interp.ts) bound interpretation; this bounds what a single step can do (`[0] * 10**8`, `a = a + a`).
// Exceeding it is an InterpError with code 'budget' that the statement's handler turns into a diagnostic.
import { InterpError } from './values';

/** Items one list/tuple/dict/set may hold, characters one str may hold. */
export const MAX_ITEMS = 1 << 22;
export const MAX_STR = 1 << 24;
/** Elements all bulk operations of one analysis may copy or build (about half a second of work). */
export const MAX_WORK = 48_000_000;

const STOPPED_WORK = `analysis stopped: more than ${MAX_WORK.toLocaleString('en-US')} elements built or copied in total exceeds the analysis budget`;

/** 10^8, 4,194,304: a count as the message shows it. */
export function countText(n: number | bigint): string {
  const s = typeof n === 'bigint' ? n.toString() : Number.isFinite(n) ? String(Math.trunc(n)) : 'an unbounded number of';
  if (/^10*$/.test(s) && s.length > 4) return `10^${s.length - 1}`;
  return s.length > 24 ? `about 10^${s.length - 1}` : BigInt(s).toLocaleString('en-US');
}

/**
 * The one budget of the analysis running now. NOTE: analyses are synchronous and never nest, so one
 * module-level meter is enough; each Interp installs a fresh one when it is made.
 */
class Meter {
  work = 0;
  /** Called when the work exceeds MAX_WORK (and on every charge of more than 64K elements), so the clock is checked too. */
  onHeavy: () => void = () => {};
  charge(n: number): void {
    this.work += n;
    if (this.work > MAX_WORK) {
      this.work = MAX_WORK; // the next charge of the same analysis fails again, never wraps
      throw new InterpError(STOPPED_WORK, undefined, undefined, undefined, 'budget');
    }
    if (n > 65536) this.onHeavy();
  }
}

let meter = new Meter();

/** A fresh budget for a new analysis; `onHeavy` checks the interpreter's clock. */
export function resetBudget(onHeavy: () => void): void {
  meter = new Meter();
  meter.onHeavy = onHeavy;
}

/** Counts `n` elements of bulk work. */
export function charge(n: number): void { meter.charge(n); }

/** Refuses a `kind` (list, tuple, str, ...) of `n` items before it is built; charges the work otherwise. */
export function checkSize(kind: string, n: number | bigint): void {
  const max = kind === 'str' ? MAX_STR : MAX_ITEMS;
  if (typeof n === 'bigint' || !(n <= max)) {
    throw new InterpError(`${kind} of ${countText(n)} ${kind === 'str' ? 'characters' : 'items'} exceeds the analysis budget (${max.toLocaleString('en-US')})`, undefined, undefined, undefined, 'budget');
  }
  charge(n);
}

/** `out.push(...items)` without the spread (which overflows the JS stack past ~100,000 items). */
export function pushAll<T>(out: T[], items: readonly T[]): void {
  const n = items.length; // `a.extend(a)`: the items as they were
  for (let i = 0; i < n; i++) out.push(items[i]);
}
