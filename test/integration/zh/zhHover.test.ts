/// <reference types="mocha" />
// VS Code in Chinese (code-server --locale zh-cn): the extension's runtime strings come from
// l10n/bundle.l10n.zh-cn.json, so a hover and the CodeLens read in Chinese with the same numbers.
// Run by runWebTests.js's `zh` phase.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, codeLensTitles, hoverText, openWorkspaceFile, positionOf, waitFor } from '../suite/helpers';

suite('zh-cn', () => {
  let api: Awaited<ReturnType<typeof activateExtension>>;
  suiteSetup(async () => {
    api = await activateExtension();
  });

  test('VS Code runs in Chinese', () => {
    console.log('ENV LANGUAGE:', vscode.env.language);
    assert.strictEqual(vscode.env.language, 'zh-cn');
  });

  test('a Conv2d hover in Chinese, with the same numbers', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const text = await hoverText(doc, positionOf(doc, 'nn.Conv2d(3, 64', 4));
    console.log('ZH HOVER:', JSON.stringify(text.slice(0, 400)));
    assert.ok(text.includes('输入 `[1, 3, 224, 224]` → 输出 `[1, 64, 112, 112]`'), text);
    assert.ok(text.includes('参数量 **9,472** 可训练'), text);
    assert.ok(text.includes('MACs = N·C_out·H_out·W_out·(C_in/groups)·K_h·K_w = 1·64·112·112·(3/1)·7·7 = 118,013,952'), 'the formula');
    assert.ok(text.includes('感受野 7×7'), text);
  });

  test('BatchNorm and activation notes in Chinese', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const bn = await hoverText(doc, positionOf(doc, 'nn.BatchNorm2d(64)', 4));
    assert.ok(bn.includes('对 C = 64 个通道分别在 N·H·W = 1·112·112 = 12,544 个值上做归一化'), bn);
    const act = await hoverText(doc, positionOf(doc, 'nn.Sigmoid()', 4));
    assert.ok(act.includes('梯度消失'), act);
  });

  test('the CodeLens action in Chinese, the totals unchanged', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const line = positionOf(doc, 'class StemNet').line;
    const titles = (await codeLensTitles(doc)).filter((l) => l.line === line).map((l) => l.title).sort();
    assert.deepStrictEqual(titles, ['10.25 K params · 118.01 MMACs · out [1, 10]', '检查']);
  });

  test('the status bar says where the input shape comes from in Chinese', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    await vscode.window.showTextDocument(doc);
    const s = await waitFor(() => { const st = api.statusBar(); return st.visible && st.text.includes('StemNet()') ? st : undefined; }, 10000, 'status bar');
    console.log('ZH STATUS:', JSON.stringify(s));
    assert.ok(s.text.includes('1×3×224×224 (注释)'), s.text);
    assert.ok(s.tooltip.includes('**LayerLens** — 模型 `StemNet()`，输入 `[1, 3, 224, 224]`，来自文件中的 `# layerlens: input=` 注释'), s.tooltip);
    assert.ok(s.accessibilityLabel.startsWith('LayerLens 模型 StemNet()，输入 1 乘 3 乘 224 乘 224，注释'), s.accessibilityLabel);
  });
});
