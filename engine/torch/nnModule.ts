// nn.Module's Python-visible methods and the containers Sequential, ModuleList, ModuleDict,
// ParameterList, ParameterDict. Attribute registration rules live in runtime.ts (moduleSetAttr).
import {
  Builtin, InterpError, PyClass, PyDict, PyException, PyInstance, PyIterator, PyList, PySlice, PyTuple, Unknown,
  typeName, type CallCtx, type Value,
} from '../interp/values';
import { hashKey, isIntLike, notAnInteger, numOf, pyStr } from '../interp/ops';
import { sliceIndices } from '../interp/ops';
import { ModuleState, TorchRuntime, childModules, ddel, dentries, dget, dset } from './runtime';
import { TensorV } from './tensor';
import { setModuleState, stateOf } from './moduleState';
import { NO_KWARGS } from '../interp/calls';

type M = (rt: TorchRuntime, self: PyInstance, a: Value[], kw: Map<string, Value>, ctx: CallCtx) => Value;

function method(rt: TorchRuntime, name: string, f: M): Builtin {
  return new Builtin(name, (a, kw, ctx) => {
    const self = a[0];
    if (!(self instanceof PyInstance) || !stateOf(self)) throw new PyException('TypeError', `${name}() needs an nn.Module`);
    return f(rt, self, a.slice(1), kw, ctx);
  });
}

const str = (v: Value): string => pyStr(v);

function prefixed(prefix: Value | undefined, name: string): string {
  const p = prefix === undefined || prefix === null ? '' : str(prefix);
  return p ? `${p}.${name}` : name;
}

export function installModuleClass(rt: TorchRuntime): PyClass {
  const it = rt.it;
  const object = it.types.get('object')!;
  const Module = new PyClass('Module', [object], 'torch.nn');
  Module.native = { create: (inst) => { if (!stateOf(inst)) setModuleState(inst, new ModuleState()); } };
  rt.Module = Module;
  rt.classes.set('Module', Module);
  const tuple = (xs: Value[]): PyTuple => new PyTuple(xs);
  const d = Module.dict;
  const set = (name: string, f: M): void => { d.set(name, method(rt, `Module.${name}`, f)); };

  set('__init__', () => null);
  set('forward', (_rt, self) => { throw new PyException('NotImplementedError', `Module [${self.cls.name}] is missing the required "forward" function`); });
  set('add_module', (_rt, self, a, kw) => {
    const name = str(a[0] ?? kw.get('name')!);
    const m = a[1] ?? kw.get('module') ?? null;
    self.dict.delete(name);
    dset(stateOf(self)!.modules, name, m);
    return null;
  });
  d.set('register_module', d.get('add_module')!);
  set('register_parameter', (_rt, self, a) => { const name = str(a[0]); self.dict.delete(name); dset(stateOf(self)!.params, name, a[1] ?? null); return null; });
  set('register_buffer', (_rt, self, a, kw) => {
    const name = str(a[0]);
    const t = a[1] ?? kw.get('tensor') ?? null;
    self.dict.delete(name);
    dset(stateOf(self)!.buffers, name, t);
    if (t instanceof TensorV && (a[2] === false || kw.get('persistent') === false)) (t as TensorV & { nonPersistent?: boolean }).nonPersistent = true;
    return null;
  });
  set('named_modules', (r, self, a, kw) => {
    const prefix = a[1] ?? kw.get('prefix');
    return new PyIterator(r.namedModules(self).map(([n, m]) => tuple([prefixed(prefix, n), m])));
  });
  set('modules', (r, self) => new PyIterator(r.namedModules(self).map(([, m]) => m)));
  set('children', (_r, self) => new PyIterator(uniq(childModules(self).map(([, m]) => m))));
  set('named_children', (_r, self) => new PyIterator(childModules(self).map(([n, m]) => tuple([n, m]))));
  set('parameters', (r, self, a, kw) => {
    const recurse = (a[0] ?? kw.get('recurse') ?? true) !== false;
    return new PyIterator(recurse ? r.namedParameters(self).map(([, p]) => p) : dentries(stateOf(self)!.params).map(([, p]) => p).filter((p) => p !== null));
  });
  set('named_parameters', (r, self, a, kw) => new PyIterator(r.namedParameters(self).map(([n, p]) => tuple([prefixed(a[0] ?? kw.get('prefix'), n), p]))));
  set('buffers', (r, self) => new PyIterator(r.namedBuffers(self).map(([, b]) => b)));
  set('named_buffers', (r, self) => new PyIterator(r.namedBuffers(self).map(([n, b]) => tuple([n, b]))));
  set('train', (r, self, a, kw) => { r.setTraining(self, (a[0] ?? kw.get('mode') ?? true) !== false); return self; });
  set('eval', (r, self) => { r.setTraining(self, false); return self; });
  set('requires_grad_', (r, self, a, kw) => {
    const on = (a[0] ?? kw.get('requires_grad') ?? true) !== false;
    for (const [, p] of r.namedParameters(self)) p.requiresGrad = on;
    return self;
  });
  set('apply', (r, self, a, _kw, ctx) => {
    // children first, then self (post-order), as Module.apply does
    void r;
    const post = (m: PyInstance): void => { for (const [, c] of childModules(m)) post(c); it.call(a[0], [m], NO_KWARGS, ctx); };
    post(self);
    return self;
  });
  for (const n of ['to', 'cuda', 'cpu', 'float', 'double', 'half', 'bfloat16', 'type', 'share_memory', 'to_empty']) set(n, (_r, self) => self);
  set('zero_grad', () => null);
  set('state_dict', (r, self) => {
    const out = new PyDict();
    for (const [n, p] of r.namedParameters(self)) out.map.set(hashKey(n), { k: n, v: p });
    for (const [n, b] of r.namedBuffers(self)) out.map.set(hashKey(n), { k: n, v: b });
    return out;
  });
  set('load_state_dict', () => new Unknown('load_state_dict result'));
  set('extra_repr', () => '');
  set('__repr__', (_r, self) => `${self.cls.name}()`);
  // Module.get_submodule / get_parameter as torch 1.13 walks the dotted path, with its AttributeErrors
  const getSubmodule = (self: PyInstance, target: Value, ctx: CallCtx): PyInstance => {
    if (typeof target !== 'string') throw new PyException('AttributeError', `'${typeName(target ?? null)}' object has no attribute 'split'`, null, ctx.file, ctx.s, ctx.e);
    if (target === '') return self;
    let m = self;
    for (const item of target.split('.')) {
      const v = it.getAttrOpt(m, item, ctx);
      if (v === undefined) throw new PyException('AttributeError', `${m.cls.name} has no attribute \`${item}\``, null, ctx.file, ctx.s, ctx.e);
      if (!(v instanceof PyInstance && stateOf(v))) throw new PyException('AttributeError', `\`${item}\` is not an nn.Module`, null, ctx.file, ctx.s, ctx.e);
      m = v;
    }
    return m;
  };
  set('get_submodule', (_r, self, a, kw, ctx) => getSubmodule(self, a[0] ?? kw.get('target') ?? null, ctx));
  set('get_parameter', (_r, self, a, kw, ctx) => {
    const target = a[0] ?? kw.get('target');
    if (typeof target !== 'string') throw new PyException('AttributeError', `'${typeName(target ?? null)}' object has no attribute 'rpartition'`, null, ctx.file, ctx.s, ctx.e);
    const dot = target.lastIndexOf('.');
    const mod = getSubmodule(self, dot < 0 ? '' : target.slice(0, dot), ctx);
    const name = target.slice(dot + 1);
    if (it.getAttrOpt(mod, name, ctx) === undefined) throw new PyException('AttributeError', `${mod.cls.name} has no attribute \`${name}\``, null, ctx.file, ctx.s, ctx.e);
    const p = dget(stateOf(mod)!.params, name);
    if (!p) throw new PyException('AttributeError', `\`${name}\` is not an nn.Parameter`, null, ctx.file, ctx.s, ctx.e);
    return p;
  });
  set('register_forward_hook', () => new Unknown('hook handle'));
  set('register_forward_pre_hook', () => new Unknown('hook handle'));
  set('register_full_backward_hook', () => new Unknown('hook handle'));
  set('_get_name', (_r, self) => self.cls.name);
  set('__setstate__', () => null);
  set('_load_from_state_dict', () => null);
  d.set('__setattr__', new Builtin('Module.__setattr__', (a) => {
    const self = a[0] as PyInstance;
    const name = str(a[1]);
    if (!(stateOf(self) && rt.moduleSetAttr(self, name, a[2]))) self.dict.set(name, a[2]);
    return null;
  }));
  d.set('__getattr__', new Builtin('Module.__getattr__', (a) => {
    const self = a[0] as PyInstance;
    const v = stateOf(self) ? rt.moduleGetAttr(self, str(a[1])) : undefined;
    if (v === undefined) throw new PyException('AttributeError', `'${self.cls.name}' object has no attribute '${str(a[1])}'`);
    return v;
  }));
  d.set('__call__', new Builtin('Module.__call__', (a, kw, ctx) => rt.callModule(a[0] as PyInstance, a.slice(1), kw, ctx)));
  d.set('dump_patches', false);
  d.set('_version', 1);
  return Module;
}

function uniq<T>(xs: T[]): T[] { return xs.filter((x, i) => xs.indexOf(x) === i); }

/** Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict. */
export function installContainers(rt: TorchRuntime): void {
  const it = rt.it;
  const Module = rt.Module;
  const mk = (name: string, methods: Record<string, M>, base: PyClass = Module): PyClass => {
    const c = new PyClass(name, [base], 'torch.nn');
    for (const [k, f] of Object.entries(methods)) c.dict.set(k, method(rt, `${name}.${k}`, f));
    rt.classes.set(name, c);
    return c;
  };
  const items = (self: PyInstance): Array<[string, Value]> => dentries(stateOf(self)!.modules);
  const modulesOnly = (self: PyInstance): Value[] => items(self).map(([, m]) => m).filter((m) => m !== null);
  /** PyTorch's _get_abs_string_index: operator.index(i), negative from the end, IndexError outside. */
  const intIndex = (i: Value, ctx: CallCtx): number => {
    if (isIntLike(i)) return Number(numOf(i));
    if (i instanceof Unknown) throw new InterpError(`an index the analysis cannot know (${i.reason})`, i.file, i.s, i.e, 'unknown');
    throw new PyException('TypeError', notAnInteger(i).pyMessage, null, ctx.file, ctx.s, ctx.e);
  };
  const at = <T>(all: T[], i: Value, ctx: CallCtx): T => {
    const n = intIndex(i, ctx);
    const k = n < 0 ? n + all.length : n;
    if (k < 0 || k >= all.length) throw new PyException('IndexError', `index ${pyStr(i)} is out of range`, null, ctx.file, ctx.s, ctx.e);
    return all[k];
  };
  const index = (self: PyInstance, i: Value, ctx: CallCtx): [string, Value] => at(items(self), i, ctx);
  const addAll = (self: PyInstance, mods: Value[], start = items(self).length): void => {
    mods.forEach((m, i) => dset(stateOf(self)!.modules, String(start + i), m));
  };
  const renumber = (self: PyInstance, mods: Value[]): void => {
    stateOf(self)!.modules.map.clear();
    addAll(self, mods, 0);
  };

  const seqInit: M = (_r, self, a) => {
    if (a.length === 1 && a[0] instanceof PyDict) {
      for (const e of a[0].map.values()) dset(stateOf(self)!.modules, str(e.k), e.v);
      return null;
    }
    a.forEach((m, i) => {
      if (m instanceof Unknown) throw new InterpError(`Sequential item ${i} is unknown (${m.reason})`);
      if (!(m instanceof PyInstance && stateOf(m))) throw new PyException('TypeError', `${pyStr(m)} is not a Module subclass`);
      dset(stateOf(self)!.modules, String(i), m);
    });
    return null;
  };
  const sliceTo = (cls: PyClass, self: PyInstance, sl: PySlice, keepNames: boolean): PyInstance => {
    const all = items(self);
    const sel = sliceIndices(sl, all.length).map((i) => all[i]);
    const inst = new PyInstance(cls.mro.includes(rt.classes.get('Sequential')!) ? rt.classes.get('Sequential')! : cls);
    setModuleState(inst, new ModuleState());
    sel.forEach(([n, m], i) => dset(stateOf(inst)!.modules, keepNames ? n : String(i), m));
    return inst;
  };
  mk('Sequential', {
    __init__: seqInit,
    forward: (_r, self, a, kw, ctx) => {
      let x = a[0];
      for (const m of modulesOnly(self)) x = it.call(m, [x], NO_KWARGS, ctx);
      void kw;
      return x;
    },
    __getitem__: (_r, self, a, _kw, ctx) => (a[0] instanceof PySlice ? sliceTo(self.cls, self, a[0], true) : index(self, a[0], ctx)[1]),
    __setitem__: (_r, self, a, _kw, ctx) => { const [n] = index(self, a[0], ctx); dset(stateOf(self)!.modules, n, a[1]); return null; },
    __delitem__: (_r, self, a, _kw, ctx) => { const [n] = index(self, a[0], ctx); ddel(stateOf(self)!.modules, n); return null; },
    __len__: (_r, self) => items(self).length,
    __iter__: (_r, self) => new PyList(modulesOnly(self)),
    append: (_r, self, a) => { addAll(self, [a[0]]); return self; },
    extend: (_r, self, a, _kw, ctx) => { addAll(self, it.iterate(a[0], ctx)); return self; },
    insert: (_r, self, a, _kw, ctx) => { const mods = items(self).map(([, m]) => m); let i = intIndex(a[0], ctx); if (i < 0) i += mods.length; mods.splice(i, 0, a[1]); renumber(self, mods); return null; },
    pop: (_r, self, a, _kw, ctx) => { const [n, m] = index(self, a[0] ?? -1, ctx); ddel(stateOf(self)!.modules, n); return m; },
  });

  mk('ModuleList', {
    __init__: (_r, self, a, kw, ctx) => { const src = a[0] ?? kw.get('modules') ?? null; if (src !== null) addAll(self, it.iterate(src, ctx)); return null; },
    __getitem__: (_r, self, a, _kw, ctx) => {
      if (a[0] instanceof PySlice) return sliceTo(self.cls, self, a[0], false);
      return index(self, a[0], ctx)[1];
    },
    __setitem__: (_r, self, a, _kw, ctx) => { const [n] = index(self, a[0], ctx); dset(stateOf(self)!.modules, n, a[1]); return null; },
    __delitem__: (_r, self, a, _kw, ctx) => { const [n] = index(self, a[0], ctx); ddel(stateOf(self)!.modules, n); renumber(self, modulesOnly(self)); return null; },
    __len__: (_r, self) => items(self).length,
    __iter__: (_r, self) => new PyList(modulesOnly(self)),
    __iadd__: (_r, self, a, _kw, ctx) => { addAll(self, it.iterate(a[0], ctx)); return self; },
    __add__: (_r, self, a, _kw, ctx) => { const c = new PyInstance(self.cls); setModuleState(c, new ModuleState()); addAll(c, [...modulesOnly(self), ...it.iterate(a[0], ctx)]); return c; },
    append: (_r, self, a) => { addAll(self, [a[0]]); return self; },
    extend: (_r, self, a, _kw, ctx) => { addAll(self, it.iterate(a[0], ctx)); return self; },
    insert: (_r, self, a, _kw, ctx) => { const mods = modulesOnly(self); let i = intIndex(a[0], ctx); if (i < 0) i += mods.length; mods.splice(i, 0, a[1]); renumber(self, mods); return null; },
    pop: (_r, self, a, _kw, ctx) => { const [n, m] = index(self, a[0] ?? -1, ctx); ddel(stateOf(self)!.modules, n); renumber(self, modulesOnly(self)); return m; },
    forward: () => { throw new PyException('NotImplementedError', 'ModuleList has no forward(): iterate over it in your forward'); },
  });

  const dictInit: M = (_r, self, a, kw, ctx) => {
    const src = a[0] ?? kw.get('modules') ?? kw.get('parameters') ?? null;
    if (src instanceof PyDict) for (const e of src.map.values()) it.setItem(self, e.k, e.v, ctx);
    else if (src !== null) for (const pair of it.iterate(src, ctx)) { const kv = it.iterate(pair, ctx); it.setItem(self, kv[0], kv[1], ctx); }
    return null;
  };
  const dictOf = (self: PyInstance, params: boolean): PyDict => (params ? stateOf(self)!.params : stateOf(self)!.modules);
  const dictMethods = (params: boolean): Record<string, M> => ({
    __init__: dictInit,
    __getitem__: (_r, self, a) => {
      const v = dget(dictOf(self, params), str(a[0]));
      if (v === undefined) throw new PyException('KeyError', str(a[0]));
      return v;
    },
    __setitem__: (_r, self, a) => { dset(dictOf(self, params), str(a[0]), a[1]); return null; },
    __delitem__: (_r, self, a) => { ddel(dictOf(self, params), str(a[0])); return null; },
    __contains__: (_r, self, a) => dictOf(self, params).map.has(hashKey(str(a[0]))),
    __len__: (_r, self) => dictOf(self, params).map.size,
    __iter__: (_r, self) => new PyList(dentries(dictOf(self, params)).map(([k]) => k)),
    keys: (_r, self) => new PyList(dentries(dictOf(self, params)).map(([k]) => k)),
    values: (_r, self) => new PyList(dentries(dictOf(self, params)).map(([, v]) => v)),
    items: (_r, self) => new PyList(dentries(dictOf(self, params)).map(([k, v]) => new PyTuple([k, v]))),
    update: (r, self, a, kw, ctx) => dictInit(r, self, a, kw, ctx),
    pop: (_r, self, a) => { const v = dget(dictOf(self, params), str(a[0])); ddel(dictOf(self, params), str(a[0])); return v ?? null; },
    forward: () => { throw new PyException('NotImplementedError', `${params ? 'ParameterDict' : 'ModuleDict'} has no forward()`); },
  });
  mk('ModuleDict', dictMethods(false));
  mk('ParameterDict', dictMethods(true));
  mk('ParameterList', {
    __init__: (_r, self, a, _kw, ctx) => { if (a[0] !== undefined && a[0] !== null) it.iterate(a[0], ctx).forEach((p, i) => dset(stateOf(self)!.params, String(i), p)); return null; },
    __getitem__: (_r, self, a, _kw, ctx) => at(dentries(stateOf(self)!.params), a[0], ctx)[1],
    __len__: (_r, self) => stateOf(self)!.params.map.size,
    __iter__: (_r, self) => new PyList(dentries(stateOf(self)!.params).map(([, p]) => p)),
    append: (_r, self, a) => { dset(stateOf(self)!.params, String(stateOf(self)!.params.map.size), a[0]); return self; },
    forward: () => { throw new PyException('NotImplementedError', 'ParameterList has no forward()'); },
  });
}
