// A millisecond clock for budgets and timings, in every host the engine runs in (Node, webview, worker).
// Measures only; never decides a result.

export function now(): number { return typeof performance !== 'undefined' ? performance.now() : Date.now(); }
