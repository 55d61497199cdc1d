// The PyTorch release an analysis models (AnalyzeOptions.torchVersion), and the one table of members
// that appeared in (or went away in) a release. Namespace lookups consult it, so `torch.__version__`,
// `hasattr(F, 'scaled_dot_product_attention')` and the layers a file can build all tell the same story.
// Availability only: no shape rule, no cost lives here.
import { comparePep440, parsePep440 } from '../util/version';
import type { TorchVersionChoice } from '../api';

/** The releases LayerLens models: Debian's 1.13 (the reference data) and the current stable 2.x line. */
export type TorchVersion = TorchVersionChoice;
export const TORCH_VERSIONS: readonly TorchVersion[] = ['1.13', '2.9'];
export const DEFAULT_TORCH_VERSION: TorchVersion = '2.9';

/** `torch.__version__` of each modelled line. */
export const RELEASE: Record<TorchVersion, string> = { '1.13': '1.13.1', '2.9': '2.9.0' };

export function isTorchVersion(s: unknown): s is TorchVersion { return typeof s === 'string' && (TORCH_VERSIONS as readonly string[]).includes(s); }

interface Availability {
  /** The first release that has the member. */
  since: string;
  /** The first release without it (absent: still there). */
  removed?: string;
  /** Deprecated from this release on, but present. */
  deprecated?: string;
  /** A module (importable), not a member. */
  module?: true;
}

/**
 * Members whose presence depends on the release, by dotted path (a module's path names the module).
 * Everything not listed exists in every modelled release. Dates from the PyTorch release notes.
 */
export const VERSIONED: Record<string, Availability> = {
  'torch.compile': { since: '2.0' },
  'torch.vmap': { since: '2.0' },
  'torch.func': { since: '2.0', module: true },
  'torch.export': { since: '2.1', module: true },
  'torch.set_default_device': { since: '2.0' },
  'torch.get_default_device': { since: '2.3' },
  'torch.nn.functional.scaled_dot_product_attention': { since: '2.0' },
  'torch.nn.functional.rms_norm': { since: '2.4' },
  'torch.nn.RMSNorm': { since: '2.4' },
  'torch.nn.modules.normalization.RMSNorm': { since: '2.4' },
  'torch.nn.Buffer': { since: '2.5' },
  'torch.nn.ZeroPad1d': { since: '2.1' },
  'torch.nn.ZeroPad3d': { since: '2.1' },
  'torch.nn.CircularPad1d': { since: '2.1' },
  'torch.nn.CircularPad2d': { since: '2.1' },
  'torch.nn.CircularPad3d': { since: '2.1' },
  'torch.nn.attention': { since: '2.2', module: true },
  'torch.nn.attention.flex_attention': { since: '2.5', module: true },
  'torch.nn.utils.parametrize': { since: '1.9', module: true },
  'torch.nn.utils.parametrizations': { since: '1.9', module: true },
  'torch.nn.utils.parametrizations.orthogonal': { since: '1.10' },
  'torch.nn.utils.parametrizations.spectral_norm': { since: '1.11' },
  'torch.nn.utils.parametrizations.weight_norm': { since: '2.1' },
  'torch.nn.utils.weight_norm': { since: '1.0', deprecated: '2.1' },
  'torch.nn.utils.remove_weight_norm': { since: '1.0', deprecated: '2.1' },
};

/** Keyword arguments that appeared in a release, by `path(kwarg)`. */
export const VERSIONED_KWARGS: Record<string, Availability> = {
  'torch.nn.functional.scaled_dot_product_attention(scale)': { since: '2.1' },
  'torch.nn.functional.scaled_dot_product_attention(enable_gqa)': { since: '2.5' },
  'torch.nn.functional.multi_head_attention_forward(is_causal)': { since: '2.0' },
  'torch.nn.LayerNorm(bias)': { since: '2.1' },
  'torch.nn.TransformerEncoderLayer(bias)': { since: '2.1' },
  'torch.nn.TransformerDecoderLayer(bias)': { since: '2.1' },
  'torch.nn.Transformer(bias)': { since: '2.1' },
};

const atLeastMemo = new Map<string, boolean>();
function atLeast(v: TorchVersion, release: string): boolean {
  const key = `${v}|${release}`;
  let r = atLeastMemo.get(key);
  if (r === undefined) atLeastMemo.set(key, r = comparePep440(parsePep440(RELEASE[v])!, parsePep440(release)!) >= 0);
  return r;
}

function inRange(a: Availability | undefined, v: TorchVersion): boolean {
  if (!a) return true;
  return atLeast(v, a.since) && !(a.removed && atLeast(v, a.removed));
}

/** Whether `torch.nn.RMSNorm` (a member or a module, by dotted path) exists in release `v`. */
export function available(path: string, v: TorchVersion): boolean { return !unavailable(v).has(path); }

const missing = new Map<TorchVersion, Set<string>>();
/** Every listed path release `v` lacks (made once per release: namespace building asks often). */
export function unavailable(v: TorchVersion): ReadonlySet<string> {
  let s = missing.get(v);
  if (!s) missing.set(v, s = new Set(Object.keys(VERSIONED).filter((p) => !inRange(VERSIONED[p], v))));
  return s;
}

/** Whether keyword `kw` of the function at `path` exists in release `v`. */
export function kwargAvailable(path: string, kw: string, v: TorchVersion): boolean { return inRange(VERSIONED_KWARGS[`${path}(${kw})`], v); }

/** The modules the release lacks (importing one is ModuleNotFoundError). */
export function missingModules(v: TorchVersion): string[] {
  return Object.entries(VERSIONED).filter(([p, a]) => a.module && !available(p, v)).map(([p]) => p);
}
