// Where a model's input shape comes from (the file's comment, an example tensor, the user's choice, the
// default setting), and how the status bar, the hovers and Set Input Shape say it.

import * as vscode from 'vscode';

export type InputSource = 'comment' | 'example' | 'user' | 'setting';

/** Where an input shape comes from, in words (status bar, summary, Set Input Shape). */
export function inputSourceLabel(s: InputSource): { short: string; long: string } {
  switch (s) {
    case 'comment': return { short: vscode.l10n.t('comment'), long: vscode.l10n.t('from the `# layerlens: input=` comment in the file') };
    case 'example': return { short: vscode.l10n.t('example'), long: vscode.l10n.t('from the example tensor passed to the model in the file') };
    case 'user': return { short: vscode.l10n.t('your choice'), long: vscode.l10n.t('your choice (LayerLens: Set Input Shape; an empty shape there resets it)') };
    case 'setting': return { short: vscode.l10n.t('default'), long: vscode.l10n.t('the default (setting layerlens.defaultInputShape): the file gives none') };
  }
}
