// A restricted unpickler: Python's pickle virtual machine (protocols 1-5) that builds plain data and
// calls nothing. A GLOBAL resolves only through the caller's allowlist (exact names, a Map); REDUCE,
// NEWOBJ and BUILD run only the allowlisted entry's own implementation, written in TypeScript, and any
// other global or callable is refused with a message naming it. Iterative, no recursion anywhere.
import { fail, quote } from './weightsError';

export class PyTuple { constructor(readonly items: PickleValue[]) {} }
export class PyList { constructor(readonly items: PickleValue[] = []) {} }
export class PySet { constructor(readonly items: PickleValue[] = [], readonly frozen = false) {} }
export class PyBytes { constructor(readonly bytes: Uint8Array) {} }
/** A dict or OrderedDict; keys are compared as JavaScript Map keys (strings and numbers by value). */
export class PyDict {
  readonly map = new Map<PickleValue, PickleValue>();
  /** Instance attributes set by BUILD (a state_dict's `_metadata`); kept, never interpreted. */
  attrs?: PickleValue;
  constructor(readonly ordered = false) {}
}
/** A value an allowlisted implementation produced (a storage, a tensor, a dtype...). */
export abstract class PyExtension {
  abstract describe(): string;
  /** BUILD with this state; absent: BUILD on this object is refused. */
  build?(state: PickleValue): void;
}
/** An allowlisted global pushed by GLOBAL/STACK_GLOBAL. */
export class PyGlobal {
  constructor(readonly full: string, readonly impl: GlobalImpl) {}
}

export type PickleValue = null | boolean | number | bigint | string | PyTuple | PyList | PySet | PyBytes | PyDict | PyExtension | PyGlobal;

/** What an allowlisted global may do; each function is our own code, never a lookup of the name. */
export interface GlobalImpl {
  /** REDUCE: `global(*args)`. */
  call?(args: PickleValue[]): PickleValue;
  /** NEWOBJ: `global.__new__(global, *args)`. */
  newobj?(args: PickleValue[]): PickleValue;
}

export interface UnpickleOptions {
  /** Exact `module.name` → implementation; nothing else can be resolved. */
  globals: ReadonlyMap<string, GlobalImpl>;
  /** BINPERSID: the persistent id (a storage reference in torch files); absent: refused. */
  persistentLoad?(pid: PickleValue): PickleValue;
  /** Extra advice appended when `full` is refused; `root` when it is the file's top-level object. */
  hint?(full: string, root: boolean): string;
  /** Name of the pickle in messages (`data.pkl`). */
  name: string;
  /** Told of every call into an implementation before it happens (`REDUCE torch.Size`); tests audit with it. */
  trace?(event: string): void;
}

/** Python's type name of a value, for messages (never recursive). */
export function describe(v: PickleValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'None';
  switch (typeof v) {
    case 'boolean': return `bool ${v ? 'True' : 'False'}`;
    case 'number': return Number.isInteger(v) ? `int ${v}` : `float ${v}`;
    case 'bigint': return 'int';
    case 'string': return `str '${quote(v, 40)}'`;
  }
  if (v instanceof PyTuple) return `tuple of ${v.items.length}`;
  if (v instanceof PyList) return 'list';
  if (v instanceof PySet) return v.frozen ? 'frozenset' : 'set';
  if (v instanceof PyBytes) return 'bytes';
  if (v instanceof PyDict) return v.ordered ? 'OrderedDict' : 'dict';
  if (v instanceof PyGlobal) return v.full;
  return v.describe();
}

const MAX_LINE = 4096;
/**
 * Objects one pickle may build. Each costs tens of bytes against one byte of pickle, so this, not the
 * pickle's size, bounds memory (a 64 MB run of MARKs would otherwise make 64 million arrays); a torch
 * state_dict needs about 20 per tensor.
 */
export const MAX_PICKLE_OBJECTS = 4_000_000;
/** Python ints beyond this many bytes have no place in a weights file. */
const MAX_INT_BYTES = 64;
const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

class Machine {
  private i = 0;
  private stack: PickleValue[] = [];
  private readonly marks: PickleValue[][] = [];
  private readonly memo = new Map<number, PickleValue>();
  private op = 0;
  private objects = 0;
  private readonly view: DataView;

  constructor(private readonly b: Uint8Array, private readonly o: UnpickleOptions) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  err(msg: string): never { fail(`pickle ${this.o.name} at byte ${this.op}: ${msg}`); }

  private need(n: number): number {
    if (n > this.b.length - this.i) this.err(`truncated: needs ${n} more bytes, ${this.b.length - this.i} left`);
    const at = this.i;
    this.i += n;
    return at;
  }
  private u8(): number { return this.b[this.need(1)]; }
  private u32(): number { return this.view.getUint32(this.need(4), true); }
  private u64(): number {
    const v = this.view.getBigUint64(this.need(8), true);
    if (v > BigInt(this.b.length)) this.err(`length ${v} runs past the end of the pickle (${this.b.length} bytes)`);
    return Number(v);
  }
  private bytes(n: number): Uint8Array { const at = this.need(n); return this.b.subarray(at, at + n); }
  private line(): string {
    const end = this.b.indexOf(0x0a, this.i);
    if (end < 0 || end - this.i > MAX_LINE) this.err('truncated or over-long text line');
    const s = utf8.decode(this.b.subarray(this.i, end));
    this.i = end + 1;
    return s;
  }

  private push(v: PickleValue): void {
    if (v !== null && typeof v === 'object' && ++this.objects > MAX_PICKLE_OBJECTS) this.err(`the pickle builds more than ${MAX_PICKLE_OBJECTS} objects, far more than any weights file`);
    this.stack.push(v);
  }
  private pop(): PickleValue {
    if (!this.stack.length) this.err('stack underflow (malformed pickle)');
    return this.stack.pop()!;
  }
  private top(): PickleValue {
    if (!this.stack.length) this.err('stack underflow (malformed pickle)');
    return this.stack[this.stack.length - 1];
  }
  private popMark(): PickleValue[] {
    const items = this.stack;
    if (!this.marks.length) this.err('no MARK to pop to (malformed pickle)');
    this.stack = this.marks.pop()!;
    return items;
  }

  private long(n: number): number | bigint {
    if (n > MAX_INT_BYTES) this.err(`a ${n}-byte integer (more than ${MAX_INT_BYTES} bytes)`);
    const bs = this.bytes(n);
    let v = 0n;
    for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(bs[k]);
    if (n && bs[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return Number.isSafeInteger(Number(v)) && BigInt(Number(v)) === v ? Number(v) : v;
  }

  private textInt(s: string, long: boolean): number | bigint | boolean {
    if (!long && s === '00') return false;
    if (!long && s === '01') return true;
    const t = long && s.endsWith('L') ? s.slice(0, -1) : s;
    if (!/^[+-]?\d{1,80}$/.test(t)) this.err(`bad integer literal '${quote(s, 20)}'`);
    const v = BigInt(t);
    return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  }

  private global(module: string, name: string): PyGlobal {
    const full = `${module}.${name}`;
    const impl = this.o.globals.get(full);
    if (impl) return new PyGlobal(full, impl);
    const root = this.stack.length === 0 && this.marks.length === 0;
    const hint = this.o.hint?.(full, root) ?? '';
    return this.err(`refused global ${quote(full)}: it is not on the weights_only allowlist, and loading it would import and run code${hint}`);
  }

  private getMemo(idx: number): PickleValue {
    if (!this.memo.has(idx)) this.err(`memo entry ${idx} was never stored (malformed pickle)`);
    return this.memo.get(idx)!;
  }

  private reduce(): void {
    const args = this.pop(), f = this.pop();
    if (!(f instanceof PyGlobal) || !f.impl.call) this.err(`REDUCE would call ${describe(f)}, which is not an allowlisted rebuild function`);
    if (!(args instanceof PyTuple)) this.err(`REDUCE arguments of ${f.full} must be a tuple, got ${describe(args)}`);
    this.o.trace?.(`REDUCE ${f.full}`);
    this.push(f.impl.call(args.items));
  }

  private newobj(args: PickleValue, cls: PickleValue, what: string): void {
    if (!(cls instanceof PyGlobal) || !cls.impl.newobj) this.err(`${what} would instantiate ${describe(cls)}, which is not allowed`);
    if (!(args instanceof PyTuple)) this.err(`${what} arguments must be a tuple, got ${describe(args)}`);
    this.o.trace?.(`${what} ${cls.full}`);
    this.push(cls.impl.newobj(args.items));
  }

  private build(): void {
    const state = this.pop(), inst = this.top();
    if (inst instanceof PyDict) inst.attrs = state;
    else if (inst instanceof PyExtension && inst.build) { this.o.trace?.(`BUILD ${inst.describe()}`); inst.build(state); }
    else this.err(`BUILD (setting the state of ${describe(inst)}) is not allowed`);
  }

  private dictOf(what: string): PyDict {
    const d = this.top();
    if (!(d instanceof PyDict)) this.err(`${what} on ${describe(d)}: only dicts take items`);
    return d;
  }

  private listOf(what: string): PyList {
    const l = this.top();
    if (!(l instanceof PyList)) this.err(`${what} on ${describe(l)}: only lists can be appended to`);
    return l;
  }

  run(): PickleValue {
    for (;;) {
      if (this.i >= this.b.length) this.err('truncated: the pickle ends without STOP');
      this.op = this.i;
      const code = this.b[this.i++];
      if (code === 0x2e) { // STOP
        const v = this.pop();
        return v;
      }
      this.step(code);
    }
  }

  private step(code: number): void {
    switch (code) {
      case 0x80: { const v = this.u8(); if (v > 5) this.err(`unsupported pickle protocol ${v}`); break; } // PROTO
      case 0x95: this.u64(); break; // FRAME: a length hint only
      case 0x28: // MARK
        if (++this.objects > MAX_PICKLE_OBJECTS) this.err(`the pickle builds more than ${MAX_PICKLE_OBJECTS} objects, far more than any weights file`);
        this.marks.push(this.stack);
        this.stack = [];
        break;
      case 0x30: if (this.stack.length) this.stack.pop(); else this.popMark(); break; // POP
      case 0x31: this.popMark(); break; // POP_MARK
      case 0x32: this.push(this.top()); break; // DUP
      case 0x4e: this.push(null); break; // NONE
      case 0x88: this.push(true); break; // NEWTRUE
      case 0x89: this.push(false); break; // NEWFALSE
      case 0x4a: this.push(this.view.getInt32(this.need(4), true)); break; // BININT
      case 0x4b: this.push(this.u8()); break; // BININT1
      case 0x4d: this.push(this.view.getUint16(this.need(2), true)); break; // BININT2
      case 0x8a: this.push(this.long(this.u8())); break; // LONG1
      case 0x8b: this.push(this.long(this.u32())); break; // LONG4
      case 0x49: this.push(this.textInt(this.line(), false)); break; // INT
      case 0x4c: this.push(this.textInt(this.line(), true)); break; // LONG
      case 0x46: this.push(this.textFloat(this.line())); break; // FLOAT
      case 0x47: this.push(this.view.getFloat64(this.need(8), false)); break; // BINFLOAT
      case 0x58: this.push(utf8.decode(this.bytes(this.u32()))); break; // BINUNICODE
      case 0x8c: this.push(utf8.decode(this.bytes(this.u8()))); break; // SHORT_BINUNICODE
      case 0x8d: this.push(utf8.decode(this.bytes(this.u64()))); break; // BINUNICODE8
      case 0x54: this.push(latin1.decode(this.bytes(this.u32()))); break; // BINSTRING (Python 2 str)
      case 0x55: this.push(latin1.decode(this.bytes(this.u8()))); break; // SHORT_BINSTRING
      case 0x42: this.push(new PyBytes(this.bytes(this.u32()))); break; // BINBYTES
      case 0x43: this.push(new PyBytes(this.bytes(this.u8()))); break; // SHORT_BINBYTES
      case 0x8e: case 0x96: this.push(new PyBytes(this.bytes(this.u64()))); break; // BINBYTES8, BYTEARRAY8
      case 0x29: this.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x74: this.push(new PyTuple(this.popMark())); break; // TUPLE
      case 0x85: this.push(new PyTuple([this.pop()])); break; // TUPLE1
      case 0x86: { const b = this.pop(), a = this.pop(); this.push(new PyTuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = this.pop(), b = this.pop(), a = this.pop(); this.push(new PyTuple([a, b, c])); break; } // TUPLE3
      case 0x5d: this.push(new PyList()); break; // EMPTY_LIST
      case 0x6c: this.push(new PyList(this.popMark())); break; // LIST
      case 0x7d: this.push(new PyDict()); break; // EMPTY_DICT
      case 0x64: { const d = new PyDict(), it = this.popMark(); this.setItems(d, it); this.push(d); break; } // DICT
      case 0x8f: this.push(new PySet()); break; // EMPTY_SET
      case 0x91: this.push(new PySet(this.popMark(), true)); break; // FROZENSET
      case 0x90: { const items = this.popMark(), s = this.top(); if (!(s instanceof PySet) || s.frozen) this.err(`ADDITEMS on ${describe(s)}`); for (const v of items) s.items.push(v); break; } // ADDITEMS
      case 0x61: { const v = this.pop(); this.listOf('APPEND').items.push(v); break; } // APPEND
      case 0x65: { const items = this.popMark(); const l = this.listOf('APPENDS'); for (const v of items) l.items.push(v); break; } // APPENDS
      case 0x73: { const v = this.pop(), k = this.pop(); this.dictOf('SETITEM').map.set(k, v); break; } // SETITEM
      case 0x75: { const items = this.popMark(); this.setItems(this.dictOf('SETITEMS'), items); break; } // SETITEMS
      case 0x71: this.memo.set(this.u8(), this.top()); break; // BINPUT
      case 0x72: this.memo.set(this.u32(), this.top()); break; // LONG_BINPUT
      case 0x70: this.memo.set(this.memoIndex(this.line()), this.top()); break; // PUT
      case 0x94: this.memo.set(this.memo.size, this.top()); break; // MEMOIZE
      case 0x68: this.push(this.getMemo(this.u8())); break; // BINGET
      case 0x6a: this.push(this.getMemo(this.u32())); break; // LONG_BINGET
      case 0x67: this.push(this.getMemo(this.memoIndex(this.line()))); break; // GET
      case 0x63: { const m = this.line(), n = this.line(); this.push(this.global(m, n)); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const n = this.pop(), m = this.pop();
        if (typeof m !== 'string' || typeof n !== 'string') this.err('STACK_GLOBAL needs two strings');
        this.push(this.global(m, n));
        break;
      }
      case 0x52: this.reduce(); break; // REDUCE
      case 0x81: { const args = this.pop(), cls = this.pop(); this.newobj(args, cls, 'NEWOBJ'); break; } // NEWOBJ
      case 0x92: { // NEWOBJ_EX
        const kw = this.pop(), args = this.pop(), cls = this.pop();
        if (!(kw instanceof PyDict) || kw.map.size) this.err(`NEWOBJ_EX with keyword arguments for ${describe(cls)}`);
        this.newobj(args, cls, 'NEWOBJ_EX');
        break;
      }
      case 0x62: this.build(); break; // BUILD
      case 0x51: { // BINPERSID
        const pid = this.pop();
        if (!this.o.persistentLoad) this.err('a persistent id outside a checkpoint archive');
        this.o.trace?.('BINPERSID');
        this.push(this.o.persistentLoad(pid));
        break;
      }
      default: this.refuseOp(code);
    }
  }

  private textFloat(s: string): number {
    const special: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity };
    if (s in special) return special[s];
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) this.err(`bad float literal '${quote(s, 20)}'`);
    return Number(s);
  }

  private memoIndex(s: string): number {
    if (!/^\d{1,10}$/.test(s)) this.err(`bad memo index '${quote(s, 20)}'`);
    return Number(s);
  }

  private setItems(d: PyDict, items: PickleValue[]): void {
    if (items.length % 2) this.err('an odd number of items for a dict');
    for (let k = 0; k < items.length; k += 2) d.map.set(items[k], items[k + 1]);
  }

  private refuseOp(code: number): never {
    if (code === 0x69 || code === 0x6f) {
      const what = code === 0x69 ? `INST ${quote(this.line())}.${quote(this.line())}` : 'OBJ';
      this.err(`${what}: instantiating a class from the pickle is not allowed`);
    }
    if (code >= 0x82 && code <= 0x84) this.err('EXT opcodes (the copyreg extension registry) are not allowed');
    if (code === 0x50) this.err('text persistent ids (PERSID) are not used by torch.save and are refused');
    if (code === 0x53 || code === 0x56) this.err('protocol 0 text strings are not used by torch.save and are refused');
    if (code === 0x97 || code === 0x98) this.err('out-of-band buffers are not allowed');
    this.err(`unknown opcode 0x${code.toString(16).padStart(2, '0')}`);
  }
}

/** Runs the pickle in `bytes` to its STOP and returns the object it built. Throws WeightsError. */
export function unpickle(bytes: Uint8Array, opts: UnpickleOptions): PickleValue {
  return new Machine(bytes, opts).run();
}
