// Typed access to the `layerlens.*` settings: the one place that knows their names, types and defaults.
// Must not cache: VS Code already does, and callers re-read on onDidChangeConfig.
import * as vscode from 'vscode';
import { normalizeShapeSetting } from './analysis/shapes';
import type { TorchVersionChoice } from '../engine/api';

export type FlopsConvention = 'macs' | 'flops';

export interface LayerLensConfig {
  /** Input shape used when the file gives none and the user chose none (one shape per forward argument). */
  defaultInputShape: number[][];
  /** Which count the CodeLens, status bar and hover headline show. */
  flopsConvention: FlopsConvention;
  inlayHintsEnabled: boolean;
  codeLensEnabled: boolean;
  diagnosticsEnabled: boolean;
  /** How many instances of a reused layer the hover lists before "…and k more". */
  maxInstancesInHover: number;
  /** Quiet time after the last keystroke before a file is re-analysed. */
  debounceMs: number;
  /** The PyTorch API the model code is analysed against (`torch.__version__`, version-specific members). */
  torchVersion: TorchVersionChoice;
  /** Extra roots for imports, as written in the setting (absolute, or relative to the workspace folder). */
  importRoots: string[];
}

export const DEFAULT_INPUT: number[][] = [[1, 3, 224, 224]];

export function readConfig(scope?: vscode.ConfigurationScope): LayerLensConfig {
  const c = vscode.workspace.getConfiguration('layerlens', scope);
  return {
    defaultInputShape: normalizeShapeSetting(c.get<unknown>('defaultInputShape')) ?? DEFAULT_INPUT,
    flopsConvention: c.get<string>('flopsConvention') === 'flops' ? 'flops' : 'macs',
    inlayHintsEnabled: c.get<boolean>('inlayHints.enabled', true),
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true),
    diagnosticsEnabled: c.get<boolean>('diagnostics.enabled', true),
    maxInstancesInHover: clampInt(c.get<number>('maxInstancesInHover', 5), 1, 100),
    debounceMs: clampInt(c.get<number>('debounceMs', 300), 0, 5000),
    torchVersion: c.get<string>('torchVersion') === '1.13' ? '1.13' : '2.9',
    importRoots: stringList(c.get<unknown>('importRoots')),
  };
}

/**
 * `layerlens.importRoots` as engine paths: absolute paths as they are, `~/…` under the home folder,
 * `${workspaceFolder}/…` and relative paths under the workspace folder of `uri` (else the first one).
 */
export function resolveImportRoots(roots: string[], uri: vscode.Uri): string[] {
  const folder = vscode.workspace.getWorkspaceFolder?.(uri) ?? vscode.workspace.workspaceFolders?.[0];
  const home = typeof process !== 'undefined' ? process.env?.HOME ?? process.env?.USERPROFILE : undefined;
  const out: string[] = [];
  for (const raw of roots) {
    if (!raw.trim()) continue;
    const r = raw.trim().replace(/^\$\{workspaceFolder\}[\\/]?/, '');
    let path: string | undefined;
    if (/^([a-zA-Z]:)?[\\/]/.test(r) && raw.trim() === r) path = uri.scheme === 'file' ? vscode.Uri.file(r).path : r;
    else if (/^~[\\/]/.test(r) && home && uri.scheme === 'file') path = vscode.Uri.file(home + r.slice(1)).path;
    else if (folder) path = r ? vscode.Uri.joinPath(folder.uri, r).path : folder.uri.path;
    if (path && !out.includes(path)) out.push(path);
  }
  return out;
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
}

export function onDidChangeConfig(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('layerlens')) listener();
  });
}

function clampInt(v: number, lo: number, hi: number): number {
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : lo;
}
