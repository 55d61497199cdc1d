// Runtime strings for modules that stay free of the vscode API (hover text, formulas: unit-tested in
// plain Node): @vscode/l10n, configured at activation with the bundle VS Code loaded for its display
// language (vscode.l10n.bundle, from l10n/bundle.l10n.<lang>.json). Unconfigured (English, unit tests):
// the English text with its arguments filled in.
import * as vl10n from '@vscode/l10n';

export const l10n = { t: vl10n.t };

/** Called once by activate() with vscode.l10n.bundle (undefined in English). */
export function configureL10n(bundle: Record<string, string> | undefined): void {
  if (bundle && Object.keys(bundle).length > 0) vl10n.config({ contents: bundle });
}
