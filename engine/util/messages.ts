// The plumbing every message boundary shares (host ↔ analysis worker: extension/analysis/protocol.ts;
// host ↔ webview and webview ↔ engine worker: webview/protocol.ts): the request/response envelope, the one
// generic handler (a table with an entry per message type) and exhaustiveness. No I/O, no platform types.

/** Every request carries an id; every answer to it (progress, result, error, cancelled) carries the same id. */
export interface Envelope { id: number }

/** The answer to a request that was cancelled before it finished (its worker was stopped). */
export interface Cancelled extends Envelope { type: 'cancelled' }

/** One handler per message type of the union M; a missing one is a compile error. */
export type Handlers<M extends { type: string }, R = void> = { [K in M['type']]: (msg: Extract<M, { type: K }>) => R };

/** The generic handler: routes a message to its type's entry. */
export function dispatch<M extends { type: string }, R>(handlers: Handlers<M, R>, msg: M): R {
  return (handlers[msg.type as M['type']] as (m: M) => R)(msg);
}

/** The end of an exhaustive switch: a value the types say cannot exist. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
