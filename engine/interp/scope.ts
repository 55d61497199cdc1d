// Name scopes of the interpreter: module, function and class bodies.
// Functions defined in a class body skip the class scope when looking names up, as Python does.
import type { Value } from './values';

export type ScopeKind = 'module' | 'function' | 'class';

export class Scope {
  readonly vars = new Map<string, Value>();
  globalNames?: Set<string>;
  nonlocalNames?: Set<string>;
  /** In a method's scope: the class defining it and its first argument (what a zero-argument super() uses). */
  classOwner?: Value = undefined;
  selfArg?: Value = undefined;
  constructor(readonly kind: ScopeKind, readonly parent: Scope | null, readonly globals: Scope | null) {}

  /** The module scope this scope belongs to. */
  get moduleScope(): Scope { return this.globals ?? this; }

  lookup(name: string): Value | undefined {
    const own = this.vars.get(name);
    if (own !== undefined) return own;
    for (let s = this.parent; s; s = s.parent) {
      if (s.kind === 'class') continue;
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** The nearest enclosing method's owner class or first argument (class bodies skipped, as lookup does). */
  methodSlot(slot: 'classOwner' | 'selfArg'): Value | undefined {
    const own = this[slot];
    if (own !== undefined) return own;
    for (let s = this.parent; s; s = s.parent) {
      if (s.kind === 'class') continue;
      const v = s[slot];
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Where an assignment to `name` lands (global/nonlocal declarations honoured). */
  target(name: string): Scope {
    if (this.globalNames?.has(name)) return this.moduleScope;
    if (this.nonlocalNames?.has(name)) {
      for (let s = this.parent; s; s = s.parent) if (s.kind === 'function' && s.vars.has(name)) return s;
    }
    return this;
  }

  /** Replace a binding wherever it lives (used to memoise lazily imported names). */
  replace(name: string, value: Value): void {
    if (this.vars.has(name)) { this.vars.set(name, value); return; }
    for (let s = this.parent; s; s = s.parent) if (s.vars.has(name)) { s.vars.set(name, value); return; }
  }
}
