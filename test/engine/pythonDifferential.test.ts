// The parser against CPython 3.11's compile() on the seeded corpus (test/fixtures/parse_corpus/corpus.json,
// written by `node scripts/parseCorpus.mjs generate`): the project's and torchvision's sources, the editor
// benchmark's model and pathological programs, each as it is and mutated (lines deleted, duplicated,
// swapped, cut, re-indented; stray characters, brackets, keywords, NUL; CPython's corner cases).
// Every input CPython accepts has no problem; every input it rejects has its first problem on CPython's
// line. Tolerance (scripts/parseMutations.ts `agrees`): where CPython gave up with RecursionError or
// MemoryError (its own ≈3,000-level recursion limit) either answer counts.
import { describe, expect, it } from 'vitest';
import { parsePython } from '../../engine/python/parse';
import * as mut from '../../scripts/parseMutations';
// @ts-expect-error plain ESM helper without types
import { corpusCases, loadSources } from '../../scripts/parseCorpus.mjs';

interface Case { id: string; seed: number; ops: string; text: string; verdict: mut.Verdict }

const cases = corpusCases(mut, loadSources(mut)) as Case[];

function disagreements(which: (c: Case) => boolean): string[] {
  const out: string[] = [];
  for (const c of cases.filter(which)) {
    const p = parsePython(`/corpus/${c.id}#${c.seed}`, c.text, { python: '3.11' });
    const ours = mut.firstProblemLine(c.text, p.problems);
    if (mut.agrees(c.verdict, ours)) continue;
    const cp = 'ok' in c.verdict ? 'ok' : `line ${c.verdict.line}: ${c.verdict.msg}`;
    out.push(`${c.id} seed ${c.seed} (${c.ops || 'as is'}): CPython ${cp}; ours ${ours === 'ok' ? 'ok' : `line ${ours}: ${p.problems[0].message}`}`);
  }
  return out;
}

describe('parse like CPython 3.11 (the differential corpus)', () => {
  it('has current recipes for both verdicts (stale entries throw when loading)', () => {
    const rejected = cases.filter((c) => !('ok' in c.verdict)).length;
    expect(cases.length).toBeGreaterThan(2000);
    expect(rejected).toBeGreaterThan(1000);
    expect(cases.length - rejected).toBeGreaterThan(1000);
  });

  it('every input CPython accepts parses without a syntax problem', () => {
    expect(disagreements((c) => 'ok' in c.verdict)).toEqual([]);
  });

  it("every input CPython rejects gets its first problem on CPython's line", () => {
    expect(disagreements((c) => !('ok' in c.verdict))).toEqual([]);
  });
});
