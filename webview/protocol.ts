// The one typed message contract between the extension host, the webview and its engine worker.
// Two discriminated unions keyed by `type`; requests carry ids; a `ready` handshake carries the protocol
// version. The host imports this file with `import type` only. Tensors travel as {shape, data: Float32Array}.
// `weights` is any weights file (safetensors, .pth/.pt/.bin), detected by content; its name only sharpens messages.
import type { Diagnostic, Report } from '../engine/api';

export const PROTOCOL_VERSION = 1;

/** Files the engine may read, by absolute POSIX path (the worker has no file system). */
export type FileMap = Record<string, string>;

export interface TensorMessage { shape: number[]; data: Float32Array }

export type ToWorker =
  | { type: 'analysis/request'; id: number; file: string; files: FileMap; model?: string; input?: number[][] }
  | { type: 'run/request'; id: number; file: string; files: FileMap; model?: string; input?: number[][]; mode: 'train' | 'eval'; seed?: number; weights?: Uint8Array; weightsName?: string; weightsKey?: string; inputFile?: Uint8Array; keepTensors?: boolean };

export type FromWorker =
  | { type: 'ready'; version: number }
  | { type: 'analysis/result'; id: number; report: Report }
  | { type: 'run/result'; id: number; report: Report & { mode: 'train' | 'eval' }; tensors?: Array<{ output: TensorMessage; grad: TensorMessage | null }> }
  | { type: 'error'; id: number; message: string; diagnostics?: Diagnostic[] };

export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}
