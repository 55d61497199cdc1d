// PyTorch's default initialisation schemes, seeded: what a model's parameters hold when no weights file
// is given. Layer by layer as torch.nn does it (kaiming-uniform with a=√5 for conv/linear weights and
// U(±1/√fan_in) biases; ones/zeros for norms; N(0, 1) for embeddings). The RNG is ours, not PyTorch's.
import type { TorchRuntime } from '../torch/runtime';
import { dentries } from '../torch/runtime';
import { TensorV, numel } from '../torch/tensor';
import { PyFloat, type PyInstance, type Value } from '../interp/values';
import type { NdArray } from '../ops/tensor';
import { stateOf } from '../torch/moduleState';
import { MULBERRY32_STEP, mulberry32Bits } from '../util/random';

/** mulberry32 (util/random.ts) with Box–Muller normals: small, fast, reproducible across platforms. */
export class Rng {
  private s: number;
  private spare: number | null = null;
  constructor(seed: number) { this.s = (seed >>> 0) ^ 0x9e3779b9; }
  uniform(): number {
    this.s = (this.s + MULBERRY32_STEP) | 0;
    return mulberry32Bits(this.s) / 4294967296;
  }
  normal(): number {
    if (this.spare !== null) { const v = this.spare; this.spare = null; return v; }
    const u = Math.max(this.uniform(), 1e-12), v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  /** n normals, into `a` when given (its first n entries). */
  normalArray(n: number, a: Float32Array = new Float32Array(n)): Float32Array { for (let i = 0; i < n; i++) a[i] = this.normal(); return a; }
  uniformArray(n: number, lo: number, hi: number, a: Float32Array = new Float32Array(n)): Float32Array {
    const scale = (hi - lo) / 4294967296;
    let s = this.s;
    for (let i = 0; i < n; i++) {
      s = (s + MULBERRY32_STEP) | 0;
      a[i] = lo + mulberry32Bits(s) * scale;
    }
    this.s = s;
    return a;
  }
}

function fanIn(shape: number[]): number {
  return shape.length < 2 ? shape[0] ?? 1 : shape[1] * shape.slice(2).reduce((p, q) => p * q, 1);
}

const num = (v: Value | undefined, d: number): number => (typeof v === 'number' ? v : v instanceof PyFloat ? v.v : d);

/** Makes the array a parameter's values are written into: plain, or shared memory the compute pool's workers read in place. */
export type Alloc = (n: number) => Float32Array;
const plain: Alloc = (n) => new Float32Array(n);

/** Initial value of a parameter created from a tensor expression (`torch.zeros(...) * 0.02`, ...). */
function fromInit(t: TensorV, n: number, rng: Rng, alloc: Alloc): Float32Array {
  if (t.data && t.data.length === n) { const a = alloc(n); a.set(t.data); return a; }
  let scale = 1;
  let src = t.init;
  while (src && src.op === '*') {
    const c = src.inputs.find((x) => typeof x === 'number' || x instanceof PyFloat);
    const inner = src.inputs.find((x) => x instanceof TensorV) as TensorV | undefined;
    scale *= num(c as Value, 1);
    src = inner?.src;
  }
  const op = src?.op ?? 'randn';
  const fill = (v: number): Float32Array => alloc(n).fill(v * scale);
  switch (op) {
    case 'zeros': case 'empty': case 'zeros_like': return fill(0);
    case 'ones': case 'ones_like': return fill(1);
    case 'rand': return rng.uniformArray(n, 0, scale, alloc(n));
    default: { const a = rng.normalArray(n, alloc(n)); if (scale !== 1) for (let i = 0; i < n; i++) a[i] *= scale; return a; }
  }
}

/**
 * Every parameter and buffer of `root`, initialised. Parameters are written straight into arrays from
 * `alloc` (shared memory for a compute pool: no second copy of the weights); buffers are plain arrays.
 */
export function initialState(rt: TorchRuntime, root: PyInstance, rng: Rng, alloc: Alloc = plain): Map<TensorV, NdArray> {
  const out = new Map<TensorV, NdArray>();
  for (const [, m] of rt.namedModules(root)) {
    const spec = rt.specOf(m);
    const params = dentries(stateOf(m)!.params).filter(([, p]) => p instanceof TensorV) as Array<[string, TensorV]>;
    const weight = params.find(([n]) => n === 'weight')?.[1];
    for (const [name, p] of params) {
      if (out.has(p)) continue;
      const shape = p.shape as number[];
      const n = numel(shape) ?? 0;
      let data: Float32Array;
      const kind = spec?.kind;
      if ((kind === 'conv' || kind === 'linear') && name === 'weight') {
        const b = 1 / Math.sqrt(fanIn(shape));
        data = rng.uniformArray(n, -b, b, alloc(n));
      } else if ((kind === 'conv' || kind === 'linear') && name === 'bias') {
        const b = weight ? 1 / Math.sqrt(fanIn(weight.shape as number[])) : 0;
        data = rng.uniformArray(n, -b, b, alloc(n));
      } else if (kind === 'norm') {
        data = alloc(n).fill(name === 'weight' ? 1 : 0);
      } else if (kind === 'embedding') {
        data = rng.normalArray(n, alloc(n));
      } else if (spec?.name === 'PReLU') {
        data = alloc(n).fill(num(m.dict.get('init'), 0.25));
      } else if (kind === 'attention') {
        if (name.endsWith('bias')) data = alloc(n).fill(0);
        else { const b = Math.sqrt(6 / (shape[0] + shape[1])); data = rng.uniformArray(n, -b, b, alloc(n)); }
      } else {
        data = fromInit(p, n, rng, alloc);
      }
      out.set(p, { shape, data });
    }
    for (const [name, b] of dentries(stateOf(m)!.buffers)) {
      if (!(b instanceof TensorV) || out.has(b)) continue;
      const shape = b.shape as number[];
      const n = numel(shape) ?? 0;
      const data = b.data && b.data.length === n ? Float32Array.from(b.data) : new Float32Array(n).fill(name === 'running_var' ? 1 : 0);
      out.set(b, { shape, data });
    }
  }
  return out;
}
