// The Conv → norm → activation chain around a row, read off the data-flow graph: each step one consumer
// after the other (a branch ends the chain). Functional activations (F.relu) are steps without a row: the
// run keeps tensors per row, so their picture is the next row's input, which the strip says.
import type { Dataflow, DataflowNode, Report } from '../../../engine';

/** Module classes by role; test/browser/inspectorModels.test.ts checks ACTIVATION against the engine's catalogue. */
export const CONV = /^(Lazy)?Conv(Transpose)?[123]d$/;
export const NORM = /^(BatchNorm[123]d|SyncBatchNorm|GroupNorm|LayerNorm|InstanceNorm[123]d|LocalResponseNorm)$/;
export const ACTIVATION = /^(ReLU|ReLU6|LeakyReLU|PReLU|ELU|SELU|CELU|GELU|SiLU|Mish|Hardswish|Hardsigmoid|Hardtanh|Sigmoid|Tanh|Softplus|Softsign|Tanhshrink|LogSigmoid|Threshold|GLU)$/;
const ACTIVATION_OPS = /^(relu|relu_|relu6|leaky_relu|elu|selu|celu|gelu|silu|mish|hardswish|hardsigmoid|hardtanh|sigmoid|tanh|softplus|softsign)$/;

export type Role = 'conv' | 'norm' | 'activation';

export interface ChainStep { role: Role; label: string; type: string; rowIndex?: number }

function roleOf(n: DataflowNode): Role | undefined {
  if (n.kind === 'module') return CONV.test(n.type) ? 'conv' : NORM.test(n.type) ? 'norm' : ACTIVATION.test(n.type) ? 'activation' : undefined;
  if (n.kind === 'op' && ACTIVATION_OPS.test(n.type)) return 'activation';
  return undefined;
}

const ORDER: Role[] = ['conv', 'norm', 'activation'];

/** The chain containing the row (at least the row itself when it is a conv, norm or activation). */
export function chainAround(report: Pick<Report, 'rows'> & { dataflow?: Dataflow }, rowIndex: number): ChainStep[] {
  const g = report.dataflow;
  if (!g) return [];
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const outs = new Map<string, string[]>(), ins = new Map<string, string[]>();
  for (const e of g.edges) {
    outs.set(e.from, [...(outs.get(e.from) ?? []), e.to]);
    ins.set(e.to, [...(ins.get(e.to) ?? []), e.from]);
  }
  const start = g.nodes.find((n) => n.rowIndex === rowIndex);
  const role = start && roleOf(start);
  if (!start || !role) return [];
  const step = (n: DataflowNode): ChainStep => ({ role: roleOf(n)!, label: n.kind === 'module' ? report.rows[n.rowIndex!].name : `${n.label} (functional)`, type: n.type, rowIndex: n.rowIndex });
  const chain = [step(start)];
  // back: the single producer with an earlier role
  for (let n = start; ;) {
    const p = ins.get(n.id) ?? [];
    const prev = p.length === 1 ? byId.get(p[0]) : undefined;
    const r = prev && roleOf(prev);
    if (!prev || !r || ORDER.indexOf(r) >= ORDER.indexOf(chain[0].role) || (outs.get(prev.id) ?? []).length !== 1) break;
    chain.unshift(step(prev));
    n = prev;
  }
  // forward: the single consumer with a later role
  for (let n = start; ;) {
    const c = outs.get(n.id) ?? [];
    const next = c.length === 1 ? byId.get(c[0]) : undefined;
    const r = next && roleOf(next);
    if (!next || !r || ORDER.indexOf(r) <= ORDER.indexOf(chain[chain.length - 1].role) || (ins.get(next.id) ?? []).length !== 1) break;
    chain.push(step(next));
    n = next;
  }
  return chain;
}
