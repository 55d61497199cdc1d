// Drives @lezer's parse of our Python grammar: reuses the last tree per file (incremental parsing) and
// keeps every parse within a step and time budget. Returns lezer's tree and the limit it hit, if any;
// never converts or reports anything itself.
import { TreeFragment, type PartialParse, type Tree } from '@lezer/common';
import { parser } from './lezer/parser';

/** Why lezer's tree stops short or is cut: the budget ran out, or nesting went past what lezer builds. */
export interface ParseLimit { pos: number; kind: 'budget' | 'nesting' }

export interface LezerResult { tree: Tree; limit?: ParseLimit; /** lezer's steps for this parse (fragments reused cost none) */ steps: number }

// NOTE: lezer force-reduces a left-associative chain after 300 reductions of ≥ 2,000 characters each
// (e.g. a 1,000-term sum), which breaks a valid statement in two; CPython accepts chains up to its
// recursion limit (≈3,000 levels). The count is held back; the tree's depth is checked by parse.ts.
const LEZER_LEFT_CHAIN = 300;
// lezer cuts its parse stack at 8,400 entries (≈2,800 frames); a stack this deep means right-nested
// code (chained conditional expressions, lambdas, `**`) deeper than the tree lezer can build
const LEZER_CUT_DEPTH = 8400, DEEP_STACK = LEZER_CUT_DEPTH - 400;
/**
 * The budget: steps per character (a normal parse takes under one; deterministic) and a wall-clock
 * ceiling that only a machine stalled for seconds reaches (a loaded machine must not cut a normal file).
 */
const STEPS_PER_CHAR = 8, STEPS_MIN = 20_000, DEADLINE_MS = 5_000;

interface ParseInternals { bigReductionCount?: number; stacks?: Array<{ stack?: unknown[]; pos: number }> }

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** One parse to completion or to the budget, through lezer's advance() loop (no reuse, no cache). */
export function run(source: string, fragments?: readonly TreeFragment[], stepBudget?: number): LezerResult {
  const parse: PartialParse = parser.startParse(source, fragments);
  const inner = parse as unknown as ParseInternals;
  const maxSteps = stepBudget ?? STEPS_MIN + STEPS_PER_CHAR * source.length, deadline = now() + DEADLINE_MS;
  let limit: ParseLimit | undefined;
  for (let step = 1; ; step++) {
    if (typeof inner.bigReductionCount === 'number' && inner.bigReductionCount > LEZER_LEFT_CHAIN) inner.bigReductionCount = LEZER_LEFT_CHAIN;
    // a stack grows by a few entries per step: every 16th step is close enough to the 400-entry margin
    if ((step & 15) === 0 && !limit) {
      const deep = inner.stacks?.find((st) => (st.stack?.length ?? 0) >= DEEP_STACK);
      // the caller blanks that line and parses again: the rest of this parse is not needed
      if (deep) { limit = { pos: deep.pos, kind: 'nesting' }; parse.stopAt(parse.parsedPos); }
    }
    const tree = parse.advance();
    if (tree) return { tree, limit, steps: step };
    if (!limit && (step > maxSteps || ((step & 1023) === 0 && now() > deadline))) {
      limit = { pos: parse.parsedPos, kind: 'budget' };
      parse.stopAt(parse.parsedPos);
    }
  }
}

/** The last lezer tree per file: an edit reparses only around the changed text (lezer's fragments). */
const lastTrees = new Map<string, { text: string; result: LezerResult }>();
const LAST_TREES_LIMIT = 32;

/** `stepBudget` replaces the default budget (8 steps a character), for tests of the limit. */
export function lezerParse(path: string, source: string, stepBudget?: number): LezerResult {
  const prev = lastTrees.get(path);
  let result: LezerResult;
  if (prev && prev.text !== source) {
    // one changed range: the common prefix and suffix of the old and new text stay
    const a = prev.text, b = source;
    let pre = 0;
    const max = Math.min(a.length, b.length);
    while (pre < max && a.charCodeAt(pre) === b.charCodeAt(pre)) pre++;
    let suf = 0;
    while (suf < max - pre && a.charCodeAt(a.length - 1 - suf) === b.charCodeAt(b.length - 1 - suf)) suf++;
    const fragments = TreeFragment.applyChanges(TreeFragment.addTree(prev.result.tree), [{ fromA: pre, toA: a.length - suf, fromB: pre, toB: b.length - suf }]);
    result = run(source, fragments, stepBudget);
    // NOTE: error recovery may differ from a fresh parse's; a broken file is parsed from scratch so the
    // result never depends on the editing history
    if (result.limit || hasError(result.tree)) result = run(source, undefined, stepBudget);
  } else {
    result = prev && prev.text === source ? prev.result : run(source, undefined, stepBudget);
  }
  if (!prev && lastTrees.size >= LAST_TREES_LIMIT) lastTrees.delete(lastTrees.keys().next().value as string);
  lastTrees.set(path, { text: source, result });
  return result;
}

function hasError(tree: Tree): boolean {
  let found = false;
  tree.iterate({ enter: (n) => { if (found) return false; if (n.type.isError) found = true; return undefined; } });
  return found;
}
