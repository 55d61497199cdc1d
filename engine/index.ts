// The engine's only public entry: what extension/, webview/ and the CLI import.
// Must not import `vscode`, `node:*` or the DOM, so it runs in Node, the extension host and a worker.
export * from './api';
export { analyze, runAnalysis } from './analysis/analyze';
export { discover as findModelsIn, pickModel, parseInputSpec } from './analysis/discovery';
export { formatTable, toContractJson, toMarkdown, toCsv, fmtInt, fmtShape, fmtSI, fmtBytes, fmtTotal, incompleteNote } from './analysis/format';
export { ACTIVATIONS } from './torch/layers/activation';
export { runModel, runModelAsync, runForwardPasses, runJson, type RunOptions } from './run/run';
export { activationCurve, activationGrad, WHAT_IF_ACTIVATIONS, ACTIVATION_OPS, type ActivationName, type RunVariant, type LossSpec } from './run/inspect';
export { dispatch, assertNever, type Cancelled, type Envelope, type Handlers } from './util/messages';
// Weights files: safetensors and PyTorch checkpoints (.pth/.pt/.bin) detected by content, read without Python.
export { readWeights, detectFormat, summarizeTensor, type WeightsFile, type WeightTensor, type ReadWeightsOptions, type TensorSummary } from './io/weights';
export { loadStateDict, type StateDictReport } from './io/stateDict';
export { WeightsError } from './io/weightsError';
export { writeSafetensors } from './io/safetensors';
// Numeric speed: which GEMM runs (WebAssembly relaxed SIMD / SIMD128 / JS), and the multi-threaded kernels
// over a compute pool (Node's pool is engine/node/nodePool.ts, outside this entry: it imports node:*).
export { gemmBackend, setGemmBackend, releaseWasmMemory, type GemmBackend } from './ops/wasm/wasmKernels';
export { createBrowserPool, type WebWorkerLike } from './ops/pool/browserPool';
export type { ComputePool } from './ops/pool/pool';
export { parallelGemm, gemmAsync } from './ops/pool/parallelGemm';
export { conv2dAsync, conv2dBackwardAsync } from './ops/pool/conv2dAsync';
import type { DiscoveryResult } from './api';
import { discover } from './analysis/discovery';
import { parsedFile } from './analysis/analyze';
import { LineIndex } from './python/lineIndex';

/** Models and input shapes a Python file defines (syntactic; runs nothing; shares the analysis's parse cache). */
export function findModels(file: string, source: string): DiscoveryResult {
  const parsed = parsedFile(file, source);
  const found = discover(file, source, parsed);
  const first = parsed.problems[0];
  return first ? { ...found, syntaxError: new LineIndex(file, source).loc(first.s, first.e) } : found;
}
