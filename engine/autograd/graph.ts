// Reverse-mode autograd you can read in one sitting (micrograd's shape): each node keeps its value,
// its parents and a backward closure; backward walks a topological order iteratively, so deep
// networks cannot overflow the stack. A node without a gradient rule fails naming its op.
import type { NdArray } from '../ops/tensor';

export interface GradNode {
  readonly id: number;
  readonly op: string;
  value: NdArray;
  /** Inputs that may need a gradient (null for constants and integer tensors). */
  readonly parents: ReadonlyArray<GradNode | null>;
  /** Gradients w.r.t. each parent, given the gradient w.r.t. this node's value. */
  readonly backward?: (grad: NdArray) => ReadonlyArray<NdArray | null | undefined>;
  requiresGrad: boolean;
}

let nextId = 1;

export function leaf(op: string, value: NdArray, requiresGrad: boolean): GradNode {
  return { id: nextId++, op, value, parents: [], requiresGrad };
}

export function node(op: string, value: NdArray, parents: Array<GradNode | null>, backward: GradNode['backward']): GradNode {
  return { id: nextId++, op, value, parents, backward, requiresGrad: parents.some((p) => p?.requiresGrad) };
}

/** Nodes reachable from `root`, parents before children (iterative DFS). */
export function topoOrder(root: GradNode): GradNode[] {
  const order: GradNode[] = [];
  const seen = new Set<GradNode>();
  const stack: Array<{ n: GradNode; i: number }> = [{ n: root, i: 0 }];
  seen.add(root);
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i < top.n.parents.length) {
      const p = top.n.parents[top.i++];
      if (p && p.requiresGrad && !seen.has(p)) { seen.add(p); stack.push({ n: p, i: 0 }); }
      continue;
    }
    order.push(top.n);
    stack.pop();
  }
  return order;
}

/** NOTE: never in place — backward rules may hand the same buffer to several parents (add) or pass it through (reshape). */
function accumulate(acc: NdArray | undefined, g: NdArray): NdArray {
  if (!acc) return g;
  const a = acc.data, b = g.data;
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return { shape: acc.shape, data: out };
}

/**
 * Back-propagates `seed` (d loss / d root) and returns d loss / d node for every node that needs it.
 * `keep(node)` says which gradients the caller wants kept; the others are dropped as soon as they are used.
 */
export function backward(root: GradNode, seed: NdArray, keep: (n: GradNode) => boolean = () => true): Map<GradNode, NdArray> {
  const grads = new Map<GradNode, NdArray>();
  const kept = new Map<GradNode, NdArray>();
  grads.set(root, seed);
  const order = topoOrder(root);
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    const g = grads.get(n);
    if (!g) continue;
    if (keep(n)) kept.set(n, g);
    grads.delete(n); // NOTE: release what backward no longer needs
    if (!n.parents.length) continue;
    if (!n.backward) throw new Error(`no gradient rule for op '${n.op}'`);
    const gs = n.backward(g);
    n.parents.forEach((p, j) => {
      const gp = gs[j];
      if (!p || !p.requiresGrad || !gp) return;
      grads.set(p, accumulate(grads.get(p), gp));
    });
  }
  return kept;
}
