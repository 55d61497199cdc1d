// The Inspector's runtime strings in VS Code's display language: the host puts its vscode.l10n bundle into
// the page (#ll-l10n, inspectorHtml.ts); @vscode/l10n reads it. Imported by every module with labels, so the
// bundle is configured before their module-level tables are built. No bundle (English, the test harness):
// l10n.t returns the English text with its arguments filled in.
import * as vl10n from '@vscode/l10n';

const el = typeof document !== 'undefined' ? document.getElementById('ll-l10n') : null;
if (el?.textContent) {
  try {
    const contents = JSON.parse(el.textContent) as Record<string, string>;
    if (Object.keys(contents).length > 0) vl10n.config({ contents });
  } catch { /* a malformed bundle: English */ }
}

export const l10n = { t: vl10n.t };

/**
 * A translated sentence whose placeholders hold markup (a <b> number, a <sub>): `l10n.t(message)` without
 * arguments keeps {0}, {1}…, and this splits the result there, putting `parts[i]` in place of {i} (Lit
 * renders the array). The translation may reorder the placeholders; the words are never concatenated.
 */
export function withParts(message: string, ...parts: unknown[]): unknown[] {
  return message.split(/\{(\d+)\}/).map((s, i) => (i % 2 ? parts[Number(s)] : s));
}
