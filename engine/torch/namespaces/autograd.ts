// torch.autograd as model code uses it: custom Functions (`MyFn.apply(x)` runs the static
// forward(ctx, ...) for the shapes; what ctx saves for backward is kept and otherwise ignored),
// Variable as the identity it is since 0.4, and the gradient calls, which the analysis never runs.
import { Builtin, ClassMethod, PyClass, PyException, PyInstance, PyTuple, StaticMethod, Unknown, type CallCtx, type Value } from '../../interp/values';
import type { TorchRuntime } from '../runtime';
import { TensorV } from '../tensor';
import type { Members } from './common';
import type { NamespaceLookup } from './registry';
import { NO_KWARGS } from '../../interp/calls';

/** The ctx handed to forward: save_for_backward keeps its tensors, the mark_* calls change no shape. */
function ctxClass(rt: TorchRuntime): PyClass {
  const c = new PyClass('FunctionCtx', [rt.it.types.get('object')!], 'torch.autograd.function');
  c.dict.set('save_for_backward', new Builtin('save_for_backward', (a) => { (a[0] as PyInstance).dict.set('saved_tensors', new PyTuple(a.slice(1))); return null; }));
  for (const n of ['mark_dirty', 'mark_non_differentiable', 'set_materialize_grads', 'save_for_forward']) c.dict.set(n, new Builtin(n, () => null));
  return c;
}

function functionClass(rt: TorchRuntime, ctxCls: PyClass): PyClass {
  const it = rt.it;
  const Fn = new PyClass('Function', [it.types.get('object')!], 'torch.autograd.function');
  const apply = (cls: PyClass, args: Value[], kw: Map<string, Value>, ctx: CallCtx): Value => {
    const fwd = cls.lookup('forward');
    if (fwd === undefined || fwd === Fn.dict.get('forward')) throw new PyException('NotImplementedError', `You must implement the forward function for custom autograd.Function (${cls.name}).`, null, ctx.file, ctx.s, ctx.e);
    const fctx = new PyInstance(ctxCls);
    fctx.dict.set('needs_input_grad', new PyTuple(args.map((x) => x instanceof TensorV && x.requiresGrad)));
    fctx.dict.set('saved_tensors', new PyTuple([]));
    const fn = fwd instanceof StaticMethod ? fwd.fn : fwd;
    // 2.0+: forward without ctx when the Function defines setup_context(ctx, inputs, output)
    const setup = rt.version !== '1.13' ? cls.lookup('setup_context') : undefined;
    if (setup !== undefined && setup !== Fn.dict.get('setup_context')) {
      const out = it.call(fn, args, kw, ctx);
      it.call(setup instanceof StaticMethod ? setup.fn : setup, [fctx, new PyTuple(args), out], NO_KWARGS, ctx);
      return out;
    }
    return it.call(fn, [fctx, ...args], kw, ctx);
  };
  Fn.dict.set('apply', new ClassMethod(new Builtin('Function.apply', (a, kw, ctx) => apply(a[0] as PyClass, a.slice(1), kw, ctx))));
  Fn.dict.set('forward', new StaticMethod(new Builtin('Function.forward', () => { throw new PyException('NotImplementedError', 'You must implement the forward function for custom autograd.Function.'); })));
  Fn.dict.set('backward', new StaticMethod(new Builtin('Function.backward', () => null)));
  Fn.dict.set('setup_context', new StaticMethod(new Builtin('Function.setup_context', () => null)));
  return Fn;
}

export function autogradFunction(rt: TorchRuntime): Members {
  const ctxCls = ctxClass(rt);
  const identity = new Builtin('once_differentiable', (a) => a[0]);
  return { Function: functionClass(rt, ctxCls), FunctionCtx: ctxCls, once_differentiable: identity };
}

export function autograd(rt: TorchRuntime, ns: NamespaceLookup): Members {
  const fnMod = ns('torch.autograd.function');
  const never = (name: string): Builtin => new Builtin(`torch.autograd.${name}`, (_a, _kw, ctx) => new Unknown(`torch.autograd.${name} (gradients are not computed by the analysis)`, ctx.file, ctx.s, ctx.e));
  void rt;
  return {
    Function: fnMod.scope.vars.get('Function')!, function: fnMod,
    Variable: new Builtin('Variable', (a) => a[0] ?? null),
    grad: never('grad'), backward: never('backward'),
  };
}
