// The torch namespaces the interpreter models, one file each, registered in dependency order (a
// namespace may hold the ones listed before it: torch.nn holds torch.nn.functional). Adding one: its
// file and one line here. A name a namespace lacks is Unknown with an info diagnostic, never a guess.
import { Builtin, PyException, Unknown, type PyModule } from '../../interp/values';
import { nativeModule } from '../../interp/stdlib/native';
import type { TorchRuntime } from '../runtime';
import type { Members } from './common';
import { installClasses } from './classes';
import { installTensorMethods } from './tensorMethods';
import { functional } from './functional';
import { init } from './init';
import { NN_SUBMODULES, nn, nnClasses, nnModules, nnParameter, nnUtils } from './nn';
import { fx, jit } from './jit';
import { checkpoint, hub, utils } from './utils';
import { torch } from './torch';
import { version } from './version';
import { attention } from './attention';
import { autograd, autogradFunction } from './autograd';
import { parametrize, parametrizations } from '../parametrize';
import { available, missingModules, unavailable } from '../version';

export type NamespaceLookup = (name: string) => PyModule;
/** A namespace's members, given the runtime and the namespaces registered before it. */
export type Namespace = (rt: TorchRuntime, ns: NamespaceLookup) => Members;

const NAMESPACES: Array<[string, Namespace]> = [
  ['torch.nn.functional', functional],
  ['torch.nn.init', init],
  ...NN_SUBMODULES.map((sub): [string, Namespace] => [`torch.nn.modules.${sub}`, nnClasses]),
  ['torch.nn.modules', nnModules],
  ['torch.nn.parameter', nnParameter],
  ['torch.nn.utils.parametrize', parametrize],
  ['torch.nn.utils.parametrizations', parametrizations],
  ['torch.nn.utils', nnUtils],
  ['torch.nn.attention', attention],
  ['torch.nn', nn],
  ['torch.jit', jit],
  ['torch.fx', fx],
  ['torch.utils.checkpoint', checkpoint],
  ['torch.hub', hub],
  ['torch.utils', utils],
  ['torch.version', version],
  ['torch.autograd.function', autogradFunction],
  ['torch.autograd', autograd],
  ['torch', torch],
];

export function installTorch(rt: TorchRuntime): void {
  const it = rt.it;
  installClasses(rt);
  const built = new Map<string, PyModule>();
  const ns: NamespaceLookup = (name) => {
    const m = built.get(name);
    if (!m) throw new Error(`torch namespace ${name} used before it is registered`);
    return m;
  };
  // a module the release lacks is not importable: ModuleNotFoundError, as Python raises it
  const missing = (name: string) => (): never => { throw new PyException('ModuleNotFoundError', `No module named '${name}'`); };
  for (const name of missingModules(rt.version)) it.nativeModules.set(name, missing(name));
  for (const [name, members] of NAMESPACES) {
    const mod = nativeModule(it, name, ofRelease(rt, name, members(rt, ns), notModelled(rt, name)));
    built.set(name, mod);
    it.nativeModules.set(name, available(name, rt.version) ? mod : missing(name));
  }
  installTensorMethods();
}

/** The members that exist in the modelled release (engine/torch/version.ts), then `__getattr__`: one copy. */
function ofRelease(rt: TorchRuntime, mod: string, members: Members, getattr: Builtin): Members {
  const absent = new Set<string>();
  for (const path of unavailable(rt.version)) {
    const name = path.slice(path.lastIndexOf('.') + 1);
    // a layer class is listed once, as torch.nn.<Name>, and is absent from every torch.nn namespace alike
    if (path === `${mod}.${name}` || (mod.startsWith('torch.nn') && path === `torch.nn.${name}` && rt.classes.has(name))) absent.add(name);
  }
  const out: Members = {};
  for (const k of Object.keys(members)) if (!absent.has(k)) out[k] = members[k];
  // NOTE: a member named __getattr__ is replaced in place (as the spread did), the others keep their order
  out.__getattr__ = getattr;
  return out;
}

/**
 * `module.__getattr__` for a name the namespace lacks: PyTorch's AttributeError when the modelled release
 * has no such member, else Unknown with an info diagnostic where it is used (a member not modelled).
 */
function notModelled(rt: TorchRuntime, mod: string): Builtin {
  const it = rt.it;
  return new Builtin(`${mod}.__getattr__`, (a, _kw, ctx) => {
    const name = String(a[0]);
    if (name.startsWith('__')) throw new PyException('AttributeError', `module '${mod}' has no attribute '${name}'`);
    if (!available(`${mod}.${name}`, rt.version) || (mod.startsWith('torch.nn') && rt.classes.has(name))) {
      throw Object.assign(new PyException('AttributeError', `module '${mod}' has no attribute '${name}'`), { absent: true });
    }
    it.diag('info', 'unsupported', `shapes after this line are unknown: ${mod}.${name} is not modelled by LayerLens`, ctx.file ?? it.cur.file, ctx.s ?? it.cur.s, ctx.e ?? it.cur.e);
    return new Unknown(`${mod}.${name} is not modelled`, ctx.file, ctx.s, ctx.e);
  });
}
