// The WebAssembly kernels (assembly/*.ts, embedded by scripts/buildWasm.mjs): picks the variant the
// runtime validates (relaxed SIMD, then SIMD128, else none: the callers' JS kernels run), keeps one
// instance per thread, and hands out named regions of its memory. Never keep a view of the memory across
// a region() call: growing the memory detaches every view (take a fresh one from f32()).

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
  maxPool2d(src: number, planes: number, H: number, W: number, Ho: number, Wo: number, kh: number, kw: number,
    sh: number, sw: number, ph: number, pw: number, dh: number, dw: number, dst: number): void;
}

const PAGE = 65536;
/** Below this address the module's own globals could live (it has no data segments, but stay clear). */
const BASE = 1024;

/** One instance and its memory: a bump allocator of named regions, each reused while it is big enough. */
export class WasmKernels {
  readonly k: KernelExports;
  /** Byte address of gemm()'s packing workspace. */
  readonly work: number;
  private readonly memory: WasmMemory;
  private readonly regions = new Map<string, { ptr: number; floats: number }>();
  private top = BASE;

  constructor(module: object, readonly backend: Exclude<GemmBackend, 'js'>, api: WasmApi) {
    this.memory = new api.Memory({ initial: 1 });
    this.k = new api.Instance(module, { env: { memory: this.memory } }).exports as KernelExports;
    this.work = this.alloc(this.k.workFloats());
  }

  /** Byte address of a region of at least `floats` floats; its contents persist until it must grow. */
  region(name: string, floats: number): number {
    const r = this.regions.get(name);
    if (r && r.floats >= floats) return r.ptr;
    // NOTE: the old block is abandoned, not reused: regions only grow, so the waste stays below the
    // final sizes, and the whole memory goes with releaseWasmMemory().
    const ptr = this.alloc(Math.max(floats, r ? r.floats * 1.5 : 0));
    this.regions.set(name, { ptr, floats: Math.max(floats, r ? r.floats * 1.5 : 0) });
    return ptr;
  }

  /** A fresh view of the whole memory (views taken before a region() call may be detached). */
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
