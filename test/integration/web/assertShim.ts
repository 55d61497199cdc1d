// The few `assert` functions the integration helpers and the web suite use, for the browser extension host
// (Node's assert module is not there). esbuild aliases `assert` to this file in the web suite's bundle.
export class AssertionError extends Error {}

export function ok(v: unknown, message?: string): asserts v {
  if (!v) throw new AssertionError(message ?? `expected a truthy value, got ${String(v)}`);
}
export function strictEqual<T>(a: unknown, b: T, message?: string): asserts a is T {
  if (!Object.is(a, b)) throw new AssertionError(message ?? `${JSON.stringify(a)} !== ${JSON.stringify(b)}`);
}
export function deepStrictEqual(a: unknown, b: unknown, message?: string): void {
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new AssertionError(message ?? `${JSON.stringify(a)} does not equal ${JSON.stringify(b)}`);
}
export function match(s: string, re: RegExp, message?: string): void {
  if (!re.test(s)) throw new AssertionError(message ?? `${JSON.stringify(s.slice(0, 500))} does not match ${re}`);
}
export default { ok, strictEqual, deepStrictEqual, match, AssertionError };
