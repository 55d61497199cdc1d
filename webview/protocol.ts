// The one typed message contract between the extension host, the Inspector webview and its engine worker.
// Discriminated unions keyed by `type`; requests carry ids; `ready` handshakes carry the protocol version;
// every receiver validates what arrives with the small runtime checks below (nothing here imports vscode or
// the DOM: the host, the webview and the worker all use it). Tensors travel as {shape, data: Float32Array}.
// The envelope (ids), the generic handler (dispatch) and cancellation are engine/util/messages.ts's, shared
// with the host ↔ analysis worker protocol (extension/analysis/protocol.ts).
import type { ActivationName, Cancelled, Diagnostic, Loc, LossSpec, Report, RunResult, RunVariant } from '../engine';
export { assertNever, dispatch, type Handlers } from '../engine';

export const PROTOCOL_VERSION = 3;

/** Files the engine may read, by absolute POSIX path (the worker has no file system). */
export type FileMap = Record<string, string>;

export interface TensorMessage { shape: number[]; data: Float32Array }

export type PatternName = 'gradient' | 'checkerboard' | 'edges' | 'disc';
export const PATTERNS: readonly PatternName[] = ['gradient', 'checkerboard', 'edges', 'disc'];

/** What the model is fed: the engine's seeded N(0, 1) noise, a synthetic pattern, or decoded pixels. */
export type InputSpec =
  | { kind: 'noise' }
  | { kind: 'pattern'; pattern: PatternName }
  | { kind: 'tensor'; tensor: TensorMessage }
  /** A tensor file (safetensors or torch.save) holding `input`, as `layerlens run --input-file` reads it. */
  | { kind: 'file'; bytes: Uint8Array };

/** Per-channel statistics of one kept tensor (channel = dim 1; a rank-1 or rank-2 tensor has one "channel" per feature). */
export interface ChannelStats { mean: Float32Array; std: Float32Array; min: Float32Array; max: Float32Array }

/** A convolution's resolved geometry (engine/ops/convShape.ts through the worker), per spatial dim [H, W]. */
export interface ConvGeometryMsg {
  inChannels: number; inH: number; inW: number; outChannels: number; outH: number; outW: number;
  kernel: number[]; stride: number[]; padding: Array<[number, number]>; dilation: number[]; groups: number;
}

/** One sample through one Conv2d: what the step-through draws (input unpadded; output the engine's). */
export interface ConvStepData {
  /** [Cin, H, W] of the sample. */
  input: TensorMessage;
  /** [Cout, Cin/groups, kh, kw]. */
  weight: TensorMessage;
  bias: Float32Array | null;
  /** The engine's convolution output for the sample, [Cout, Ho, Wo]. */
  output: TensorMessage;
  geometry: ConvGeometryMsg;
  sample: number;
}

/** Per-channel histograms of one tensor: `bins` counts per channel between that channel's lo and hi. */
export interface ChannelHistograms { bins: number; lo: Float32Array; hi: Float32Array; counts: Uint32Array; mean: Float32Array; std: Float32Array }

/** One BatchNorm call as the run computed it (all per channel). */
export interface BatchNormData {
  /** Which statistics normalised: the batch's (train) or the running buffers (eval). */
  training: boolean;
  eps: number;
  momentum: number | null;
  /** Values per channel (N × spatial). */
  count: number;
  batchMean: Float32Array;
  /** Biased (what train mode divides by). */
  batchVar: Float32Array;
  runningMean: Float32Array | null;
  runningVar: Float32Array | null;
  /** After this forward (train mode only). */
  runningMeanAfter: Float32Array | null;
  runningVarAfter: Float32Array | null;
  weight: Float32Array | null;
  bias: Float32Array | null;
  /** Histograms of the input, of x̂ = (x − μ)/√(σ² + ε) with the statistics used, and of the output (γx̂ + β). */
  pre: ChannelHistograms;
  norm: ChannelHistograms;
  post: ChannelHistograms;
}

/** One activation call: its curve and derivative through the engine's kernels, and what its inputs were. */
export interface ActivationData {
  op: string;
  attrs: Record<string, number | string>;
  xs: Float32Array;
  f: Float32Array;
  df: Float32Array;
  /** Histogram of the call's inputs (all channels). */
  hist: { lo: number; hi: number; counts: Uint32Array };
  /** |f′(x)| below this counts as saturated (dead, for ReLU). */
  threshold: number;
  /** Share of the call's inputs with |f′(x)| < threshold. */
  saturatedShare: number;
  /** The same share per channel, and how many channels had every input there. */
  channelSaturated: Float32Array;
  deadChannels: number;
  /** f and f′ at a few points (the words under the curve, the tests). */
  samples: Array<{ x: number; f: number; df: number }>;
}

export interface RowTensors {
  output: TensorMessage; grad: TensorMessage | null; channels: ChannelStats | null;
  /** The article views' data for conv, BatchNorm and activation rows (runs with `capture`). */
  conv?: ConvStepData; batchNorm?: BatchNormData; activation?: ActivationData;
}

/** Batch statistics of each BatchNorm over several batches of one size (the batch-size slider's re-run). */
export interface BatchNoise {
  batch: number;
  draws: number;
  layers: Array<{ row: number; channels: number; mean: Float32Array; var: Float32Array }>;
  /** Train-mode minus eval-mode output of the same batch: per BatchNorm row and at the model's output. */
  trainEval: Array<{ row: number; meanAbs: number; maxAbs: number }>;
  output: { meanAbs: number; maxAbs: number };
}

export type { ActivationName, LossSpec, RunVariant };

// ------------------------------------------------------------------ webview ↔ engine worker

export type ToWorker =
  | { type: 'analysis/request'; id: number; file: string; files: FileMap; model?: string; input?: number[][]; dataflow?: boolean }
  | {
    type: 'run/request'; id: number; file: string; files: FileMap; model?: string; input?: number[][]; mode: 'train' | 'eval'; seed?: number;
    /** State-dict bytes; `weightsName` says which format (the file's name: `.safetensors`, `.pt`, `.pth`, `.bin`). */
    weights?: Uint8Array; weightsName?: string; weightsKey?: string;
    inputFile?: Uint8Array; inputSpec?: InputSpec; keepTensors?: boolean; dataflow?: boolean;
    /** The article views' data per row (conv, BatchNorm, activations). */
    capture?: boolean; variant?: RunVariant; loss?: LossSpec;
  }
  /** The article's worked example through the engine's conv2d. */
  | { type: 'convDemo/request'; id: number }
  /** Batch statistics over `draws` seeded noise batches of `batch` (train mode, forward only), and train vs eval. */
  | {
    type: 'bn/request'; id: number; file: string; files: FileMap; model?: string; input?: number[][]; seed?: number;
    weights?: Uint8Array; weightsName?: string; batch: number; draws: number;
  };

export type FromWorker =
  | { type: 'ready'; version: number }
  | { type: 'progress'; id: number; phase: string }
  | { type: 'analysis/result'; id: number; report: Report }
  | { type: 'run/result'; id: number; report: Omit<RunResult, 'captures'>; tensors?: RowTensors[] }
  | { type: 'convDemo/result'; id: number; conv: ConvStepData }
  | { type: 'bn/result'; id: number; noise: BatchNoise }
  | { type: 'error'; id: number; message: string; diagnostics?: Diagnostic[] }
  /** Answered by the webview's client itself for each pending request when it stops the worker (Cancel, a crash). */
  | Cancelled;

// ------------------------------------------------------------------ extension host ↔ webview

export interface FileEntry { path: string; name: string }

/** Run settings as the controls set them (webview/app/store.ts RunSettings, all optional). */
export interface SettingsPatch {
  weights?: { kind: 'init' } | { kind: 'file'; path: string; name: string };
  input?: { kind: 'noise' } | { kind: 'pattern'; pattern: PatternName } | { kind: 'image'; path: string; name: string };
  mode?: 'eval' | 'train';
  seed?: number;
  batch?: number | null;
  normalize?: 'none' | 'imagenet' | 'mnist';
  loss?: LossSpec;
}

/** The model a panel shows: its source files (the host reads them; the webview's engine analyses them). */
export interface ModelInfo {
  /** The model file's URI (the panel's identity, with `expr`). */
  uri: string;
  /** Its engine path (POSIX absolute). */
  file: string;
  expr: string;
  input: number[][];
  inputSource: string;
  files: FileMap;
  /** State-dict files next to the model (*.safetensors, *.pt, *.pth, *.bin), offered first. */
  weightsFiles: FileEntry[];
  /** Images next to the model (sample inputs shipped with an example). */
  sampleFiles: FileEntry[];
  /** The host's analysis failed or found no model: why. */
  problem?: string;
}

/** What the webview tells the host it shows (the title, the integration tests). */
export interface WebviewStatus {
  view: string;
  /** Summary rows rendered (after depth and filter). */
  rows: number;
  selectedRow: number | null;
  selectedName: string | null;
  analysed: boolean;
  ran: boolean;
  busy: boolean;
  error: string | null;
  /** Views that have drawn real data. */
  rendered: string[];
}

export type ToWebview =
  | { type: 'model'; model: ModelInfo }
  | { type: 'cursor'; file: string; line: number }
  | { type: 'file/result'; id: number; name: string; path: string; bytes: Uint8Array }
  | { type: 'file/error'; id: number; message: string }
  /** The user dismissed the file picker of request `id`. */
  | Cancelled
  /** Acts as the user would (test hooks and commands): select a row (and reveal it), show a view, change run settings, run. */
  | { type: 'select'; rowIndex: number }
  | { type: 'settings'; settings: SettingsPatch }
  | { type: 'show'; view: string }
  | { type: 'run' };

export type FromWebview =
  | { type: 'ready'; version: number }
  | { type: 'reveal'; loc: Loc }
  | { type: 'file/request'; id: number; purpose: 'weights' | 'image'; path?: string }
  /** Source files the engine looked for and did not get (imports, package markers): the host sends a new `model` with those it has. */
  | { type: 'sources/request'; paths: string[] }
  | { type: 'copy'; format: 'markdown' | 'csv' | 'json' }
  | { type: 'status'; status: WebviewStatus }
  | { type: 'error'; message: string };

// ------------------------------------------------------------------ runtime validation

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const int: Check = (v) => Number.isInteger(v);
const bool: Check = (v) => typeof v === 'boolean';
const bytes: Check = (v) => v instanceof Uint8Array;
const opt = (c: Check): Check => (v) => v === undefined || c(v);
const arr = (c: Check): Check => (v) => Array.isArray(v) && v.every(c);
const oneOf = (...xs: unknown[]): Check => (v) => xs.includes(v);
const record = (c: Check): Check => (v) => typeof v === 'object' && v !== null && Object.values(v).every(c);
const obj = (shape: Record<string, Check>): Check => (v) =>
  typeof v === 'object' && v !== null && Object.entries(shape).every(([k, c]) => c((v as Record<string, unknown>)[k]));

const shapes = arr(arr(int));
const loc = obj({ file: str, line: int, col: int, endLine: int, endCol: int });
const fileEntry = obj({ path: str, name: str });
const tensor = obj({ shape: arr(int), data: (v) => v instanceof Float32Array });
const inputSpec: Check = (v) => obj({ kind: oneOf('noise') })(v) || obj({ kind: oneOf('pattern'), pattern: oneOf(...PATTERNS) })(v) || obj({ kind: oneOf('tensor'), tensor })(v) || obj({ kind: oneOf('file'), bytes })(v);
const lossSpec: Check = (v) => obj({ kind: oneOf('sum') })(v) || obj({ kind: oneOf('crossEntropy'), target: int })(v);
const ACTIVATION_NAMES: readonly ActivationName[] = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu'];
const variant = obj({ activation: opt(oneOf(...ACTIVATION_NAMES)), removeBatchNorm: opt(bool) });
const f32 = (v: unknown) => v instanceof Float32Array;
const modelInfo = obj({ uri: str, file: str, expr: str, input: shapes, inputSource: str, files: record(str), weightsFiles: arr(fileEntry), sampleFiles: arr(fileEntry), problem: opt(str) });
const settingsPatch = obj({
  weights: opt((v) => obj({ kind: oneOf('init') })(v) || obj({ kind: oneOf('file'), path: str, name: str })(v)),
  input: opt((v) => obj({ kind: oneOf('noise') })(v) || obj({ kind: oneOf('pattern'), pattern: oneOf(...PATTERNS) })(v) || obj({ kind: oneOf('image'), path: str, name: str })(v)),
  mode: opt(oneOf('eval', 'train')), seed: opt(int), batch: opt((v) => v === null || (int(v) && (v as number) > 0)), normalize: opt(oneOf('none', 'imagenet', 'mnist')),
  loss: opt(lossSpec),
});
const status = obj({ view: str, rows: int, selectedRow: (v) => v === null || int(v), selectedName: (v) => v === null || str(v), analysed: bool, ran: bool, busy: bool, error: (v) => v === null || str(v), rendered: arr(str) });
const request = { id: int, file: str, files: record(str), model: opt(str), input: opt(shapes), dataflow: opt(bool) };

// One check per message type; the mapped types make a missing one a compile error.
const TO_WEBVIEW: { [K in ToWebview['type']]: Check } = {
  model: obj({ model: modelInfo }),
  cursor: obj({ file: str, line: int }),
  'file/result': obj({ id: int, name: str, path: str, bytes }),
  'file/error': obj({ id: int, message: str }),
  cancelled: obj({ id: int }),
  select: obj({ rowIndex: int }),
  settings: obj({ settings: settingsPatch }),
  show: obj({ view: str }),
  run: () => true,
};
const FROM_WEBVIEW: { [K in FromWebview['type']]: Check } = {
  ready: obj({ version: int }),
  reveal: obj({ loc }),
  'file/request': obj({ id: int, purpose: oneOf('weights', 'image'), path: opt(str) }),
  'sources/request': obj({ paths: arr(str) }),
  copy: obj({ format: oneOf('markdown', 'csv', 'json') }),
  status: obj({ status }),
  error: obj({ message: str }),
};
const TO_WORKER: { [K in ToWorker['type']]: Check } = {
  'analysis/request': obj(request),
  'run/request': obj({ ...request, mode: oneOf('train', 'eval'), seed: opt(num), weights: opt(bytes), weightsName: opt(str), weightsKey: opt(str), inputFile: opt(bytes), inputSpec: opt(inputSpec), keepTensors: opt(bool), capture: opt(bool), variant: opt(variant), loss: opt(lossSpec) }),
  'convDemo/request': obj({ id: int }),
  'bn/request': obj({ ...request, seed: opt(num), weights: opt(bytes), weightsName: opt(str), batch: (v) => int(v) && (v as number) >= 2 && (v as number) <= 1024, draws: (v) => int(v) && (v as number) >= 1 && (v as number) <= 64 }),
};
const FROM_WORKER: { [K in FromWorker['type']]: Check } = {
  ready: obj({ version: int }),
  progress: obj({ id: int, phase: str }),
  'analysis/result': obj({ id: int, report: obj({ rows: arr(obj({ name: str })), totals: obj({ params: num }) }) }),
  'run/result': obj({ id: int, report: obj({ rows: arr(obj({ name: str })), mode: oneOf('train', 'eval') }), tensors: opt(arr(obj({ output: tensor, grad: (v) => v === null || tensor(v) }))) }),
  'convDemo/result': obj({ id: int, conv: obj({ input: tensor, weight: tensor, output: tensor, geometry: obj({ outH: int, outW: int }) }) }),
  'bn/result': obj({ id: int, noise: obj({ batch: int, draws: int, layers: arr(obj({ row: int, channels: int, mean: f32, var: f32 })) }) }),
  error: obj({ id: int, message: str }),
  cancelled: obj({ id: int }),
};

function parseWith<T extends { type: string }>(table: Record<string, Check>, v: unknown): T | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const type = (v as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(table, type)) return undefined;
  return table[type](v) ? (v as T) : undefined;
}

/** The message if it is a well-formed ToWebview, else undefined (the receiver reports and drops it). */
export const parseToWebview = (v: unknown): ToWebview | undefined => parseWith<ToWebview>(TO_WEBVIEW, v);
export const parseFromWebview = (v: unknown): FromWebview | undefined => parseWith<FromWebview>(FROM_WEBVIEW, v);
export const parseToWorker = (v: unknown): ToWorker | undefined => parseWith<ToWorker>(TO_WORKER, v);
export const parseFromWorker = (v: unknown): FromWorker | undefined => parseWith<FromWorker>(FROM_WORKER, v);

/** A short description of a message that failed validation (never the whole payload: it may be megabytes). */
/** The rejection of a request that was cancelled (a dismissed picker): not an error to show. */
export class CancelledError extends Error {
  constructor() { super('cancelled'); }
}

export function describeBad(v: unknown): string {
  const type = typeof v === 'object' && v !== null ? (v as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? `a malformed '${type.slice(0, 40)}' message` : 'a message without a type';
}
