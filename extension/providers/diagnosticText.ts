// The analysis engine's shape diagnostics in VS Code's display language. The engine writes English
// (engine/analysis/shapeDiagnostics.ts); the messages a user meets most (channel, in_features and
// BatchNorm num_features mismatches, their call line and Quick Fix) are matched here by their exact English
// form and rewritten through l10n; anything else stays as the engine wrote it. Pure (no vscode import):
// test/extension/diagnosticText.test.ts runs the engine and checks every pattern still matches its output.
import { l10n } from '../l10n';

type Rule = [RegExp, (m: RegExpMatchArray) => string];

const RULES: Rule[] = [
  [/^(\w+) expects (\d+) input channels, gets (\d+) \(input (\[[^\]]*\])\)$/, (m) => l10n.t('{0} expects {1} input channels, gets {2} (input {3})', m[1], m[2], m[3], m[4])],
  [/^Linear expects (\d+) input features, gets (\d+(?: = [\d·]+)?)$/, (m) => l10n.t('Linear expects {0} input features, gets {1}', m[1], m[2])],
  [/^(\w+) expects (\d+) features \(channels\), gets (\d+) \(input (\[[^\]]*\])\)$/, (m) => l10n.t('{0} expects {1} features (channels), gets {2} (input {3})', m[1], m[2], m[3], m[4])],
];

/** The message in the display language where it is one of the known shapes; else unchanged. */
export function localizeDiagnostic(message: string): string {
  const at = /^(.*) \(called at line (\d+)\)$/s.exec(message);
  const body = at ? at[1] : message;
  for (const [re, f] of RULES) {
    const m = re.exec(body);
    if (m) return at ? l10n.t('{0} (called at line {1})', f(m), at[2]) : f(m);
  }
  return message;
}

/** A Quick Fix's title (`Change to 3136`) in the display language. */
export function localizeFixTitle(title: string): string {
  const m = /^Change to (.+)$/.exec(title);
  return m ? l10n.t('Change to {0}', m[1]) : title;
}
