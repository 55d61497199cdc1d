/** Compiles assembly/*.ts into engine/ops/wasm/kernels.generated.js unless it is up to date; true when it compiled. */
export declare function buildWasm(opts?: { force?: boolean }): Promise<boolean>;
