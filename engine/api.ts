// The engine's public data types: what analysis hands to the CLI, the extension host and the webview.
// Plain JSON-able data only (no classes, no functions) so reports cross worker and webview boundaries.
// Must not import anything from the rest of the engine.

/** A dimension is a non-negative integer, or null when the analysis cannot know it. */
export type Dim = number | null;
export type Shape = Dim[];

/** Zero-based line/column source range (columns in UTF-16 code units, as VS Code counts them). */
export interface Loc {
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A text edit offered as a quick fix: replace `loc` with `text`. */
export interface Fix {
  title: string;
  loc: Loc;
  text: string;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable kind, e.g. 'syntax', 'import', 'shape.channels', 'unknown', 'budget'. */
  code: string;
  message: string;
  loc?: Loc;
  fix?: Fix;
}

export interface ParamInfo {
  /** Name relative to its module (`weight`, `bias`, or the attribute name of an nn.Parameter). */
  name: string;
  shape: Shape;
  numel: number | null;
  trainable: boolean;
  /** True when this parameter object was already counted under an earlier module (tied weights). */
  shared: boolean;
}

export interface ReceptiveField {
  /** Receptive field size per spatial dim, in input pixels. */
  size: number[];
  /** Cumulative stride ("jump") per spatial dim. */
  stride: number[];
}

/** One row per call of a leaf module, in the order the calls finish during the forward pass. */
export interface Row {
  /** Qualified name as `model.named_modules()` lists it. */
  name: string;
  /** Class name of the module (`Conv2d`, or the user's subclass name). */
  type: string;
  /** Shapes of the tensor arguments of the call. */
  inputs: Shape[];
  /** Shape of the returned tensor (the first one when a tuple is returned); null when unknown. */
  output: Shape | null;
  /** All returned tensors' shapes when the call returns several. */
  outputs?: Shape[];
  /** Parameter elements owned directly by the module. */
  params: number;
  trainableParams: number;
  paramShapes: ParamInfo[];
  /** Multiply-accumulates (bias not counted, batch included); null when unknown. */
  macs: number | null;
  /** Floating point operations of the whole layer incl. bias, normalisation and activation work. */
  flops: number | null;
  /** Bytes of the output tensor(s) (float32 unless the dtype says otherwise). */
  outputBytes: number | null;
  receptiveField?: ReceptiveField;
  /** The window geometry the engine resolved for this call (convolution and pooling layers). */
  geometry?: LayerGeometry;
  /** The factors of this call's MACs and parameter count (conv, transposed conv, linear); present only when they multiply to `macs`. */
  cost?: CostTerms;
  /** The module's constructor arguments as the interpreter resolved them (for hovers and formulas). */
  config: Record<string, ConfigValue>;
  /** Where the module object was constructed (`nn.Conv2d(...)` call expression). */
  defLoc?: Loc;
  /** Where this call happened (the call expression in the caller's `forward`). */
  callLoc?: Loc;
  /** Index of the call among all calls of this module (0 for the first). */
  callIndex: number;
  /** Free-text notes when a value is unknown, e.g. which construct stopped the analysis. */
  unknownReason?: string;
}

/**
 * The window geometry of one convolution or pooling call as the engine resolved it: 'same'/'valid'
 * padding as pairs, stride defaults applied, and the terms of the output-size rule per spatial dim.
 */
export interface LayerGeometry {
  op: 'conv' | 'conv_transpose' | 'max_pool' | 'avg_pool';
  kernel: number[];
  stride: number[];
  /** Padding before and after, per spatial dim. */
  padding: Array<[number, number]>;
  dilation: number[];
  groups: number;
  /** Transposed convolution only. */
  outputPadding?: number[];
  /** Pooling only: the rule rounds up (⌈⌉) instead of down. */
  ceilMode?: boolean;
  /** Pooling with ceil_mode: per dim, whether a last window that would start in the right padding was dropped. */
  droppedLastWindow?: boolean[];
  /** Spatial input and output sizes (null where unknown). */
  inputSize: Dim[];
  outputSize: Dim[];
}

/** One factor of a cost product; `num`/`den` when it is a per-group quotient such as C_in/groups. */
export interface CostFactor {
  /** What the factor counts: 'N' (batch or rows), 'C_out', 'H_out', 'C_in/groups', 'K_h', 'in_features', … */
  name: string;
  value: number;
  num?: number;
  den?: number;
}

/** The factors of a call's cost: MACs = Π macs, params = Π weight + bias. */
export interface CostTerms {
  macs: CostFactor[];
  weight: CostFactor[];
  /** Bias elements (0 when there is no bias). */
  bias: number;
}

/** What a layer call resolved, beside its shapes: geometry and cost factors. */
export interface LayerTerms {
  geometry?: LayerGeometry;
  cost?: CostTerms;
}

/** A tensor's values as plain data (row-major float32), what crosses worker and webview boundaries. */
export interface TensorData { shape: number[]; data: Float32Array }

/** Summary statistics of one tensor. */
export interface Stats { mean: number; std: number; min: number; max: number }

/** A row of a run: the analysis row plus what the numeric pass measured. */
export interface RunRow extends Row {
  /** Statistics of the call's output. */
  stats: Stats | null;
  /** L2 norm of d(loss)/d(output), loss = sum(model output). */
  gradNorm: number | null;
  /** BatchNorm in train mode: the running statistics after the pass. */
  runningMean?: number[];
  runningVar?: number[];
}

/** `layerlens run`, the Inspector's run and runModel(): the report of one forward and backward pass. */
export interface RunReport extends Omit<Report, 'rows'> {
  mode: 'train' | 'eval';
  rows: RunRow[];
  outputStats: Stats | null;
  /** forwardMs/backwardMs: the first pass; warm*: the median of the `repeat` passes after it (absent without). */
  timings: Report['timings'] & { forwardMs: number; backwardMs: number; warmForwardMs?: number; warmBackwardMs?: number; warmPasses?: number };
  /** Per row (same order): the call's output and d(loss)/d(output), when `keepTensors` was set. */
  tensors?: Array<{ output: TensorData; grad: TensorData | null }>;
  /** Per row (same order), when `capture` was set: its own op's arguments (undefined for other rows; engine/run/inspect.ts). */
  captures?: Array<RowCapture | undefined>;
  /** The value of the loss back-propagated when it is not the sum (cross-entropy against a class). */
  loss?: number;
}

/** A row's own op and the values of its tensor arguments as the run computed them (the Inspector's article views). */
export interface RowCapture {
  op: string;
  /** The op's numeric and string attributes (stride, padding, eps, negative_slope, …). */
  attrs: Record<string, unknown>;
  /** The op's tensor arguments in PyTorch's order (conv: input, weight, bias; batch_norm: input, weight, bias, running_mean, running_var); null where absent. */
  args: Array<TensorData | null>;
  /** batch_norm: the batch's per-channel mean and biased variance (what train mode normalises with). */
  batchStats?: { mean: Float64Array; var: Float64Array };
  /** batch_norm in train mode: running_mean and running_var after this forward. */
  buffersAfter?: { mean: TensorData; var: TensorData };
}

/** A run report as it crosses a boundary without its tensors (they travel separately, buffers transferred). */
export type RunResult = Omit<RunReport, 'tensors'>;

export type ConfigValue = number | boolean | string | null | ConfigValue[];

export interface Totals {
  params: number;
  trainableParams: number;
  /** Sum of row MACs plus functional matmul-type MACs; null when the total is incomplete (see `incomplete`). */
  macs: number | null;
  flops: number | null;
  /** The sum of the parts that are known: equals `macs` when the total is complete, a lower bound otherwise. */
  macsLowerBound: number;
  flopsLowerBound: number;
  /**
   * Why the totals are not complete — rows of unknown cost, functional calls the analysis could not
   * follow, a forward pass that stopped — each naming the construct. Absent when complete.
   */
  incomplete?: string[];
  /** MACs of functional calls outside leaf modules (already included in `macs`). */
  functionalMacs: number | null;
  /** Sum of the rows' output bytes (forward activation memory). */
  activationBytes: number | null;
  paramBytes: number;
  bufferBytes: number;
}

/** A module in the `named_modules()` tree. */
export interface ModuleNode {
  name: string;
  type: string;
  depth: number;
  isLeaf: boolean;
  params: number;
  defLoc?: Loc;
  /** The helper calls the module was constructed through (`conv3x3(...)`, `make_layers(cfg)`), innermost first. */
  builtVia?: Loc[];
}

/**
 * One call of a module that has children (a container, a custom block, a built-in such as
 * MultiheadAttention): what the editor's hover of `self.features(x)` shows. Its leaf calls are
 * `Report.rows[rowStart, rowEnd)`.
 */
export interface BlockCall {
  name: string;
  type: string;
  inputs: Shape[];
  output: Shape | null;
  outputs?: Shape[];
  callLoc?: Loc;
  callIndex: number;
  rowStart: number;
  rowEnd: number;
  /** Parameter elements of the module and its children (tied weights once). */
  params: number;
  /** Its rows' MACs plus the functional MACs during the call; null when one is unknown. */
  macs: number | null;
  flops: number | null;
}

/** One functional op or tensor method called in a `forward` outside leaf modules (`F.relu(...)`, `x.view(...)`). */
export interface OpCall {
  /** The op as the runtime names it (`relu`, `Tensor.view`). */
  op: string;
  loc: Loc;
  /** Shapes of its tensor arguments (the tensor itself first for a method). */
  inputs: Shape[];
  output: Shape;
  outputs?: Shape[];
  /** MACs counted for it (0 for reshapes and element-wise ops); null when unknown. */
  macs: number | null;
  flops: number | null;
  /** Qualified name of the module whose forward made the call ('' for the model's own). */
  module: string;
}

export interface ModelCandidate {
  /** Expression to evaluate in the file's scope, e.g. `SimpleCNN()` or `make_model()`. */
  expr: string;
  kind: 'class' | 'factory' | 'assignment';
  name: string;
  loc: Loc;
  /** Input shape written in the file for this model, if any. */
  input?: number[][];
  inputSource?: 'comment' | 'example';
}

export interface Report {
  model: string;
  inputs: number[][];
  /** Element types of the inputs, when any is not float32. */
  inputDtypes?: InputDtype[];
  rows: Row[];
  totals: Totals;
  modules: ModuleNode[];
  /** Shape of the model's final output (first tensor), null when unknown. */
  output: Shape | null;
  diagnostics: Diagnostic[];
  /** Files the import resolver asked the host for and did not get (lets a host load them and retry). */
  missingFiles: string[];
  /** Files that were read during the analysis (to refresh when one changes). */
  filesRead: string[];
  timings: { parseMs: number; analysisMs: number };
  /** Calls of modules with children, in the order they finished (editor hovers and hints). */
  blocks?: BlockCall[];
  /** Functional ops and tensor methods called in forward outside leaf modules. */
  ops?: OpCall[];
  /** The model's forward parameters after self (what Set Input Shape checks a shape against). */
  forwardArgs?: { names: string[]; required: number };
  /** The traced forward as a data-flow graph; only when `AnalyzeOptions.dataflow` was set (the Inspector's graph). */
  dataflow?: Dataflow;
}

/** One node of the data-flow graph: a leaf-module call (a row), a functional op, a model input or the output. */
export interface DataflowNode {
  id: string;
  kind: 'module' | 'op' | 'input' | 'output';
  /** Module name's last part, the op's name (`add`, `cat`, `flatten`), `input 0`, `output`. */
  label: string;
  /** Module class, op name, or the kind for inputs and outputs. */
  type: string;
  /** Index into `Report.rows` for module nodes. */
  rowIndex?: number;
  /** Qualified name of the module whose `forward` made this node ('' for the model itself): the block it folds into. */
  module: string;
  /** Module nodes: the call; op nodes: the statement that made the op. */
  loc?: Loc;
  /** Shape of the (first) output tensor. */
  shape?: Shape;
  /** Bytes of the output tensor(s); null when a dim is unknown. */
  outputBytes?: number | null;
}

/** An edge carries one tensor from its producer to a consumer. */
export interface DataflowEdge {
  from: string;
  to: string;
  shape: Shape;
}

export interface Dataflow {
  nodes: DataflowNode[];
  edges: DataflowEdge[];
  /** True when the graph was cut at `DATAFLOW_MAX_NODES` nodes (the rest is in the rows, not drawn). */
  truncated: boolean;
}

/**
 * How the interpreter reads other files. Synchronous on purpose: the extension pre-loads the workspace
 * files it knows about, runs the analysis, and if `Report.missingFiles` names files it can still load,
 * loads them and runs again. Paths are POSIX-style absolute paths.
 */
export interface SourceHost {
  readFile(path: string): string | undefined;
}

/** Element types a model input can have (what `--input 2,16:int64` names). */
export type InputDtype = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** PyTorch releases LayerLens models (the same list as engine/torch/version.ts's TorchVersion). */
export type TorchVersionChoice = '1.13' | '2.9';

export interface AnalyzeOptions {
  /** Absolute path of the file that defines the model. */
  file: string;
  host: SourceHost;
  /** Python expression evaluated in the file's scope; a bare class name means calling it with no args. Omitted: the file's obvious model. */
  model?: string;
  /** Input shapes (one per forward argument). Omitted: from a `# layerlens: input=` comment or an example tensor in the file. */
  input?: number[][];
  /** Element type of each input (default float32); token ids are int64, masks bool. */
  inputDtypes?: Array<InputDtype | undefined>;
  /** Extra roots for absolute imports (the file's own directory and its package roots are always searched). */
  searchPaths?: string[];
  /**
   * A Python environment's site-packages (installed packages such as torchvision): searched after
   * `searchPaths`, read only; failures while importing them are notes, not errors of the user's file.
   */
  sitePackages?: string[];
  /** Trace `forward` in training mode (`layerlens run --mode train`); the summary is always eval mode. */
  training?: boolean;
  /**
   * The PyTorch release whose API the model code sees (default '2.9', the current stable 2.x line):
   * `torch.__version__`, version checks and which members exist (`F.scaled_dot_product_attention` is
   * 2.0+, `nn.RMSNorm` 2.4+) all follow it. '1.13' matches the reference data (Debian's torch 1.13).
   */
  torchVersion?: TorchVersionChoice;
  /** Interpreter step budget (default 300,000, ten times what torchvision's largest model needs) — ends runaway loops with a diagnostic. */
  stepBudget?: number;
  /**
   * Wall-clock limit of the analysis in ms: default 2,000, or 5,000 with a `cpuClock` (then a safety net:
   * a loaded machine slows the clock, not the work). The step and size budgets bound the work whatever it is.
   */
  timeLimitMs?: number;
  /**
   * This process's CPU time in ms (Node: process.cpuUsage), where the analysis has a process to itself
   * (the CLI, the editor's analysis process): the analysis then stops after `cpuLimitMs` of CPU time.
   */
  cpuClock?: () => number;
  /** CPU-time limit of the analysis in ms when a `cpuClock` is given (default 700). */
  cpuLimitMs?: number;
  /** Build the model and stop: no input shape needed, no forward trace (its state_dict is all that is wanted). */
  buildOnly?: boolean;
  /** Record `Report.blocks`, `Report.ops` and `ModuleNode.builtVia` for the editor's hovers and hints (default off). */
  callSites?: boolean;
  /** Also build `Report.dataflow` (costs a little; editor analyses leave it off). */
  dataflow?: boolean;
}

export interface DiscoveryResult {
  candidates: ModelCandidate[];
  diagnostics: Diagnostic[];
  /** Where the file's first syntax error is: its candidates and inputs may be missing past it. */
  syntaxError?: Loc;
}
