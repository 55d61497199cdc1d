// The WebAssembly kernels (assembly/*.ts, embedded by scripts/buildWasm.mjs): picks the variant the
// runtime validates (relaxed SIMD, then SIMD128, else none: the callers' JS kernels run), keeps one
// instance per thread, and hands out the regions of its memory one kernel call needs. Never keep a view
// of the memory or a region's address across a regions() call: growing detaches views and moves regions.

import { relaxedSimd, simd128 } from './kernels.generated';

export type GemmBackend = 'relaxed-simd' | 'simd128' | 'js';

interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (desc: { initial: number }) => WasmMemory;
}

/** The module's exports; pointers are byte addresses, sizes and strides count floats. */
interface KernelExports {
  workFloats(): number;
  gemm(tA: number, tB: number, M: number, N: number, K: number, alpha: number, pA: number, lda: number,
    pB: number, ldb: number, beta: number, pC: number, ldc: number, work: number): void;
  im2col(img: number, C: number, H: number, W: number, plane: number, y0: number, kh: number, kw: number,
    sh: number, sw: number, padT: number, padL: number, dh: number, dw: number, outW: number,
    col: number, oy0: number, oy1: number): void;
  col2im(col: number, C: number, H: number, W: number, plane: number, y0: number, kh: number, kw: number,
    sh: number, sw: number, padT: number, padL: number, dh: number, dw: number, outW: number,
    img: number, oy0: number, oy1: number): void;
  reluInPlace(p: number, n: number): void;
  reluBackward(x: number, g: number, out: number, n: number): void;
  addArrays(x: number, y: number, out: number, n: number): void;
  scaleShift(x: number, out: number, n: number, scale: number, shift: number): void;
  batchNormGradInput(x: number, g: number, out: number, n: number, k: number, mg: number, m: number, is: number, mgx: number): void;
  maxPool2d(src: number, planes: number, H: number, W: number, Ho: number, Wo: number, kh: number, kw: number,
    sh: number, sw: number, ph: number, pw: number, dh: number, dw: number, dst: number): void;
  maxPool2dBackward(src: number, gy: number, planes: number, H: number, W: number, Ho: number, Wo: number, kh: number, kw: number,
    sh: number, sw: number, ph: number, pw: number, dh: number, dw: number, gx: number): void;
}

const PAGE = 65536;
/** Below this address the module's own globals could live (it has no data segments, but stay clear). */
const BASE = 1024;

/**
 * One instance and its memory, laid out for one kernel call at a time: regions() places the operands a call
 * needs; while they fit where they are, the layout (and what the regions hold) stays.
 */
export class WasmKernels {
  readonly k: KernelExports;
  /** Byte address of gemm()'s packing workspace. */
  readonly work: number;
  private readonly memory: WasmMemory;
  private readonly placed = new Map<string, { ptr: number; floats: number }>();
  private readonly base: number;
  private top: number;

  constructor(module: object, readonly backend: Exclude<GemmBackend, 'js'>, api: WasmApi) {
    this.memory = new api.Memory({ initial: 1 });
    this.k = new api.Instance(module, { env: { memory: this.memory } }).exports as KernelExports;
    this.top = BASE;
    this.work = this.alloc(this.k.workFloats());
    this.base = this.top;
  }

  /**
   * Byte addresses of regions of at least the given float counts, in order. When one does not fit, every
   * region is laid out again from the bottom (contents lost): the memory grows to the largest call's needs,
   * never to the sum of every size a region once had.
   */
  regions(...req: Array<[name: string, floats: number]>): number[] {
    const fits = req.every(([name, floats]) => (this.placed.get(name)?.floats ?? -1) >= floats);
    if (!fits) {
      this.placed.clear();
      this.top = this.base;
      // NOTE: a little headroom, so layers that grow slowly (a network's deeper convs) do not relayout each time
      for (const [name, floats] of req) this.placed.set(name, { ptr: this.alloc(floats * 1.25), floats: Math.ceil(floats * 1.25) });
    }
    return req.map(([name]) => this.placed.get(name)!.ptr);
  }

  /** A fresh view of the whole memory (views taken before a regions() call may be detached). */
  f32(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }

  get bytes(): number {
    return this.memory.buffer.byteLength;
  }

  private alloc(floats: number): number {
    const ptr = this.top;
    this.top = ptr + Math.ceil((Math.ceil(floats) * 4) / 64) * 64;
    const need = this.top - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / PAGE));
    return ptr;
  }
}

type Preference = GemmBackend | 'auto';
let preference: Preference = 'auto';
let current: WasmKernels | null | undefined;
const modules = new Map<string, object | null>();

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

function decode(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The compiled module of a variant, or null where the runtime does not validate it (or cannot compile it here). */
function compiled(api: WasmApi, backend: Exclude<GemmBackend, 'js'>): object | null {
  if (!modules.has(backend)) {
    let m: object | null = null;
    try {
      const bytes = decode(backend === 'relaxed-simd' ? relaxedSimd : simd128);
      // NOTE: a browser's main thread refuses synchronous compiles of large modules; ours is ~3 KB and
      // the engine runs in workers, but a refusal just means the JS kernels run.
      if (api.validate(bytes)) m = new api.Module(bytes);
    } catch { m = null; }
    modules.set(backend, m);
  }
  return modules.get(backend)!;
}

/**
 * This thread's kernel instance, created on first use, or null when WebAssembly SIMD is unavailable or
 * switched off with setGemmBackend('js').
 */
export function wasmKernels(): WasmKernels | null {
  if (current !== undefined) return current;
  current = null;
  const api = wasmApi();
  if (!api || preference === 'js') return current;
  const order: Array<Exclude<GemmBackend, 'js'>> = preference === 'simd128' ? ['simd128'] : ['relaxed-simd', 'simd128'];
  for (const b of order) {
    const m = compiled(api, b);
    if (m) { current = new WasmKernels(m, b, api); break; }
  }
  return current;
}

/** Which GEMM runs on this thread: 'relaxed-simd', 'simd128' or the plain-JS 'js'. */
export function gemmBackend(): GemmBackend {
  return wasmKernels()?.backend ?? 'js';
}

/**
 * Chooses the GEMM variant for this thread ('auto': the best the runtime validates). Forcing 'js' is how
 * tests and benchmarks exercise the fallback; a variant the runtime rejects falls back further.
 */
export function setGemmBackend(b: Preference): void {
  preference = b;
  current = undefined;
}

/** Drops this thread's instance and its memory (WebAssembly memory never shrinks); the next call makes a new one. */
export function releaseWasmMemory(): void {
  current = undefined;
}

/** Drops the instance when its memory grew past `maxBytes` (a one-off huge operand), keeping it otherwise. */
export function trimWasmMemory(maxBytes = 256 << 20): void {
  if (current && current.bytes > maxBytes) current = undefined;
}
