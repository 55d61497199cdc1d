// Entry of the WebAssembly kernel module: everything the engine calls through engine/ops/wasm/.
export { gemm, workFloats } from './gemm';
export { im2col, col2im } from './im2col';
export { maxPool2d, maxPool2dBackward } from './pool';
export { reluInPlace } from './epilogue';
export { reluBackward, scaleShift, batchNormGradInput, addArrays } from './elementwise';
