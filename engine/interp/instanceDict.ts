// `obj.__dict__` as Python has it: a live dict over an object's attributes (reads and writes go
// through, `self.__dict__.update(kw)` sets attributes), and `obj.__dict__ = d` making `d` the
// attribute store (the AttrDict idiom `self.__dict__ = self`). Two adapters, no copies.
import { InterpError, PyDict, type Value } from './values';

type Entry = { k: Value; v: Value };
const key = (name: string): string => 's:' + name;

/** A dict's entries seen as an attribute store (`obj.__dict__ = d`): attribute `x` is the item `'x'`. */
export class DictAttrStore extends Map<string, Value> {
  constructor(readonly target: PyDict) { super(); }
  override get(name: string): Value | undefined { return this.target.map.get(key(name))?.v; }
  override has(name: string): boolean { return this.target.map.has(key(name)); }
  override set(name: string, v: Value): this { this.target.map.set(key(name), { k: name, v }); return this; }
  override delete(name: string): boolean { return this.target.map.delete(key(name)); }
  override clear(): void { for (const k of [...this.target.map.keys()]) if (k.startsWith('s:')) this.target.map.delete(k); }
  override get size(): number { return [...this.keys()].length; }
  override *entries(): MapIterator<[string, Value]> {
    for (const e of this.target.map.values()) if (typeof e.k === 'string') yield [e.k, e.v];
  }
  override *keys(): MapIterator<string> { for (const [k] of this.entries()) yield k; }
  override *values(): MapIterator<Value> { for (const [, v] of this.entries()) yield v; }
  override [Symbol.iterator](): MapIterator<[string, Value]> { return this.entries(); }
  override forEach(cb: (v: Value, k: string, m: Map<string, Value>) => void): void { for (const [k, v] of this.entries()) cb(v, k, this); }
}

/** An attribute store seen as a dict's entries (what `obj.__dict__` returns): item `'x'` is attribute `x`. */
export class AttrDictView extends Map<string, Entry> {
  constructor(readonly store: Map<string, Value>) { super(); }
  private static nameOf(k: string): string | undefined { return k.startsWith('s:') ? k.slice(2) : undefined; }
  override get(k: string): Entry | undefined {
    const n = AttrDictView.nameOf(k);
    const v = n === undefined ? undefined : this.store.get(n);
    return v === undefined ? undefined : { k: n!, v };
  }
  override has(k: string): boolean { const n = AttrDictView.nameOf(k); return n !== undefined && this.store.has(n); }
  override set(k: string, e: Entry): this {
    if (typeof e.k !== 'string') throw new InterpError('a non-string key in an object\'s __dict__ is not supported by the analysis');
    this.store.set(e.k, e.v);
    return this;
  }
  override delete(k: string): boolean { const n = AttrDictView.nameOf(k); return n !== undefined && this.store.delete(n); }
  override clear(): void { this.store.clear(); }
  override get size(): number { return this.store.size; }
  override *entries(): MapIterator<[string, Entry]> { for (const [n, v] of this.store) yield [key(n), { k: n, v }]; }
  override *keys(): MapIterator<string> { for (const n of this.store.keys()) yield key(n); }
  override *values(): MapIterator<Entry> { for (const [n, v] of this.store) yield { k: n, v }; }
  override [Symbol.iterator](): MapIterator<[string, Entry]> { return this.entries(); }
  override forEach(cb: (e: Entry, k: string, m: Map<string, Entry>) => void): void { for (const [k, e] of this.entries()) cb(e, k, this); }
}

const views = new WeakMap<object, PyDict>();

/** `obj.__dict__` for an object whose attributes live in `store` (the same dict object each time). */
export function dictOf(owner: object, store: Map<string, Value>): PyDict {
  if (store instanceof DictAttrStore) return store.target;
  let d = views.get(owner);
  if (!d || (d.map as AttrDictView).store !== store) { d = new PyDict(new AttrDictView(store)); views.set(owner, d); }
  return d;
}
