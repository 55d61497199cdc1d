// Runs a Python snippet in LayerLens's interpreter (torch and the stdlib installed) for unit tests:
// the module's names as repr() strings and the diagnostics it produced.
import { createInterp } from '../../../engine/analysis/analyze';
import { reprValue } from '../../../engine/interp/builtins/define';
import type { Value } from '../../../engine/interp/values';
import { memoryHost } from './nodeHost';

export interface PyRun {
  value(name: string): Value | undefined;
  repr(name: string): string;
  messages: string[];
}

export function runPy(src: string): PyRun {
  const { it } = createInterp({ host: memoryHost({ '/t/snippet.py': src }) });
  const mod = it.execFile('/t/snippet.py', 'snippet')!;
  return {
    value: (name) => mod.scope.vars.get(name),
    repr: (name) => { const v = mod.scope.vars.get(name); if (v === undefined) throw new Error(`${name} is not bound`); return reprValue(it, v); },
    /** "LINE: message", lines counted from 1 as editors show them */
    messages: it.diagnostics.map((d) => `${d.loc ? d.loc.line + 1 : '?'}: ${d.message}`),
  };
}
