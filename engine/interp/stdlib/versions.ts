// Version objects model code compares library versions with: packaging.version (Version, parse,
// InvalidVersion), distutils.version (LooseVersion, StrictVersion) and pkg_resources.parse_version.
// Orders follow engine/util/version.ts; a version value that is not a string is a TypeError, never a guess.
import type { Interp } from '../interp';
import { Builtin, PyClass, PyException, PyInstance, PyList, PyTuple, Unknown, type Value } from '../values';
import { pyRepr, pyStr } from '../ops';
import { compareLoose, comparePep440, looseParts, parsePep440, pepString, type PepVersion } from '../../util/version';
import { fn } from './native';
import { NO_KWARGS } from '../calls';

const CMP: Record<string, (c: number) => boolean> = {
  __lt__: (c) => c < 0, __le__: (c) => c <= 0, __gt__: (c) => c > 0, __ge__: (c) => c >= 0, __eq__: (c) => c === 0, __ne__: (c) => c !== 0,
};

/** The text of a str or of a str subclass instance (torch's TorchVersion keeps its text as `native`). */
export function strText(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof PyInstance && typeof v.native === 'string') return v.native;
  return undefined;
}

/** A PEP 440 version from a str, a TorchVersion or a packaging Version; InvalidVersion otherwise. */
export function pepOf(v: Value, invalid: PyClass | string = 'ValueError'): PepVersion {
  if (v instanceof PyInstance && (v.native as { pep?: PepVersion })?.pep) return (v.native as { pep: PepVersion }).pep;
  const s = strText(v);
  if (s === undefined) throw new PyException('TypeError', `expected string or bytes-like object, got '${pyStr(v)}'`);
  const p = parsePep440(s);
  if (!p) {
    const msg = `Invalid version: ${pyRepr(s)}`;
    if (typeof invalid === 'string') throw new PyException(invalid, msg);
    const inst = new PyInstance(invalid);
    inst.dict.set('args', new PyTuple([msg]));
    throw new PyException(invalid.name, msg, inst);
  }
  return p;
}

function versionClass(it: Interp): { Version: PyClass; InvalidVersion: PyClass } {
  const InvalidVersion = new PyClass('InvalidVersion', [it.types.get('ValueError')!], 'packaging.version');
  const Version = new PyClass('Version', [it.types.get('object')!], 'packaging.version');
  const d = Version.dict;
  d.set('__init__', new Builtin('Version.__init__', (a) => {
    const self = a[0] as PyInstance;
    if (a[1] instanceof Unknown) throw new PyException('TypeError', `Version() of an unknown value (${a[1].reason})`);
    const pep = pepOf(a[1], InvalidVersion);
    self.native = { pep };
    const rel = pep.release;
    const set = (k: string, v: Value): void => { self.dict.set(k, v); };
    set('epoch', pep.epoch); set('release', new PyTuple(rel)); set('major', rel[0] ?? 0); set('minor', rel[1] ?? 0); set('micro', rel[2] ?? 0);
    set('pre', pep.pre ? new PyTuple([pep.pre[0], pep.pre[1]]) : null); set('post', pep.post ?? null); set('dev', pep.dev ?? null);
    set('local', pep.local ?? null); set('public', pepString({ ...pep, local: undefined })); set('base_version', (pep.epoch ? `${pep.epoch}!` : '') + rel.join('.'));
    set('is_prerelease', pep.pre !== undefined || pep.dev !== undefined); set('is_devrelease', pep.dev !== undefined); set('is_postrelease', pep.post !== undefined);
    return null;
  }));
  d.set('__str__', new Builtin('Version.__str__', (a) => pepString(pepOf(a[0]))));
  d.set('__repr__', new Builtin('Version.__repr__', (a) => `<Version('${pepString(pepOf(a[0]))}')>`));
  for (const [name, test] of Object.entries(CMP)) {
    d.set(name, new Builtin(`Version.${name}`, (a) => {
      const other = a[1];
      // a plain str is not a Version (packaging answers NotImplemented); TorchVersion answers for itself
      if (!(other instanceof PyInstance && ((other.native as { pep?: PepVersion })?.pep || typeof other.native === 'string'))) {
        if (name === '__eq__' || name === '__ne__') return name === '__ne__';
        throw new PyException('TypeError', `'${name.slice(2, -2)}' not supported between instances of 'Version' and '${pyStr(other)}'`);
      }
      return test(comparePep440(pepOf(a[0]), pepOf(other, InvalidVersion)));
    }));
  }
  return { Version, InvalidVersion };
}

export function packagingVersion(it: Interp): Record<string, Value> {
  const { Version, InvalidVersion } = versionClass(it);
  return { Version, InvalidVersion, parse: fn('parse', (a, kw, ctx) => it.call(Version, [a[0]], NO_KWARGS, ctx)) };
}

export function packaging(it: Interp): Record<string, Value> {
  return { version: it.nativeModule('packaging.version')! };
}

export function pkgResources(it: Interp): Record<string, Value> {
  return { parse_version: it.getAttr(it.nativeModule('packaging.version')!, 'parse', {}) };
}

/** distutils.version.LooseVersion (and StrictVersion, ordered the same way for the versions model code uses). */
export function distutilsVersion(it: Interp): Record<string, Value> {
  const make = (name: string): PyClass => {
    const cls = new PyClass(name, [it.types.get('object')!], 'distutils.version');
    const partsOf = (v: Value): Array<number | string> => {
      if (v instanceof PyInstance && v.cls === cls) return v.native as Array<number | string>;
      const s = strText(v);
      if (s === undefined) throw new PyException('TypeError', `'${name}' cannot compare with '${pyStr(v)}'`);
      return looseParts(s);
    };
    cls.dict.set('__init__', new Builtin(`${name}.__init__`, (a) => {
      const self = a[0] as PyInstance;
      const s = strText(a[1] ?? null);
      if (s === undefined) throw new PyException('TypeError', `${name}() needs a version string`);
      self.native = looseParts(s);
      self.dict.set('vstring', s);
      self.dict.set('version', new PyList(self.native as Value[]));
      return null;
    }));
    cls.dict.set('__str__', new Builtin(`${name}.__str__`, (a) => (a[0] as PyInstance).dict.get('vstring')!));
    for (const [m, test] of Object.entries(CMP)) {
      cls.dict.set(m, new Builtin(`${name}.${m}`, (a) => {
        const c = compareLoose(partsOf(a[0]), partsOf(a[1]));
        if (c === undefined) throw new PyException('TypeError', "'<' not supported between instances of 'int' and 'str'");
        return test(c);
      }));
    }
    return cls;
  };
  return { LooseVersion: make('LooseVersion'), StrictVersion: make('StrictVersion') };
}

export function distutils(it: Interp): Record<string, Value> {
  return { version: it.nativeModule('distutils.version')! };
}
