// The analysis's size budget: how large one value may grow (list, tuple, dict, set, str, materialised
// range) and how many elements all bulk operations together may build. The step budget and the clock
// (interp.ts) bound interpretation; this bounds what a single step can do (`[0] * 10**8`, `a = a + a`).
// Exceeding it is an InterpError with code 'budget' that the statement's handler turns into a diagnostic.
import { InterpError } from './values';

/** Items one list/tuple/dict/set may hold, characters one str may hold. */
export const MAX_ITEMS = 1 << 22;
export const MAX_STR = 1 << 24;
/** Elements the bulk operations of one statement may copy or build (about a quarter of a second of work)... */
export const MAX_WORK = 16_000_000;
/** ...and of the whole analysis, after which everything stops. */
export const MAX_TOTAL_WORK = 3 * MAX_WORK;

/**
 * 16,000,000. NOTE: not toLocaleString at module load: its first call initialises ICU's number formatting,
 * 6–8 MB of resident memory in every process that merely loads the engine.
 */
const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const STATEMENT_WORK = `more than ${grouped(MAX_WORK)} elements built or copied by one statement exceeds the analysis budget`;
const STOPPED_WORK = `analysis stopped: more than ${grouped(MAX_TOTAL_WORK)} elements built or copied in total exceeds the analysis budget`;

interface Where { file?: string; s?: number; e?: number }

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
  /** Work of the statement running now (reset when a top-level statement fails: the rest of the file still analyses). */
  work = 0;
  total = 0;
  /** Called on every charge of more than 64K elements, so the clock is checked by heavy steps too. */
  onHeavy: () => void = () => {};
  /** The statement running now (where a refusal is reported). */
  where: () => Where = () => ({});
  charge(n: number): void {
    // refused before it is done: work over the statement's budget is not added to the total
    if (this.work + n > MAX_WORK) { this.work = 0; throw this.error(STATEMENT_WORK); }
    this.work += n;
    this.total += n;
    if (this.total > MAX_TOTAL_WORK) { this.total = MAX_TOTAL_WORK; throw this.error(STOPPED_WORK); }
    if (n > 65536) this.onHeavy();
  }
  error(msg: string): InterpError {
    const w = this.where();
    return new InterpError(msg, w.file, w.s, w.e, 'budget');
  }
}

let meter = new Meter();

/** A fresh budget for a new analysis; `onHeavy` checks the interpreter's clock. */
export function resetBudget(onHeavy: () => void, where: () => Where): void {
  meter = new Meter();
  meter.onHeavy = onHeavy;
  meter.where = where;
}

/** A top-level statement failed and was reported: the next one starts with a fresh statement budget. */
export function resetStatementWork(): void { meter.work = 0; }

/** Counts `n` elements of bulk work. */
export function charge(n: number): void { meter.charge(n); }

/** Refuses a `kind` (list, tuple, str, ...) of `n` items before it is built; charges `work` (default: n) otherwise. */
export function checkSize(kind: string, n: number | bigint, work = Number(n)): void {
  const max = kind === 'str' ? MAX_STR : MAX_ITEMS;
  if (typeof n === 'bigint' || !(n <= max)) {
    throw meter.error(`${kind} of ${countText(n)} ${kind === 'str' ? 'characters' : 'items'} exceeds the analysis budget (${max.toLocaleString('en-US')})`);
  }
  charge(work);
}

/** `out.push(...items)` without the spread (which overflows the JS stack past ~100,000 items). */
export function pushAll<T>(out: T[], items: readonly T[]): void {
  const n = items.length; // `a.extend(a)`: the items as they were
  for (let i = 0; i < n; i++) out.push(items[i]);
}
