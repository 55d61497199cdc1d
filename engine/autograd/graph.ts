// Reverse-mode autograd you can read in one sitting (micrograd's shape): each node keeps its value,
// its parents and a backward closure; backward walks a topological order iteratively, so deep
// networks cannot overflow the stack. A node without a gradient rule fails naming its op.
import type { NdArray } from '../ops/tensor';

export type Grads = ReadonlyArray<NdArray | null | undefined>;

/** Called with each node's final gradient, once; true keeps it in backward()'s result. */
export type Keep = (n: GradNode, grad: NdArray) => boolean;

export interface GradNode {
  readonly id: number;
  readonly op: string;
  /** The forward value; reading it after a releasing backward() ran the node's rule throws. */
  value: NdArray;
  /** Inputs that may need a gradient (null for constants and integer tensors). */
  readonly parents: ReadonlyArray<GradNode | null>;
  /** Gradients w.r.t. each parent, given the gradient w.r.t. this node's value (dropped once run by a releasing backward()). */
  backward?: (grad: NdArray, ctx: GradContext) => Grads | Promise<Grads>;
  requiresGrad: boolean;
}

/** What a gradient rule may ask of the walk (a releasing one; otherwise owned is false and alloc allocates). */
export interface GradContext {
  /** Nothing else holds `grad`'s buffer: the rule may overwrite it (an elementwise gradient written over the incoming one). */
  readonly owned: boolean;
  /**
   * An array of n floats for a gradient the rule returns (contents undefined): a dead gradient's that an
   * earlier rule got from alloc, when one of that length is free, else a fresh one. The walk takes it back
   * once its node's rule has used it, so a layer-by-layer backward stops leaving an array per layer behind.
   */
  alloc(n: number): Float32Array;
}

/** backward()'s options. */
export interface BackwardOptions {
  /**
   * Drop each node's value and rule (and with it the forward values its closure saved) as soon as the
   * rule has run, so saved activations are freed as backward goes instead of at its end. Nothing may read
   * such a node's value afterwards (it throws, naming the op): callers report forward values first.
   * Rules are then also told when they own their gradient (may overwrite it), the seed's buffer included.
   */
  release?: boolean;
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

/**
 * acc + g. NOTE: in place only when `owned` (the walk's check): backward rules may hand the same buffer to
 * several parents (add) or pass it through (reshape).
 */
function accumulate(acc: NdArray | undefined, g: NdArray, owned: boolean, alloc: (n: number) => Float32Array): NdArray {
  if (!acc) return g;
  const a = acc.data, b = g.data;
  const out = owned ? a : alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return { shape: acc.shape, data: out };
}

/**
 * Back-propagates `seed` (d loss / d root) and returns d loss / d node for every node that needs it.
 * `keep(node, grad)` says which gradients the caller wants kept (it sees each final gradient once, so it may
 * also just read it); the others are dropped as soon as they are used.
 */
export function backward(root: GradNode, seed: NdArray, keep: Keep = () => true, opts: BackwardOptions = {}): Map<GradNode, NdArray> {
  const walk = new Walk(root, seed, keep, !!opts.release);
  for (let n = walk.next(); n; n = walk.next()) {
    const gs = n.node.backward!(n.grad, n.ctx);
    if (gs instanceof Promise) throw new Error(`op '${n.node.op}' computes its gradient asynchronously: use backwardAsync`);
    walk.give(n.node, gs, n.grad);
  }
  return walk.kept;
}

/** The same walk where gradient rules may run on other threads (multi-threaded kernels). */
export async function backwardAsync(root: GradNode, seed: NdArray, keep: Keep = () => true, opts: BackwardOptions = {}): Promise<Map<GradNode, NdArray>> {
  const walk = new Walk(root, seed, keep, !!opts.release);
  for (let n = walk.next(); n; n = walk.next()) walk.give(n.node, await n.node.backward!(n.grad, n.ctx), n.grad);
  return walk.kept;
}

/**
 * Drops a node's value and rule. NOTE: only references go, no array is written: a value another rule's
 * closure still holds stays intact for it, and its memory is freed when the last holder lets go.
 */
function release(n: GradNode): void {
  n.backward = undefined;
  Object.defineProperty(n, 'value', {
    get(): never { throw new Error(`internal: the value of op '${n.op}' was read after backward released it`); },
    enumerable: true, configurable: true,
  });
}

/** Reverse topological order with gradient accumulation; yields the nodes whose rule must run. */
class Walk {
  private readonly grads = new Map<GradNode, NdArray>();
  readonly kept = new Map<GradNode, NdArray>();
  /** Buffers of the kept gradients: never owned by a rule, whatever passes them on. */
  private readonly keptBuffers = new Set<ArrayBufferLike>();
  /** Buffers alloc() handed out (only these are ever taken back), and the dead ones by length. */
  private readonly recyclable = new WeakSet<ArrayBufferLike>();
  private readonly free = new Map<number, Float32Array[]>();
  private readonly alloc = (n: number): Float32Array => {
    const a = this.free.get(n)?.pop() ?? new Float32Array(n);
    if (this.releasing) this.recyclable.add(a.buffer);
    return a;
  };
  private readonly order: GradNode[];
  private i: number;
  constructor(root: GradNode, seed: NdArray, private readonly keep: Keep, private readonly releasing: boolean) {
    this.grads.set(root, seed);
    this.order = topoOrder(root);
    this.i = this.order.length;
  }

  next(): { node: GradNode; grad: NdArray; ctx: GradContext } | undefined {
    while (--this.i >= 0) {
      const n = this.order[this.i];
      const g = this.grads.get(n);
      if (!g) continue;
      if (this.keep(n, g)) { this.kept.set(n, g); this.keptBuffers.add(g.data.buffer); }
      this.grads.delete(n); // NOTE: release what backward no longer needs
      if (!n.parents.length) { this.takeBack(g); continue; }
      if (!n.backward) throw new Error(`no gradient rule for op '${n.op}'`);
      return { node: n, grad: g, ctx: { owned: this.owned(g), alloc: this.alloc } };
    }
    return undefined;
  }

  /** A used gradient back into the free arrays: one of alloc()'s, whole, that nothing holds any more. */
  private takeBack(g: NdArray, still: Grads = []): void {
    const b = g.data.buffer;
    if (!this.recyclable.has(b) || g.data.byteOffset !== 0 || g.data.byteLength !== b.byteLength || !this.owned(g)) return;
    if (still.some((o) => o && o.data.buffer === b)) return;
    const list = this.free.get(g.data.length) ?? [];
    // NOTE: a few per length cover a layer-by-layer backward; more would only hold memory
    if (list.length < 4) { list.push(g.data); this.free.set(g.data.length, list); }
    this.recyclable.delete(b);
  }

  /** Whether nothing but the caller holds `g`'s buffer: no pending gradient (the walk's frontier, a few entries) and no kept one. */
  private owned(g: NdArray, except?: NdArray): boolean {
    const b = g.data.buffer;
    if (!this.releasing || this.keptBuffers.has(b)) return false;
    for (const o of this.grads.values()) if (o !== except && o.data.buffer === b) return false;
    return true;
  }

  give(n: GradNode, gs: Grads, used: NdArray): void {
    n.parents.forEach((p, j) => {
      const gp = gs[j];
      if (!p || !p.requiresGrad || !gp) return;
      const acc = this.grads.get(p);
      // the sum goes into acc when the walk alone holds it (and gp is another buffer)
      const inPlace = !!acc && acc.data.buffer !== gp.data.buffer && this.owned(acc, acc) && !gs.some((o) => o && o.data.buffer === acc.data.buffer);
      this.grads.set(p, accumulate(acc, gp, inPlace, this.alloc));
    });
    if (this.releasing) { release(n); this.takeBack(used, gs); }
  }
}
