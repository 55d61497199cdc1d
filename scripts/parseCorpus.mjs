// The parser differential against CPython (issue 9, item 4). `generate` writes the committed corpus
// test/fixtures/parse_corpus/corpus.json: recipes (source, seed) and CPython 3.11's verdicts;
// `fuzz [--n N] [--seed S]` compares our parser with CPython on fresh seeded mutations and writes each
// disagreement to out/fuzz/parse/; `check` reports the committed corpus's disagreements in detail.
// CPython (/usr/bin/python3, compile() only) is a test-time oracle; the product never runs it.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { torchvisionRoot } from './fetchTorchvision.mjs';
import { generateModelFile } from '../bench/editorModel.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(root, 'test/fixtures/parse_corpus/corpus.json');
const PYTHON = process.env.LAYERLENS_PYTHON ?? '/usr/bin/python3';
// mutations per source: torchvision files are long, real and varied; the project's files are few
const PER_SOURCE = { tv: 12, fx: 20, bench: 60, syn: 3 };
const NO_MUTATION = new Set(['sum100000', 'brackets50000', 'open50000', 'statements20000', 'longString', 'close5000']);

// inputs `fuzz` found disagreeing once (fixed since): kept in the corpus as regression entries
const REGRESSIONS = [
  ['fx:test/fixtures/cases/attn_pool/model.py', 2401898652], ['tv:torchvision/models/mobilenetv3.py', 4047341838],
  ['tv:torchvision/models/quantization/shufflenetv2.py', 506239432], ['tv:torchvision/models/detection/mask_rcnn.py', 1507528813],
  ['tv:torchvision/datasets/vision.py', 3617219005], ['tv:torchvision/datasets/cityscapes.py', 2271933781], ['syn:contLine', 1068423821],
  ['tv:torchvision/models/detection/faster_rcnn.py', 1754006357], ['tv:torchvision/models/_meta.py', 2798943601],
  ['tv:torchvision/datasets/pcam.py', 352486852], ['tv:torchvision/models/detection/ssd.py', 3643897032], ['tv:torchvision/datasets/voc.py', 1445525473],
  ['fx:examples/lenet.py', 2628949443], ['tv:torchvision/datasets/folder.py', 3439405998], ['tv:torchvision/models/squeezenet.py', 2294744855],
  ['tv:torchvision/io/video_reader.py', 3631499304], ['tv:torchvision/transforms/autoaugment.py', 3848030555],
  ['tv:torchvision/models/detection/ssdlite.py', 367259195], ['tv:torchvision/datasets/coco.py', 1753684166],
  ['tv:torchvision/ops/feature_pyramid_network.py', 2223177967], ['tv:torchvision/ops/stochastic_depth.py', 1757228097],
  ['tv:torchvision/datasets/pcam.py', 253374803], ['tv:torchvision/models/quantization/resnet.py', 2056672818],
  ['tv:torchvision/datasets/caltech.py', 2114494968], ['tv:torchvision/datasets/__init__.py', 145190916],
  ['tv:torchvision/datasets/cityscapes.py', 450330432], ['tv:torchvision/datasets/country211.py', 3885325839],
  ['fx:test/fixtures/run_cases/token_mixer/model.py', 1230027334],
  ['tv:torchvision/models/shufflenetv2.py', 3983463992], ['fx:test/fixtures/interp/torch_numpy_sample.py', 3338795660],
  ['syn:contEof', 828691625], ['tv:torchvision/datasets/utils.py', 4003868324],
];

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));

/** Every source the corpus mutates, by id: `fx:` project files, `tv:` torchvision 0.14.1, `bench:`, `syn:`. */
export function loadSources(mut) {
  const out = new Map();
  const project = [...walk(join(root, 'test/fixtures')).filter((f) => !f.includes('/.cache/')), ...walk(join(root, 'test/engine/samples')), ...walk(join(root, 'examples'))];
  for (const f of project.filter((f) => f.endsWith('.py')).sort()) out.set(`fx:${relative(root, f)}`, readFileSync(f, 'utf8'));
  const tv = torchvisionRoot();
  for (const f of walk(join(tv, 'torchvision')).filter((f) => f.endsWith('.py')).sort()) out.set(`tv:${relative(tv, f)}`, readFileSync(f, 'utf8'));
  out.set('bench:editorModel', generateModelFile().text);
  for (const [name, make] of Object.entries(mut.SYNTHETIC)) out.set(`syn:${name}`, make());
  return out;
}

/** The mutation engine and the parser, bundled from TypeScript for Node. */
export async function loadBundle() {
  const outfile = join(root, 'out/parseCorpus/bundle.cjs');
  await esbuild.build({
    stdin: { contents: "export * from './scripts/parseMutations';\nexport { parsePython } from './engine/python/parse';\nexport { tokenize } from './engine/python/tokenize';\nexport { parser as lezerParser } from './engine/python/lezer/parser';\n", resolveDir: root, loader: 'ts' },
    outfile, bundle: true, platform: 'node', format: 'cjs', target: 'es2022', logLevel: 'warning',
  });
  const require = createRequire(import.meta.url);
  delete require.cache[outfile];
  return require(outfile);
}

function cpython(texts) {
  const out = execFileSync(PYTHON, [join(root, 'scripts/cpythonCompile.py')], { input: JSON.stringify(texts), maxBuffer: 1 << 30 });
  return JSON.parse(out.toString('utf8'));
}

/** (id, seed) recipes: each source as it is (seed 0) and its mutations. */
function recipes(mut, sources, perSource, base = 0) {
  const out = [];
  for (const id of sources.keys()) {
    const kind = id.slice(0, id.indexOf(':'));
    if (base === 0) out.push([id, 0]);
    if (kind === 'syn' && NO_MUTATION.has(id.slice(4))) continue;
    for (let k = 0; k < perSource[kind]; k++) out.push([id, mut.seedFor(id, base + k)]);
  }
  if (base === 0) out.push(...REGRESSIONS.filter(([id]) => sources.has(id)));
  return out;
}

const inputOf = (mut, sources, id, seed) => (seed === 0 ? { text: sources.get(id), ops: '' } : mut.mutate(sources.get(id), seed));

async function generate() {
  const mut = await loadBundle();
  const sources = loadSources(mut);
  const rs = recipes(mut, sources, PER_SOURCE);
  const inputs = rs.map(([id, seed]) => inputOf(mut, sources, id, seed));
  const verdicts = cpython(inputs.map((x) => x.text));
  const version = execFileSync(PYTHON, ['-c', 'import sys; print(sys.version.split()[0])']).toString().trim();
  // one entry per line: [source, seed, text hash, CPython line (0 = accepted), ops, CPython's message]
  const entries = rs.map(([id, seed], i) => {
    const v = verdicts[i];
    return 'ok' in v ? [id, seed, mut.textHash(inputs[i].text), 0, inputs[i].ops] : [id, seed, mut.textHash(inputs[i].text), v.kind === 'limit' ? -1 : v.line, inputs[i].ops, v.msg];
  });
  const head = { generator: 'node scripts/parseCorpus.mjs generate', python: version, entries: entries.length, rejected: entries.filter((e) => e[3] !== 0).length };
  writeFileSync(CORPUS, `{"about":${JSON.stringify(head)},\n"entries":[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`);
  console.log(`${CORPUS}: ${head.entries} entries, ${head.rejected} rejected by CPython ${version}`);
}

/** Our verdict (first problem's line) for each input, and the disagreements. */
function compare(mut, cases) {
  const bad = [];
  for (const c of cases) {
    // CPU time, not wall time: this machine's other processes should not make an input 'slow'
    const t0 = process.cpuUsage();
    const p = mut.parsePython(`/fuzz/${c.id.replace(/[^\w.]/g, '_')}`, c.text, { python: '3.11' });
    const used = process.cpuUsage(t0);
    const ms = (used.user + used.system) / 1000;
    const ours = mut.firstProblemLine(c.text, p.problems);
    if (!mut.agrees(c.verdict, ours) || ms > 1000) bad.push({ ...c, ours, ms, problems: p.problems.slice(0, 3) });
  }
  return bad;
}

function report(bad, total, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [i, b] of bad.entries()) {
    const v = 'ok' in b.verdict ? 'CPython: ok' : `CPython: line ${b.verdict.line}: ${b.verdict.msg}`;
    const ours = b.ours === 'ok' ? 'ours: ok' : `ours: line ${b.ours}: ${b.problems.map((p) => p.message).join(' | ')}`;
    writeFileSync(join(dir, `${String(i).padStart(4, '0')}.py`), b.text);
    writeFileSync(join(dir, `${String(i).padStart(4, '0')}.txt`), `${b.id} seed ${b.seed} ${b.ops}\n${v}\n${ours}\n${b.ms.toFixed(0)} ms CPU\n`);
  }
  console.log(`${bad.length} disagreements of ${total} inputs${bad.length ? ` (written to ${relative(root, dir)}/)` : ''}`);
}

async function fuzz(n, seed) {
  const mut = await loadBundle();
  const sources = loadSources(mut);
  const ids = [...sources.keys()];
  const r = mut.rng(seed);
  const cases = Array.from({ length: n }, () => {
    const id = ids[Math.floor(r() * ids.length)];
    const s = Math.floor(r() * 2 ** 32) >>> 0 || 1;
    return { id, seed: s, ...(NO_MUTATION.has(id.slice(4)) ? { text: sources.get(id), ops: '' } : mut.mutate(sources.get(id), s)) };
  });
  const verdicts = [];
  for (let i = 0; i < cases.length; i += 500) verdicts.push(...cpython(cases.slice(i, i + 500).map((c) => c.text)));
  cases.forEach((c, i) => { c.verdict = verdicts[i]; });
  report(compare(mut, cases), n, join(root, 'out/fuzz/parse'));
}

async function check() {
  const mut = await loadBundle();
  const sources = loadSources(mut);
  const cases = corpusCases(mut, sources);
  report(compare(mut, cases), cases.length, join(root, 'out/fuzz/parse-corpus'));
}

/** The committed corpus's entries with their regenerated texts and CPython's verdicts. */
export function corpusCases(mut, sources) {
  const corpus = JSON.parse(readFileSync(CORPUS, 'utf8'));
  return corpus.entries.map(([id, seed, hash, line, ops, msg]) => {
    const { text } = inputOf(mut, sources, id, seed);
    if (mut.textHash(text) !== hash) throw new Error(`corpus entry ${id} seed ${seed} is stale: run node scripts/parseCorpus.mjs generate`);
    return { id, seed, ops, text, verdict: line === 0 ? { ok: true } : { line, kind: line < 0 ? 'limit' : 'syntax', msg } };
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [cmd, ...rest] = process.argv.slice(2);
  const flag = (name, dflt) => { const i = rest.indexOf(name); return i >= 0 ? Number(rest[i + 1]) : dflt; };
  if (cmd === 'generate') await generate();
  else if (cmd === 'fuzz') await fuzz(flag('--n', 10000), flag('--seed', Date.now() % 1e9));
  else if (cmd === 'check') await check();
  else { console.error('usage: node scripts/parseCorpus.mjs generate | fuzz [--n N] [--seed S] | check'); process.exit(2); }
}
