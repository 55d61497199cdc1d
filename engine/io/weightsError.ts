// The one error type every weights reader throws (safetensors, PyTorch checkpoints, the dispatcher):
// callers catch exactly this and show its message; anything else escaping a reader is a bug.

export class WeightsError extends Error {
  override name = 'WeightsError';
}

/** Throws a WeightsError; typed `never` so it ends control flow in expressions. */
export function fail(message: string): never {
  throw new WeightsError(message);
}

/** A value quoted for a message: at most `max` characters, control characters escaped. */
export function quote(s: string, max = 80): string {
  const clipped = s.length > max ? `${s.slice(0, max)}…` : s;
  // eslint-disable-next-line no-control-regex
  return clipped.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
