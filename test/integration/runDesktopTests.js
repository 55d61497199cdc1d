// The same mocha suite in a desktop VS Code downloaded by @vscode/test-electron (needs access to
// update.code.visualstudio.com; offline machines and CI use runWebTests.js on code-server instead).
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');
const { runTests } = require('@vscode/test-electron');

const root = path.resolve(__dirname, '..', '..');

(async () => {
  spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out/test/integration/suite/index.js'),
      launchArgs: [path.join(root, 'test/integration/workspace'), '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
    });
  } catch (e) {
    console.error('desktop tests failed:', e instanceof Error ? e.message : e);
    process.exit(1);
  }
})();
