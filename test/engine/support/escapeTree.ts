// The workspace-escape tests' fixtures (engine/CLI and extension alike): a folder tree on the real disk with
// secrets outside the project and links pointing out of it, and the model that imports a secret.
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new temp folder T holding `files` (path → text, '' for an empty `__init__.py`) and `links` (path → target), relative to T. */
export function escapeTree(prefix: string, files: Record<string, string>, links: Record<string, string>): string {
  const T = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(T, p, '..'), { recursive: true });
    writeFileSync(join(T, p), text);
  }
  for (const [p, target] of Object.entries(links)) symlinkSync(join(T, target), join(T, p));
  return T;
}

/** Empty `__init__.py` files for each folder. */
export const packages = (...dirs: string[]): Record<string, string> => Object.fromEntries(dirs.map((d) => [d ? `${d}/__init__.py` : '__init__.py', '']));

/** A model whose layer size is the imported SECRET: any value but an error means the import was read. */
export const escapeModel = (imp: string, tail = ''): string => `import torch.nn as nn
${imp}


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, SECRET)

    def forward(self, x):
        return self.fc(x)
${tail}`;
