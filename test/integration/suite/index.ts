// Mocha entry that VS Code's extension host loads (extensionTestsPath); both runners (code-server and
// @vscode/test-electron) use it. Prints the plain `N passed, N failed` line the runner parses.
import * as path from 'path';
import Mocha from 'mocha';
import { glob } from 'glob';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000 });
  const grep = process.env.LAYERLENS_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = (await glob('**/*.test.js', { cwd: __dirname })).sort();
  files.forEach((f) => mocha.addFile(path.resolve(__dirname, f)));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats!;
      console.log(`${s.passes} passed, ${s.failures} failed`);
      if (failures > 0 || s.passes === 0) reject(new Error(`${failures} tests failed (${s.passes} passed).`));
      else resolve();
    });
  });
}
