// Types of the module scripts/buildWasm.mjs generates (kernels.generated.js, git-ignored): the WebAssembly
// kernel variants compiled from assembly/*.ts, base64-encoded.

/** Built with relaxed SIMD (f32x4.relaxed_madd); needs a runtime whose WebAssembly.validate accepts it. */
export declare const relaxedSimd: string;
/** Plain SIMD128 (f32x4.mul + f32x4.add). */
export declare const simd128: string;
