// The shape diagnostics the engine writes are matched by diagnosticText.ts's patterns (so a rewording in
// the engine cannot silently leave them English in Chinese), and read in Chinese with the zh-cn bundle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../engine';
import { configureL10n } from '../../extension/l10n';
import { localizeDiagnostic, localizeFixTitle } from '../../extension/providers/diagnosticText';

const SRC = (body: string, input: string) => `import torch\nimport torch.nn as nn\n\n# layerlens: input=${input}\n\n\nclass Net(nn.Module):\n${body}`;
const CASES = {
  channels: SRC(`    def __init__(self):\n        super().__init__()\n        self.a = nn.Conv2d(3, 16, 3)\n        self.b = nn.Conv2d(32, 8, 3)\n\n    def forward(self, x):\n        return self.b(self.a(x))\n`, '(1, 3, 32, 32)'),
  features: SRC(`    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(3, 16, 5)\n        self.fc = nn.Linear(400, 10)\n\n    def forward(self, x):\n        return self.fc(torch.flatten(self.conv(x), 1))\n`, '(1, 3, 32, 32)'),
  bnfeatures: SRC(`    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(3, 16, 3)\n        self.bn = nn.BatchNorm2d(8)\n\n    def forward(self, x):\n        return self.bn(self.conv(x))\n`, '(1, 3, 32, 32)'),
};

function shapeError(src: string) {
  const r = analyze({ file: '/ws/net.py', host: { readFile: (p) => (p === '/ws/net.py' ? src : undefined) } });
  const d = r.diagnostics.find((x) => x.code.startsWith('shape.'));
  expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
  return d!;
}

describe('engine shape diagnostics in the display language', () => {
  const english = Object.fromEntries(Object.entries(CASES).map(([k, src]) => [k, shapeError(src)]));

  it('English stays as the engine wrote it', () => {
    for (const d of Object.values(english)) {
      expect(localizeDiagnostic(d.message)).toBe(d.message);
      if (d.fix) expect(localizeFixTitle(d.fix.title)).toBe(d.fix.title);
    }
  });

  it('every shape the engine writes is recognised and read in Chinese, numbers kept', () => {
    configureL10n(JSON.parse(readFileSync(join(__dirname, '../../l10n/bundle.l10n.zh-cn.json'), 'utf8')));
    const zh = Object.fromEntries(Object.entries(english).map(([k, d]) => [k, localizeDiagnostic(d.message)]));
    console.log(JSON.stringify({ english: Object.fromEntries(Object.entries(english).map(([k, d]) => [k, d.message])), zh }));
    expect(zh.channels).toMatch(/^Conv2d 期望 32 个输入通道，实际得到 16 个（输入 \[1, 16, 30, 30\]）（在第 \d+ 行调用）$/);
    expect(zh.features).toMatch(/^Linear 期望 400 个输入特征（in_features），实际得到 12544 = 16·28·28（在第 \d+ 行调用）$/);
    expect(zh.bnfeatures).toMatch(/^BatchNorm2d 期望 8 个特征（通道），实际得到 16 个（输入 \[1, 16, 30, 30\]）（在第 \d+ 行调用）$/);
    expect(localizeFixTitle(english.features.fix!.title)).toBe('改为 12544');
  });
});
