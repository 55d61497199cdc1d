#!/usr/bin/python3
"""Generate the expected output of `layerlens summary --json` with real PyTorch.

Developer tool only (the product never runs Python).  It implements the
contract of shared/fixtures/README.md ("layerlens summary" + "MACs
convention"):

* the model is built from EXPR evaluated in FILE's module scope (a bare class
  or factory name is called with no arguments), put in eval() mode and run
  once on torch.randn(INPUT) -- a plain forward WITHOUT torch.no_grad(), so
  nn.MultiheadAttention takes its Python "slow path" (F.multi_head_attention_forward)
  rather than the fused torch._native_multi_head_attention kernel;
* one row per call of a leaf module (no child modules), in the order the calls
  finish (forward hooks), named by model.named_modules(), `params` = parameters
  owned directly, `macs` by the module-type formula (Conv*/ConvTranspose*/Linear,
  everything else 0);
* totals: every parameter once (shared ones once), trainable subset, and
  macs = rows + matmul-type work done OUTSIDE any leaf module.

Functional MACs are observed at the ATen level with a TorchDispatchMode while
no leaf module is running: mm / addmm / bmm / baddbmm / mv / dot count
numel(out) * a.shape[-1] (this is what torch.matmul, `@`, Tensor.matmul,
torch.bmm/mm and F.linear lower to), aten.convolution counts
numel(out) * w.shape[1] * prod(w.shape[2:]) (transposed: numel(x) * ...).
torch.einsum also lowers to bmm and is counted by default (torchvision's
maxvit uses it); --no-einsum leaves it out.

Usage:
  gen_expected.py FILE --model EXPR --input 1,3,224,224 [-o OUT.json] [--explain]
  gen_expected.py --cases CASES.json [--root DIR] --out-dir DIR [--only a,b] [--check]
  gen_expected.py --check-shared [SHARED_FIXTURES_DIR]

--cases: CASES.json is a list of {name, file, model, input}; `input` is one
shape or a list of inputs, each "1,3,224,224" or "2,16:int64" (integer inputs
are zeros, bool inputs False); `file` is
resolved against --root (default: the directory holding the installed
`torchvision` package, i.e. dist-packages) or else the directory of
CASES.json.  Each result goes to OUT_DIR/<name>.json; with --check the
existing OUT_DIR/<name>.json files are compared instead of written.
--check-shared regenerates every cases/*/expected_summary.json and
torchvision/expected/*.json of the shared fixtures and compares parsed JSON.
"""

import argparse
import importlib
import importlib.util
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
from torch.utils._python_dispatch import TorchDispatchMode

aten = torch.ops.aten

# ATen ops that matmul-type Python calls lower to; MACs = numel(out) * K where
# K is the last dim of the left operand (arg index given here).
_MM_LEFT_ARG = {
    aten.mm.default: 0,
    aten.bmm.default: 0,
    aten.mv.default: 0,
    aten.dot.default: 0,
    aten.vdot.default: 0,
    aten.addmm.default: 1,
    aten.baddbmm.default: 1,
    aten.addmv.default: 1,
}
_CONV_OPS = {aten.convolution.default}
# Fused kernels whose internal matmuls would be invisible.
_FUSED_WARN = set()
for _name in ("_native_multi_head_attention", "_transformer_encoder_layer_fwd",
              "_scaled_dot_product_attention", "_addmm_activation"):
    if hasattr(aten, _name):
        _FUSED_WARN.add(getattr(aten, _name).default)

_EINSUM_CODE = getattr(getattr(torch.functional, "einsum", None), "__code__", None)


def _called_from_einsum():
    if _EINSUM_CODE is None:
        return False
    f = sys._getframe(2)
    while f is not None:
        if f.f_code is _EINSUM_CODE:
            return True
        f = f.f_back
    return False


class _Counter(TorchDispatchMode):
    """Counts MACs of matmul/conv ATen ops issued while no leaf module runs."""

    def __init__(self, count_einsum=True):
        super().__init__()
        self.leaf_depth = 0
        self.macs = 0
        self.count_einsum = count_einsum
        self.log = {}  # (op, via_einsum) -> [calls, macs]
        self.fused = {}

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if self.leaf_depth == 0:
            macs = None
            if func in _MM_LEFT_ARG:
                a = args[_MM_LEFT_ARG[func]]
                macs = out.numel() * a.shape[-1]
            elif func in _CONV_OPS:
                x, w = args[0], args[1]
                transposed = args[6] if len(args) > 6 else kwargs.get("transposed", False)
                k = w.shape[1] * math.prod(w.shape[2:])
                macs = (x.numel() if transposed else out.numel()) * k
            elif func in _FUSED_WARN:
                self.fused[str(func)] = self.fused.get(str(func), 0) + 1
            if macs is not None:
                via = _called_from_einsum()
                key = (str(func), via)
                ent = self.log.setdefault(key, [0, 0])
                ent[0] += 1
                ent[1] += macs
                if self.count_einsum or not via:
                    self.macs += macs
        return out


def _first_tensor(x):
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, (list, tuple)):
        for e in x:
            t = _first_tensor(e)
            if t is not None:
                return t
    if isinstance(x, dict):
        for e in x.values():
            t = _first_tensor(e)
            if t is not None:
                return t
    return None


def _module_macs(m, inp, out):
    """Row MACs by the contract's module-type formulas (bias not counted)."""
    if isinstance(m, nn.modules.conv._ConvTransposeNd):
        k = math.prod(m.kernel_size)
        return inp.numel() * (m.out_channels // m.groups) * k
    if isinstance(m, nn.modules.conv._ConvNd):
        k = math.prod(m.kernel_size)
        return out.numel() * (m.in_channels // m.groups) * k
    if isinstance(m, nn.Linear):
        return out.numel() * m.in_features
    return 0


def load_module(path):
    """Import FILE; inside a package (``__init__.py`` chain) import it by its
    dotted name so relative imports work."""
    path = os.path.abspath(path)
    d = os.path.dirname(path)
    parts = [os.path.splitext(os.path.basename(path))[0]]
    while os.path.exists(os.path.join(d, "__init__.py")):
        parts.insert(0, os.path.basename(d))
        d = os.path.dirname(d)
    if len(parts) > 1:
        if d not in sys.path:
            sys.path.insert(0, d)
        return importlib.import_module(".".join(parts))
    if d not in sys.path:
        sys.path.insert(0, d)
    name = "_layerlens_case_%d_%s" % (abs(hash(path)), parts[0])
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def eager_jit():
    """TorchScript made transparent: LayerLens reads scripted code as the eager Python it is
    (hooks cannot see inside a ScriptModule), so the reference is the same model unscripted."""
    ident = lambda f=None, *a, **k: f if f is not None else (lambda g: g)  # noqa: E731
    torch.jit.script = ident
    torch.jit.script_method = ident
    torch.jit.ScriptModule = nn.Module
    torch.jit.trace = lambda f, *a, **k: f


def build_model(path, expr):
    eager_jit()
    mod = load_module(path)
    obj = eval(expr, vars(mod))
    if not isinstance(obj, nn.Module) and callable(obj):
        obj = obj()
    if not isinstance(obj, nn.Module):
        raise TypeError("%s did not produce an nn.Module" % expr)
    return obj


def make_input(spec, gen):
    """One model input from (shape, dtype): float inputs are N(0, 1) noise, integer inputs
    (token ids, class indices) are zeros -- a valid index for any Embedding -- and bool
    inputs (masks) are all False."""
    shape, dtype = spec
    if dtype in ("float32", "float64", "float16", "bfloat16"):
        return torch.randn(*shape, generator=gen).to(getattr(torch, dtype))
    return torch.zeros(*shape, dtype=getattr(torch, dtype))


def summarize(model, expr, input_specs, count_einsum=True, seed=0, explain=None):
    """Returns (summary dict, info dict). `input_specs`: [(shape, dtype)], one per forward argument."""
    if input_specs and isinstance(input_specs[0], int):
        input_specs = [(list(input_specs), "float32")]
    model.eval()
    names = {}
    for n, m in model.named_modules():
        names.setdefault(id(m), n)
    leaves = [m for m in model.modules() if next(iter(m.children()), None) is None]

    rows = []
    counter = _Counter(count_einsum=count_einsum)

    def pre_hook(m, inp):
        counter.leaf_depth += 1

    def hook(m, inp, out):
        counter.leaf_depth -= 1
        o = _first_tensor(out)
        i = _first_tensor(inp)
        rows.append({
            "name": names[id(m)],
            "type": type(m).__name__,
            "output": list(o.shape) if o is not None else [],
            "params": sum(p.numel() for p in m.parameters(recurse=False)),
            "macs": _module_macs(m, i, o) if o is not None else 0,
        })

    handles = []
    for m in leaves:
        handles.append(m.register_forward_pre_hook(pre_hook))
        handles.append(m.register_forward_hook(hook))
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    xs = [make_input(sp, gen) for sp in input_specs]
    t0 = time.perf_counter()
    try:
        # Plain eval forward WITH autograd enabled: under torch.no_grad()
        # nn.MultiheadAttention would take the fused
        # torch._native_multi_head_attention fast path and hide its matmuls.
        with torch.enable_grad(), counter:
            model(*xs)
    finally:
        for h in handles:
            h.remove()
    fwd_s = time.perf_counter() - t0

    params = list(model.parameters())  # de-duplicated by identity
    total_params = sum(p.numel() for p in params)
    trainable = sum(p.numel() for p in params if p.requires_grad)
    row_macs = sum(r["macs"] for r in rows)
    summary = {
        "model": expr,
        "inputs": [list(sp[0]) for sp in input_specs],
        "layers": rows,
        "totals": {"params": total_params, "trainableParams": trainable,
                   "macs": row_macs + counter.macs},
    }
    info = {
        "forward_s": fwd_s,
        "row_macs": row_macs,
        "functional_macs": counter.macs,
        "functional": {("%s%s" % (k[0], " (via einsum)" if k[1] else "")): v
                       for k, v in counter.log.items()},
        "fused_kernels": counter.fused,
    }
    if counter.fused:
        print("WARNING: fused kernels hid matmuls: %s" % counter.fused, file=sys.stderr)
    unknown = sorted({r["type"] for r in rows if r["params"] and r["macs"] == 0
                      and r["type"] not in _ZERO_MAC_PARAM_TYPES})
    if unknown:
        info["unknown_param_types"] = unknown
        print("NOTE: leaf types with params but 0 MACs by convention: %s" % unknown,
              file=sys.stderr)
    return summary, info


_ZERO_MAC_PARAM_TYPES = {"BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "GroupNorm",
                         "LayerNorm", "LayerNorm2d", "InstanceNorm1d", "InstanceNorm2d",
                         "InstanceNorm3d", "PReLU", "Embedding", "FrozenBatchNorm2d"}


def dumps(summary):
    """Formatting of the shared fixtures: one layer row per line."""
    d = lambda v: json.dumps(v)  # noqa: E731  (", " and ": " separators)
    lines = ["{",
             '  "model": %s,' % d(summary["model"]),
             '  "inputs": %s,' % d(summary["inputs"])]
    rows = summary["layers"]
    if rows:
        lines.append('  "layers": [')
        for i, r in enumerate(rows):
            lines.append("    " + d(r) + ("," if i + 1 < len(rows) else ""))
        lines.append("  ],")
    else:
        lines.append('  "layers": [],')
    lines.append('  "totals": %s' % d(summary["totals"]))
    lines.append("}")
    return "\n".join(lines) + "\n"


_DTYPE_NAMES = {"float": "float32", "long": "int64", "int": "int32", "half": "float16", "double": "float64"}


def parse_spec(s):
    """One input: "1,3,224,224", "2,16:int64", [1, 3, 224, 224] or {"shape": [2, 16], "dtype": "int64"}."""
    if isinstance(s, dict):
        return [int(v) for v in s["shape"]], _DTYPE_NAMES.get(s.get("dtype", "float32"), s.get("dtype", "float32"))
    if isinstance(s, (list, tuple)):
        return [int(v) for v in s], "float32"
    shape, _, dtype = s.partition(":")
    dtype = dtype.strip() or "float32"
    return [int(v) for v in shape.replace("x", ",").split(",") if v.strip()], _DTYPE_NAMES.get(dtype, dtype)


def parse_inputs(v):
    """All inputs of a case: one spec, or a list of specs (case.json "input" or "inputs")."""
    if isinstance(v, list) and v and not isinstance(v[0], int):
        return [parse_spec(x) for x in v]
    if isinstance(v, list):
        return [parse_spec(v)]
    return [parse_spec(x) for x in v.split(";")]


def parse_shape(s):
    return parse_inputs(s)


def default_root():
    try:
        import torchvision
        return os.path.dirname(os.path.dirname(os.path.abspath(torchvision.__file__)))
    except ImportError:
        return None


def run_case(path, expr, shape, count_einsum=True):
    shape = parse_inputs(shape) if not (isinstance(shape, list) and shape and isinstance(shape[0], tuple)) else shape
    t0 = time.perf_counter()
    model = build_model(path, expr)
    t1 = time.perf_counter()
    summary, info = summarize(model, expr, shape, count_einsum=count_einsum)
    info["build_s"] = t1 - t0
    info["total_s"] = time.perf_counter() - t0
    return summary, info


def diff(a, b):
    """First difference between two parsed summaries, or None."""
    if a == b:
        return None
    for k in ("model", "inputs", "totals"):
        if a.get(k) != b.get(k):
            return "%s: got %r expected %r" % (k, a.get(k), b.get(k))
    la, lb = a.get("layers", []), b.get("layers", [])
    for i, (ra, rb) in enumerate(zip(la, lb)):
        if ra != rb:
            return "layer %d: got %r expected %r" % (i, ra, rb)
    if len(la) != len(lb):
        return "layer count: got %d expected %d" % (len(la), len(lb))
    return "differs (keys?)"


def do_cases(args):
    cases_path = os.path.abspath(args.cases)
    with open(cases_path) as f:
        cases = json.load(f)
    only = set(args.only.split(",")) if args.only else None
    root = args.root or default_root()
    bad = 0
    for c in cases:
        if only and c["name"] not in only:
            continue
        path = c["file"]
        if not os.path.isabs(path):
            cands = [os.path.join(r, path) for r in (root, os.path.dirname(cases_path)) if r]
            path = next((p for p in cands if os.path.exists(p)), cands[0])
        try:
            summary, info = run_case(path, c["model"], parse_shape(c["input"]),
                                     count_einsum=not args.no_einsum)
        except Exception as e:  # keep going, report at the end
            bad += 1
            print("%-24s ERROR %s: %s" % (c["name"], type(e).__name__, e), file=sys.stderr)
            continue
        out = (args.out_dir.replace("{name}", c["name"]) if "{name}" in args.out_dir
               else os.path.join(args.out_dir, c["name"] + ".json"))
        t = summary["totals"]
        status = ""
        if args.check:
            with open(out) as f:
                exp = json.load(f)
            dd = diff(summary, exp)
            status = "OK" if dd is None else "MISMATCH " + dd
            bad += dd is not None
        else:
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "w") as f:
                f.write(dumps(summary))
        print("%-24s rows=%-5d params=%-11d macs=%-14d fn_macs=%-12d %.1fs %s" % (
            c["name"], len(summary["layers"]), t["params"], t["macs"],
            info["functional_macs"], info["total_s"], status), file=sys.stderr)
        if args.explain:
            print(json.dumps({"name": c["name"], "functional": info["functional"],
                              "fused": info["fused_kernels"]}), file=sys.stderr)
    return 1 if bad else 0


def do_check_shared(shared):
    bad = 0
    n = 0
    cdir = os.path.join(shared, "cases")
    for name in sorted(os.listdir(cdir)):
        d = os.path.join(cdir, name)
        if not os.path.isfile(os.path.join(d, "case.json")):
            continue
        with open(os.path.join(d, "case.json")) as f:
            case = json.load(f)
        summary, _ = run_case(os.path.join(d, "model.py"), case["model"], case["input"])
        with open(os.path.join(d, "expected_summary.json")) as f:
            text = f.read()
        dd = diff(summary, json.loads(text))
        n += 1
        bad += dd is not None
        print("cases/%-20s %s%s" % (name, "OK" if dd is None else "MISMATCH " + dd,
                                    " (byte-identical)" if dumps(summary) == text else ""))
    tv = os.path.join(shared, "torchvision")
    with open(os.path.join(tv, "cases.json")) as f:
        cases = json.load(f)
    root = default_root()
    for c in cases:
        summary, _ = run_case(os.path.join(root, c["file"]), c["model"], c["input"])
        p = os.path.join(tv, "expected", c["name"] + ".json")
        with open(p) as f:
            text = f.read()
        exp = json.loads(text)
        dd = diff(summary, exp)
        n += 1
        bad += dd is not None
        same_text = dumps(summary) == text
        print("torchvision/%-14s %s%s" % (c["name"], "OK" if dd is None else "MISMATCH " + dd,
                                          " (byte-identical)" if same_text else ""))
    print("%d/%d match" % (n - bad, n))
    return 1 if bad else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?", help="python file with the model")
    ap.add_argument("--model", help="model expression, e.g. 'resnet18()'")
    ap.add_argument("--input", action="append",
                    help="input shape, e.g. 1,3,224,224, or with a dtype 2,16:int64; repeat for several inputs")
    ap.add_argument("-o", "--output", help="write JSON here (default stdout)")
    ap.add_argument("--cases", help="cases.json with [{name, file, model, input}]")
    ap.add_argument("--root", help="directory `file` in --cases is relative to")
    ap.add_argument("--out-dir", help="--cases: where <name>.json go")
    ap.add_argument("--only", help="--cases: comma-separated names to run")
    ap.add_argument("--check", action="store_true", help="--cases: compare, don't write")
    ap.add_argument("--check-shared", nargs="?", const="/work/shared/fixtures",
                    metavar="DIR", help="validate against the shared fixtures")
    ap.add_argument("--no-einsum", action="store_true",
                    help="do not count matmuls issued by torch.einsum")
    ap.add_argument("--explain", action="store_true",
                    help="print functional op breakdown to stderr")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, args.threads))

    if args.check_shared:
        return do_check_shared(args.check_shared)
    if args.cases:
        if not args.out_dir:
            ap.error("--cases needs --out-dir")
        return do_cases(args)
    if not (args.file and args.model and args.input):
        ap.error("need FILE --model EXPR --input SHAPE (or --cases / --check-shared)")
    summary, info = run_case(args.file, args.model, [parse_spec(x) for x in args.input],
                             count_einsum=not args.no_einsum)
    text = dumps(summary)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    if args.explain:
        print(json.dumps({k: v for k, v in info.items()}, indent=1, default=str),
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
