// Mocha entry for VS Code's *browser* extension host (the web worker host: vscode.dev, github.dev, and
// code-server for an extension without `main`). Loaded as extensionTestsPath from inside the extension's
// folder, so it runs in the host that runs the extension. Prints the `N passed, N failed` line that
// test/integration/runWebTests.js parses.
import './mochaSetup';
import './webHost.test';

declare const mocha: { run(done: (failures: number) => void): { stats?: { passes: number; failures: number } } };

export function run(): Promise<void> {
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats ?? { passes: 0, failures };
      console.log(`${s.passes} passed, ${s.failures} failed`);
      if (failures > 0 || s.passes === 0) reject(new Error(`${failures} tests failed (${s.passes} passed).`));
      else resolve();
    });
  });
}
