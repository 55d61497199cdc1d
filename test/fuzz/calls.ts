// Call probes (issue 9, item 9): every callable the analysis models — the builtins, the native stdlib,
// the torch namespaces and the tensor methods — called with arguments missing, extra and odd (what a
// half-typed line or a dropped argument passes), and the result used. Each probe is a small program;
// the fuzzer draws a seeded sample. An internal error or a death here was once a JS crash in a native.
import { createInterp } from '../../engine/analysis/analyze';
import { TENSOR_METHODS } from '../../engine/torch/tensorOps';
import { PyList, type PyModule } from '../../engine/interp/values';
import { rng } from './mutations';
import type { FuzzInput } from './pathological';

const MODULES = ['math', 'collections', 'functools', 'itertools', 'operator', 'copy', 'dataclasses', 'inspect', 'typing', 'numpy', 'os',
  're', 'sys', 'enum', 'warnings', 'abc', 'torch', 'torch.nn', 'torch.nn.functional', 'torch.nn.init', 'torch.nn.utils'];
/** Argument lists: none, None, a str, too many, tensors, negative, zero, float, huge, tuples, keywords. */
export const PROBE_ARGS = ['', 'None', "'x'", '1, 2, 3, 4, 5', 'x', 'x, None', '[x]', '-1', '0', '2.5', '10**9', '-10**9', 'x, x', 'x, -1', '(2, 3)',
  '(-1, -1)', '[0] * 5', 'dim=None', 'dim=5', '0, 0', '1, 0', '0, -1', 'x, 1, None', 'h', 'h, 1', "float('nan')", "float('inf')", '0, nn.ReLU()',
  "'a', nn.ReLU()", '5, x', 'nn.ReLU()', 'True'];
const RECEIVERS = ['x', 'h', 'i'];
/** Module receivers (the containers index, insert and pop by argument), probed with their methods and the dunders a subscript calls. */
const MODULE_RECEIVERS: Record<string, string> = {
  sq: 'nn.Sequential(nn.Linear(3, 3), nn.ReLU())', ml: 'nn.ModuleList([nn.ReLU(), nn.Linear(3, 3)])', md: "nn.ModuleDict({'a': nn.ReLU()})",
  pl: 'nn.ParameterList([nn.Parameter(torch.zeros(2))])', pd: "nn.ParameterDict({'a': nn.Parameter(torch.zeros(2))})", lin: 'nn.Linear(3, 3)',
};
const DUNDERS = ['__getitem__', '__setitem__', '__delitem__', '__len__', '__iter__', '__contains__'];

let targets: string[] | undefined;

/** `builtins.name`, `module.name` and `x.method` for everything the interpreter defines (computed once). */
export function callTargets(): string[] {
  if (targets) return targets;
  const recv = Object.keys(MODULE_RECEIVERS);
  const src = ['import torch', 'import torch.nn as nn', ...MODULES.map((m, i) => `import ${m}\nn${i} = [x for x in dir(${m}) if not x.startswith('_')]`),
    ...recv.map((r, i) => `${r} = ${MODULE_RECEIVERS[r]}\nr${i} = [x for x in dir(type(${r})) if not x.startswith('_')]`)].join('\n') + '\n';
  const { it } = createInterp({ host: { readFile: (p) => (p === '/probe/names.py' ? src : undefined) }, torchVersion: '1.13', timeLimitMs: 60_000 });
  const mod = it.execFile('/probe/names.py', '__main__') as PyModule;
  const out = [...it.builtins.vars.keys()].filter((k) => !k.startsWith('_') && /^[a-z]/.test(k));
  MODULES.forEach((m, i) => {
    const v = mod.scope.vars.get(`n${i}`);
    if (v instanceof PyList) for (const name of v.items) out.push(`${m}.${String(name)}`);
  });
  recv.forEach((r, i) => {
    const v = mod.scope.vars.get(`r${i}`);
    if (v instanceof PyList) for (const name of v.items) out.push(`${r}.${String(name)}`);
    for (const d of DUNDERS) out.push(`${r}.${d}`);
  });
  for (const r of RECEIVERS) for (const name of TENSOR_METHODS.keys()) out.push(`${r}.${name}`);
  targets = out;
  return out;
}

export const probeProgram = (call: string): string => `import torch
import torch.nn as nn
import ${MODULES.join(', ')}
x = torch.zeros(2, 3)
h = torch.zeros(10**9, 2)
i = torch.zeros(2, 3, dtype=torch.long)
${Object.entries(MODULE_RECEIVERS).map(([r, e]) => `${r} = ${e}`).join('\n')}
w = ${call}
y = [w, str(w), repr(w), getattr(w, 'shape', 0), len(w) if isinstance(w, (list, tuple)) else 0]
for q in (w if isinstance(w, (list, tuple)) else []):
    z = getattr(q, 'shape', 0)
v = w(x) if callable(w) else w
`;

/** `n` seeded call probes (probe k of seed s is always the same program). */
export function callProbes(n: number, seed: number): FuzzInput[] {
  const all = callTargets();
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const call = `${all[Math.floor(r() * all.length)]}(${PROBE_ARGS[Math.floor(r() * PROBE_ARGS.length)]})`;
    return { id: `call:${call}`, file: '/ws/probe.py', text: probeProgram(call) };
  });
}
