// Mocha's browser build and its TDD globals (suite, test, …), before any test file registers its suites.
import 'mocha/mocha.js';

interface RunnerLike { on(ev: string, f: (t: { fullTitle(): string }, err?: Error) => void): void }

declare const mocha: { setup(o: { ui: string; reporter: unknown; timeout: number }): void };

function ConsoleReporter(runner: RunnerLike): void {
  runner.on('pass', (t) => console.log(`  ✓ ${t.fullTitle()}`));
  runner.on('fail', (t, err) => console.log(`  ✗ ${t.fullTitle()}: ${err?.message ?? err}`));
}

mocha.setup({ ui: 'tdd', reporter: ConsoleReporter, timeout: 60_000 });
