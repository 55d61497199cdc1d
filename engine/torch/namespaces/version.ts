// torch.version and `torch.__version__`: a TorchVersion (a str subclass, as in PyTorch) of the release
// the analysis models. It is text to str methods, slicing and formatting, and compares against strings,
// tuples and packaging Versions by version order, as torch.torch_version.TorchVersion does
// ('1.13.1' >= '1.8' is True). Availability of members per release is engine/torch/version.ts.
import { Builtin, PyClass, PyInstance, PyList, PyTuple, Unknown, type Value } from '../../interp/values';
import { formatSpec, pyRepr, pyStr } from '../../interp/ops';
import { comparePep440, type PepVersion } from '../../util/version';
import { pepOf } from '../../interp/stdlib/versions';
import type { TorchRuntime } from '../runtime';
import { RELEASE } from '../version';
import type { Members } from './common';

const CMP: Record<string, (c: number) => boolean> = {
  __lt__: (c) => c < 0, __le__: (c) => c <= 0, __gt__: (c) => c > 0, __ge__: (c) => c >= 0, __eq__: (c) => c === 0, __ne__: (c) => c !== 0,
};

/** What TorchVersion compares with: a str, a tuple/list of parts ('.'-joined), or a Version. */
function otherVersion(v: Value): PepVersion {
  if (v instanceof PyTuple || v instanceof PyList) return pepOf(v.items.map((x) => pyStr(x)).join('.'), 'InvalidVersion');
  return pepOf(v, 'InvalidVersion');
}

function torchVersionClass(rt: TorchRuntime): PyClass {
  const it = rt.it;
  const cls = new PyClass('TorchVersion', [it.types.get('str')!], 'torch.torch_version');
  const text = (v: Value): string => (v as PyInstance).native as string;
  // every str method, on the text (their results are plain str, as in Python)
  for (const [name, m] of it.primitiveMethods.get('str') ?? []) {
    cls.dict.set(name, new Builtin(`str.${name}`, (a, kw, ctx) => m(text(a[0]), a.slice(1), kw, ctx)));
  }
  const d = cls.dict;
  d.set('__str__', new Builtin('TorchVersion.__str__', (a) => text(a[0])));
  d.set('__repr__', new Builtin('TorchVersion.__repr__', (a) => pyRepr(text(a[0]))));
  d.set('__format__', new Builtin('TorchVersion.__format__', (a) => formatSpec(text(a[0]), pyStr(a[1] ?? ''))));
  d.set('__len__', new Builtin('TorchVersion.__len__', (a) => text(a[0]).length));
  d.set('__getitem__', new Builtin('TorchVersion.__getitem__', (a, _kw, ctx) => it.getItem(text(a[0]), a[1], ctx)));
  d.set('__contains__', new Builtin('TorchVersion.__contains__', (a, _kw, ctx) => it.contains(text(a[0]), a[1], ctx)));
  d.set('__iter__', new Builtin('TorchVersion.__iter__', (a) => new PyList([...text(a[0])])));
  d.set('__add__', new Builtin('TorchVersion.__add__', (a, _kw, ctx) => it.binop('+', text(a[0]), a[1], ctx)));
  d.set('__radd__', new Builtin('TorchVersion.__radd__', (a, _kw, ctx) => it.binop('+', a[1], text(a[0]), ctx)));
  d.set('__hash__', new Builtin('TorchVersion.__hash__', (a) => text(a[0]).length));
  for (const [name, test] of Object.entries(CMP)) {
    d.set(name, new Builtin(`TorchVersion.${name}`, (a) => {
      if (a[1] instanceof Unknown) return a[1];
      return test(comparePep440(pepOf(text(a[0])), otherVersion(a[1])));
    }));
  }
  return cls;
}

/** The `torch.version` namespace; its `__version__` is also `torch.__version__`. */
export function version(rt: TorchRuntime): Members {
  const v = new PyInstance(torchVersionClass(rt));
  v.native = RELEASE[rt.version];
  return { __version__: v, cuda: null, hip: null, debug: false, git_version: 'unknown' };
}
