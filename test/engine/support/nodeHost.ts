// A SourceHost over the real disk, for tests (the engine itself never touches node:fs).
import { readFileSync } from 'node:fs';
import type { SourceHost } from '../../../engine/api';

export function diskHost(overrides: Record<string, string> = {}): SourceHost {
  const cache = new Map<string, string | undefined>();
  return {
    readFile(path: string): string | undefined {
      if (path in overrides) return overrides[path];
      if (cache.has(path)) return cache.get(path);
      let t: string | undefined;
      try { t = readFileSync(path, 'utf8'); } catch { t = undefined; }
      cache.set(path, t);
      return t;
    },
  };
}

/** A host over in-memory files only (for sample programs written inside a test). */
export function memoryHost(files: Record<string, string>): SourceHost {
  return { readFile: (p) => files[p] };
}
