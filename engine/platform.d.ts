// The few globals the pure engine may use: those that Node 20, browsers, Web Workers and VS Code's
// extension hosts all provide with the same meaning. Anything else platform-specific goes through an
// interface a host passes in (SourceHost, ComputePool), or lives in engine/node/.
declare const performance: { now(): number };
declare function atob(data: string): string;
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
