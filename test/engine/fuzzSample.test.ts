// The analysis fuzzer's seeded CI sample (issue 9, item 9): every pathological program plus seeded
// mutations of the corpus, each in a worker process (test/fuzz/driver.ts) so that a death is counted,
// not fatal. Zero deaths, uncaught exceptions, inputs over 1 s CPU or 1 GB, and invariant violations.
// The long run is `npm run fuzz` (10,000 inputs, any --seed).
import { describe, expect, it } from 'vitest';
import { CALLS_PER_MUTATION, buildChild, fuzzInputs, runFuzz, summaryLine } from '../fuzz/driver';
import { PATHOLOGICAL } from '../fuzz/pathological';

const SEED = 20261202;
const MUTATIONS = 160;

describe('fuzz sample: the pathological programs and seeded mutations of the corpus', () => {
  it(`${PATHOLOGICAL.length} pathological + ${MUTATIONS} mutations + their call probes (seed ${SEED}): 0 deaths, 0 uncaught, 0 over 2 s CPU or 1 GB, 0 invariant violations`, async () => {
    const child = await buildChild();
    // NOTE: CPU time inflates on this shared 2-core machine under a full test run (load average 20+):
    // the sample allows 2 s of CPU per input; `npm run fuzz` holds the 1 s of issue 9
    const sum = await runFuzz(fuzzInputs(MUTATIONS, SEED), child, { workers: 2, cpuMs: 2000 });
    const failures = sum.failures.map((f) => `${f.kind} ${f.id}: ${f.detail.split('\n')[0]}`);
    expect(failures, summaryLine(sum)).toEqual([]);
    expect(sum.inputs).toBe(PATHOLOGICAL.length + MUTATIONS + Math.round(MUTATIONS * CALLS_PER_MUTATION));
  }, 240_000);
});
