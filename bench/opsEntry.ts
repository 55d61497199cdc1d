// What bench/ops.mjs needs from the engine's kernels, bundled as out/bench/ops.js (Node, CJS).
// Benchmark plumbing only: nothing here is public API.
export { gemm, gemmWasm } from '../engine/ops/gemm';
export { gemmJs } from '../engine/ops/gemmJs';
export { gemmBackend, setGemmBackend } from '../engine/ops/wasm/wasmKernels';
export { conv2d, conv2dBackward } from '../engine/ops/conv2d';
export { conv2dAsync, conv2dBackwardAsync } from '../engine/ops/pool/conv2dAsync';
export { parallelGemm } from '../engine/ops/pool/parallelGemm';
export { createNodePool } from '../engine/node/nodePool';
export { relu, relu_ } from '../engine/ops/relu';
export { add, add_ } from '../engine/ops/add';
export { maxPool2d } from '../engine/ops/maxPool2d';
export { adaptiveAvgPool2d } from '../engine/ops/adaptiveAvgPool2d';
export { linear } from '../engine/ops/linear';
export { batchNorm } from '../engine/ops/batchNorm';
