// `model.load_state_dict(strict=True)` as data: which checkpoint tensors fit the model's parameters and
// buffers, and PyTorch's own wording for the rest. Also the one key repair users expect: the `module.`
// prefix DataParallel/DDP (or `_orig_mod.` of torch.compile) puts on every key, stripped only when that
// makes the keys fit. Never throws for a mismatch: problems are returned as data.
import type { SafeTensor } from './dtypes';

export interface SizeMismatch {
  key: string;
  checkpoint: number[];
  model: number[];
}

export interface StateDictReport {
  /** Tensors whose key and shape both match the model. */
  loaded: Map<string, SafeTensor>;
  missing: string[];
  unexpected: string[];
  mismatched: SizeMismatch[];
  /** PyTorch's load_state_dict wording, one line per problem kind; empty when everything matched. */
  messages: string[];
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Matches checkpoint tensors against the model's expected parameter/buffer shapes the way `load_state_dict(strict=True)` does. */
export function loadStateDict(expected: ReadonlyMap<string, readonly number[]>, tensors: ReadonlyMap<string, SafeTensor>): StateDictReport {
  const report: StateDictReport = { loaded: new Map(), missing: [], unexpected: [], mismatched: [], messages: [] };
  for (const [key, shape] of expected) {
    const t = tensors.get(key);
    if (!t) report.missing.push(key);
    else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      report.mismatched.push({ key, checkpoint: t.shape, model: [...shape] });
    } else report.loaded.set(key, t);
  }
  for (const key of tensors.keys()) if (!expected.has(key)) report.unexpected.push(key);
  const quoted = (keys: string[]) => keys.map((k) => `"${k}"`).join(', ');
  if (report.missing.length) report.messages.push(`Missing key(s) in state_dict: ${quoted(report.missing)}.`);
  if (report.unexpected.length) report.messages.push(`Unexpected key(s) in state_dict: ${quoted(report.unexpected)}.`);
  for (const m of report.mismatched) {
    report.messages.push(
      `size mismatch for ${m.key}: copying a param with shape ${fmt(m.checkpoint)} from checkpoint, the shape in current model is ${fmt(m.model)}.`,
    );
  }
  return report;
}

/** Wrappers that prefix every key of the state_dict they save. */
export const WRAPPER_PREFIXES = ['module.', '_orig_mod.'];

/**
 * Strips a wrapper prefix shared by every key when the stripped keys match more of `expected`.
 * Returns the tensors unchanged (and `stripped` empty) otherwise.
 */
export function fitKeyPrefix<T>(tensors: ReadonlyMap<string, T>, expected: ReadonlySet<string> | ReadonlyMap<string, unknown>): { tensors: Map<string, T>; stripped: string[] } {
  let cur = new Map(tensors);
  const stripped: string[] = [];
  const hits = (m: Map<string, T>) => { let n = 0; for (const k of m.keys()) if (expected.has(k)) n++; return n; };
  for (;;) {
    const keys = [...cur.keys()];
    const prefix = WRAPPER_PREFIXES.find((p) => keys.length > 0 && keys.every((k) => k.startsWith(p)));
    if (!prefix) break;
    const next = new Map([...cur].map(([k, v]) => [k.slice(prefix.length), v] as [string, T]));
    if (hits(next) <= hits(cur)) break;
    cur = next;
    stripped.push(prefix);
  }
  return { tensors: cur, stripped };
}
