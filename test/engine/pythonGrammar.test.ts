// The committed generated parser is what the vendored grammar gives: a grammar edit without
// `node scripts/buildGrammar.mjs` (or `npm run build`) fails here instead of shipping a stale parser.
import { expect, it } from 'vitest';
// @ts-expect-error plain ESM helper without types
import { buildGrammar } from '../../scripts/buildGrammar.mjs';

it('engine/python/lezer/parser.ts is generated from python.grammar as committed', () => {
  expect(buildGrammar({ check: true })).toEqual([]);
});
