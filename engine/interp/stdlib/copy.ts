// copy: shallow copy of containers and plain instances; deepcopy through values, with the torch
// extension copying module state and tensors.
import type { Interp } from '../interp';
import { PyDict, PyInstance, PyList, PySet, PyTuple, type Value } from '../values';
import { fn } from './native';

export function copy(it: Interp): Record<string, Value> {
  return {
    copy: fn('copy', (a) => shallowCopy(a[0])),
    deepcopy: fn('deepcopy', (a) => deepCopy(it, a[0], new Map())),
  };
}

function shallowCopy(v: Value): Value {
  if (v instanceof PyList) return new PyList([...v.items]);
  if (v instanceof PyDict) { const d = new PyDict(); for (const [k, e] of v.map) d.map.set(k, e); return d; }
  if (v instanceof PySet) { const s = new PySet(); for (const [k, e] of v.map) s.map.set(k, e); return s; }
  if (v instanceof PyInstance && !v.mod) { const c = new PyInstance(v.cls); for (const [k, x] of v.dict) c.dict.set(k, x); c.native = v.native; return c; }
  return v;
}

export function deepCopy(it: Interp, v: Value, memo: Map<unknown, Value>): Value {
  if (v === null || typeof v !== 'object') return v;
  const seen = memo.get(v);
  if (seen !== undefined) return seen;
  if (v instanceof PyList) { const l = new PyList([]); memo.set(v, l); l.items = v.items.map((x) => deepCopy(it, x, memo)); return l; }
  if (v instanceof PyTuple) { const t = new PyTuple(v.items.map((x) => deepCopy(it, x, memo))); t.cls = v.cls; return t; }
  if (v instanceof PyDict) { const d = new PyDict(); memo.set(v, d); for (const [k, e] of v.map) d.map.set(k, { k: e.k, v: deepCopy(it, e.v, memo) }); return d; }
  if (v instanceof PyInstance) {
    const c = new PyInstance(v.cls);
    memo.set(v, c);
    for (const [k, x] of v.dict) c.dict.set(k, deepCopy(it, x, memo));
    c.native = v.native;
    if (v.mod) c.mod = cloneModuleState(it, v, memo);
    return c;
  }
  if (it.ext.isTensor(v)) return cloneTensor(v, memo);
  return v;
}

/** Installed by the torch layer: deep copies of module state and tensors. */
export let cloneModuleState: (it: Interp, v: PyInstance, memo: Map<unknown, Value>) => PyInstance['mod'] = () => undefined;
export let cloneTensor: (v: Value, memo: Map<unknown, Value>) => Value = (v) => v;
export function setCloners(m: typeof cloneModuleState, t: typeof cloneTensor): void { cloneModuleState = m; cloneTensor = t; }
