// *LayerLens: Open the Trained Example* (the Get Started walkthrough's first step): copies the packaged
// examples/digits (model, trained weights, sample digits) into the extension's global storage, a folder
// that is writable everywhere (desktop, remote, vscode.dev), and opens its model.py. Never overwrites
// the user's own edits of an earlier copy.
import * as vscode from 'vscode';

/** What the example folder ships with the extension (see .vscodeignore). */
export const EXAMPLE_FILES = ['model.py', 'README.md', 'digits.safetensors', 'samples.safetensors',
  ...[0, 1, 2, 3, 4, 5].map((i) => `sample_${i}_label${i}.png`)];

/** Reads a file of the installed extension: over HTTP where it is served that way (vscode.dev), else the file system API. */
export async function readExtensionFile(uri: vscode.Uri): Promise<Uint8Array> {
  if (uri.scheme === 'http' || uri.scheme === 'https') {
    const r = await fetch(uri.toString(true));
    if (!r.ok) throw new Error(`${uri.path.split('/').pop()}: HTTP ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  }
  return vscode.workspace.fs.readFile(uri);
}

export async function openExample(context: { extensionUri: vscode.Uri; globalStorageUri: vscode.Uri }): Promise<vscode.Uri | undefined> {
  const from = vscode.Uri.joinPath(context.extensionUri, 'examples', 'digits');
  const to = vscode.Uri.joinPath(context.globalStorageUri, 'examples', 'digits');
  try {
    await vscode.workspace.fs.createDirectory(to);
    for (const f of EXAMPLE_FILES) {
      const dest = vscode.Uri.joinPath(to, f);
      const there = await vscode.workspace.fs.stat(dest).then(() => true, () => false);
      if (!there) await vscode.workspace.fs.writeFile(dest, await readExtensionFile(vscode.Uri.joinPath(from, f)));
    }
    const model = vscode.Uri.joinPath(to, 'model.py');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(model), { preview: false });
    return model;
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('LayerLens: cannot open the example ({0}).', e instanceof Error ? e.message : String(e)));
    return undefined;
  }
}
