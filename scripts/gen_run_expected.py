#!/usr/bin/python3
"""Generate the expected output of `layerlens run --json` with real PyTorch.

Developer tool only (the product never runs Python).  Implements the contract
of shared/fixtures/README.md ("layerlens run" + "safetensors files"):

* rows, names, types, output shapes, params, macs and totals are those of the
  summary contract (computed with scripts/gen_expected.py on a copy of the
  model, in eval mode, and checked against the rows of the run itself);
* the model is built from EXPR, every module with an `inplace` attribute gets
  `inplace = False`, the weights file is loaded with load_state_dict(strict),
  the model is put in train() or eval() mode and run once, float32, with
  autograd, on the tensor "input" of the input file;
* each leaf-module call's returned tensor is passed through an identity
  autograd Function ("tap") inside its forward hook; the tap records the
  output's stats (mean, population std, min, max; accumulated in float64) at
  that moment and, in backward, the gradient w.r.t. exactly the value the call
  returned -- so a later in-place modification of that tensor does not affect
  either.  loss = final_output.sum(); gradNorm = float64 L2 norm of the tap's
  gradient (0 when no gradient reaches it).  The input is made to require
  grad so that rows with nothing trainable upstream (a frozen first layer, a
  leading Flatten) still get d(loss)/d(output);
* BatchNorm rows in train mode get runningMean/runningVar = the module's
  buffers after the whole forward pass;
* top level: "mode" and "outputStats" (stats of the final output).

Usage:
  gen_run_expected.py FILE --model EXPR --weights W.safetensors --input-file I.safetensors
                      [--mode train|eval] [-o OUT.json]
  gen_run_expected.py --make-weights FILE --model EXPR --input 2,3,16,16 --out-dir DIR [--seed S]
  gen_run_expected.py --case DIR [--make-weights] [--check]
      DIR holds model.py and case.json; (re)writes weights/input when
      --make-weights, then expected_run_{train,eval}.json and expected_summary.json;
      --check compares against the existing files instead of writing;
      --precision-check also reruns in float64 and prints the worst float32
      deviations (to spot rows whose gradNorm is float32 noise).
  gen_run_expected.py --cases-root DIR [--make-weights] [--check] [--only a,b]
      every DIR/<name>/ listed in DIR/index.json.
  gen_run_expected.py --check-shared [SHARED_FIXTURES_DIR]
      regenerate the shared run cases and compare numerically (rtol 1e-6 on
      stats/gradNorm/buffers, exact on everything else).
"""

import argparse
import copy
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_expected as ge  # noqa: E402

TORCH_DESC = "PyTorch %s (Debian python3-torch; torch.__version__=%s)" % (
    torch.__version__, torch.__version__)
try:
    import torchvision  # noqa: F401
    TORCH_DESC += ", torchvision %s" % torchvision.__version__
except ImportError:
    pass

# --------------------------------------------------------------------------
# safetensors (tiny reader / writer)

_DT = {"F32": (np.float32, torch.float32), "I64": (np.int64, torch.int64),
       "F64": (np.float64, torch.float64), "I32": (np.int32, torch.int32)}
_DT_OF = {torch.float32: "F32", torch.int64: "I64"}


def read_safetensors(path):
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        npdt, _ = _DT[info["dtype"]]
        b, e = info["data_offsets"]
        arr = np.frombuffer(buf[base + b:base + e], dtype=np.dtype(npdt).newbyteorder("<"))
        out[name] = torch.from_numpy(arr.astype(npdt).reshape(info["shape"]).copy())
    return out


def write_safetensors(path, tensors, metadata=None):
    """tensors: {name: torch.Tensor (float32 or int64)}; sorted by name."""
    header = {}
    blobs = []
    off = 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        dt = _DT_OF[t.dtype]
        data = t.numpy().astype(np.dtype(_DT[dt][0]).newbyteorder("<")).tobytes()
        header[name] = {"dtype": dt, "shape": list(t.shape), "data_offsets": [off, off + len(data)]}
        blobs.append(data)
        off += len(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - (8 + len(h)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


# --------------------------------------------------------------------------
# model helpers

_NORM_TYPES = (nn.modules.batchnorm._NormBase, nn.GroupNorm, nn.LayerNorm)


def no_inplace(model):
    for m in model.modules():
        if hasattr(m, "inplace"):
            m.inplace = False


def make_weights(path, expr, input_shape, out_dir, seed=0):
    """Default init with a fixed seed, then non-trivial norm parameters/buffers."""
    torch.manual_seed(seed)
    model = ge.build_model(path, expr)
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for m in model.modules():
            if not isinstance(m, _NORM_TYPES):
                continue
            w = getattr(m, "weight", None)
            b = getattr(m, "bias", None)
            if isinstance(w, torch.Tensor):
                w.copy_(torch.rand(w.shape, generator=g) * 1.0 + 0.5)
            if isinstance(b, torch.Tensor):
                b.copy_(torch.randn(b.shape, generator=g) * 0.3)
            rm = getattr(m, "running_mean", None)
            rv = getattr(m, "running_var", None)
            if isinstance(rm, torch.Tensor):
                rm.copy_(torch.randn(rm.shape, generator=g) * 0.3)
            if isinstance(rv, torch.Tensor):
                rv.copy_(torch.rand(rv.shape, generator=g) * 1.5 + 0.3)
    sd = model.state_dict()
    tensors = {}
    for k, v in sd.items():
        if v.dtype.is_floating_point:
            tensors[k] = v.to(torch.float32)
        else:
            tensors[k] = v.to(torch.int64).reshape(v.shape)
    os.makedirs(out_dir, exist_ok=True)
    write_safetensors(os.path.join(out_dir, "weights.safetensors"), tensors, {
        "format": "pt", "generator": "layerlens scripts/gen_run_expected.py",
        "torch": TORCH_DESC, "model": expr})
    gi = torch.Generator().manual_seed(seed + 2)
    x = torch.randn(list(input_shape), generator=gi, dtype=torch.float32)
    write_safetensors(os.path.join(out_dir, "input.safetensors"), {"input": x},
                      {"format": "pt", "model": expr})


def stats(t):
    d = t.detach().to(torch.float64)
    return {"mean": d.mean().item(), "std": d.std(unbiased=False).item(),
            "min": float(t.detach().min().item()), "max": float(t.detach().max().item())}


class _Tap(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, slot):
        ctx.slot = slot
        return x.clone()

    @staticmethod
    def backward(ctx, g):
        ctx.slot["grad"] = g
        return g, None


def _replace_first(x, new):
    """Replace the first tensor in (possibly nested) output x by new."""
    done = [False]

    def rec(v):
        if done[0]:
            return v
        if isinstance(v, torch.Tensor):
            done[0] = True
            return new
        if isinstance(v, tuple):
            return tuple(rec(e) for e in v)
        if isinstance(v, list):
            return [rec(e) for e in v]
        return v
    return rec(x)


def run_model(path, expr, weights, input_tensor, mode, dtype=torch.float32):
    """dtype=float64 is only for --precision-check (the fixtures are float32)."""
    model = ge.build_model(path, expr)
    no_inplace(model)
    sd = read_safetensors(weights)
    model.load_state_dict(sd, strict=True)
    model.to(dtype)
    input_shape = list(input_tensor.shape)
    summary, _ = ge.summarize(copy.deepcopy(model).float(), expr, input_shape)

    model.train(mode == "train")
    names = {}
    for n, m in model.named_modules():
        names.setdefault(id(m), n)
    leaves = [m for m in model.modules() if next(iter(m.children()), None) is None]
    rows = []

    def hook(m, inp, out):
        o = ge._first_tensor(out)
        row = {"module": m, "name": names[id(m)], "type": type(m).__name__,
               "output": list(o.shape) if o is not None else [], "slot": {}}
        rows.append(row)
        if o is None or not o.dtype.is_floating_point:
            row["stats"] = None
            return None
        row["stats"] = stats(o)
        src = o if o.requires_grad else o.detach().requires_grad_(True)
        tapped = _Tap.apply(src, row["slot"])
        return _replace_first(out, tapped)

    handles = [m.register_forward_hook(hook) for m in leaves]
    x = input_tensor.clone().to(dtype).requires_grad_(True)
    try:
        with torch.enable_grad():
            y = model(x)
    finally:
        for h in handles:
            h.remove()
    y = ge._first_tensor(y)
    out_stats = stats(y)
    y.sum().backward()

    srows = summary["layers"]
    if len(srows) != len(rows):
        raise RuntimeError("run produced %d rows, summary %d" % (len(rows), len(srows)))
    layers = []
    for r, s in zip(rows, srows):
        for k in ("name", "type", "output"):
            if r[k] != s[k]:
                raise RuntimeError("row mismatch %s: run %r summary %r" % (k, r[k], s[k]))
        g = r["slot"].get("grad")
        gn = g.detach().to(torch.float64).norm().item() if g is not None else 0.0
        row = {"name": s["name"], "type": s["type"], "output": s["output"],
               "params": s["params"], "macs": s["macs"], "stats": r["stats"], "gradNorm": gn}
        m = r["module"]
        if mode == "train" and isinstance(m, nn.modules.batchnorm._BatchNorm) \
                and m.track_running_stats and m.running_mean is not None:
            row["runningMean"] = [float(v) for v in m.running_mean.tolist()]
            row["runningVar"] = [float(v) for v in m.running_var.tolist()]
        layers.append(row)
    return {"model": expr, "inputs": [input_shape], "mode": mode, "layers": layers,
            "totals": summary["totals"], "outputStats": out_stats}, summary


def dumps_run(doc):
    d = json.dumps
    lines = ["{", '  "model": %s,' % d(doc["model"]), '  "inputs": %s,' % d(doc["inputs"]),
             '  "mode": %s,' % d(doc["mode"])]
    rows = []
    for r in doc["layers"]:
        parts = ['"%s": %s' % (k, d(r[k])) for k in
                 ("name", "type", "output", "params", "macs", "stats", "gradNorm",
                  "runningMean", "runningVar") if k in r]
        rows.append("    {\n      " + ",\n      ".join(parts) + "\n    }")
    lines.append('  "layers": [\n' + ",\n".join(rows) + "\n  ],")
    lines.append('  "totals": %s,' % d(doc["totals"]))
    lines.append('  "outputStats": %s' % d(doc["outputStats"]))
    lines.append("}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# comparison

def _close(a, b, rtol, atol=0.0):
    return abs(a - b) <= atol + rtol * abs(b)


def compare(got, exp, rtol=1e-6):
    """List of differences between two run documents (empty = match)."""
    errs = []
    for k in ("model", "inputs", "mode", "totals"):
        if got.get(k) != exp.get(k):
            errs.append("%s: got %r expected %r" % (k, got.get(k), exp.get(k)))
    gl, el = got["layers"], exp["layers"]
    if len(gl) != len(el):
        errs.append("layer count: got %d expected %d" % (len(gl), len(el)))

    def cmp_stats(where, a, b):
        if a is None or b is None:
            if a != b:
                errs.append("%s: got %r expected %r" % (where, a, b))
            return
        scale = max(abs(b["min"]), abs(b["max"]), 1e-30)
        for k in ("mean", "std", "min", "max"):
            if not _close(a[k], b[k], rtol, rtol * scale):
                errs.append("%s.%s: got %r expected %r" % (where, k, a[k], b[k]))

    for i, (a, b) in enumerate(zip(gl, el)):
        w = "layer %d (%s)" % (i, b.get("name"))
        for k in ("name", "type", "output", "params", "macs"):
            if a.get(k) != b.get(k):
                errs.append("%s.%s: got %r expected %r" % (w, k, a.get(k), b.get(k)))
        cmp_stats(w + ".stats", a.get("stats"), b.get("stats"))
        if not _close(a.get("gradNorm", math.nan), b.get("gradNorm", math.nan), rtol, 1e-12):
            errs.append("%s.gradNorm: got %r expected %r" % (w, a.get("gradNorm"), b.get("gradNorm")))
        for k in ("runningMean", "runningVar"):
            if (k in a) != (k in b):
                errs.append("%s.%s presence differs" % (w, k))
            elif k in b:
                va, vb = a[k], b[k]
                sc = max(abs(v) for v in vb) if vb else 1
                if len(va) != len(vb) or any(not _close(p, q, rtol, rtol * sc) for p, q in zip(va, vb)):
                    errs.append("%s.%s differs" % (w, k))
    cmp_stats("outputStats", got.get("outputStats"), exp.get("outputStats"))
    return errs


def precision_report(got32, got64):
    """Worst relative deviations float32 vs float64 (stats relative to max|value|)."""
    worst = {"stats": (0.0, None), "gradNorm": (0.0, None), "buffers": (0.0, None)}

    def upd(k, v, where):
        if v > worst[k][0]:
            worst[k] = (v, where)
    for a, b in zip(got32["layers"], got64["layers"]):
        sa, sb = a["stats"], b["stats"]
        if sa and sb:
            sc = max(abs(sb["min"]), abs(sb["max"]), 1e-30)
            for k in sa:
                upd("stats", abs(sa[k] - sb[k]) / sc, "%s.%s" % (b["name"], k))
        ga, gb = a["gradNorm"], b["gradNorm"]
        upd("gradNorm", abs(ga - gb) / max(abs(gb), 1e-30), "%s (%.3g vs %.3g)" % (b["name"], ga, gb))
        for k in ("runningMean", "runningVar"):
            if k in b:
                sc = max(abs(v) for v in b[k])
                upd("buffers", max(abs(p - q) for p, q in zip(a[k], b[k])) / sc, b["name"] + "." + k)
    return worst


# --------------------------------------------------------------------------
# drivers

def do_case(d, make=False, check=False, write_summary=True, precision=False):
    with open(os.path.join(d, "case.json")) as f:
        case = json.load(f)
    path = os.path.join(d, "model.py")
    if make and not check:
        make_weights(path, case["model"], case["input"], d, seed=case.get("seed", 0))
    x = read_safetensors(os.path.join(d, "input.safetensors"))["input"]
    if list(x.shape) != list(case["input"]):
        raise RuntimeError("input.safetensors shape %r != case.json %r" % (list(x.shape), case["input"]))
    problems = []
    summary = None
    for mode in ("train", "eval"):
        doc, summary = run_model(path, case["model"], os.path.join(d, "weights.safetensors"), x, mode)
        out = os.path.join(d, "expected_run_%s.json" % mode)
        if precision:
            d64, _ = run_model(path, case["model"], os.path.join(d, "weights.safetensors"), x, mode,
                               dtype=torch.float64)
            for k, (v, where) in precision_report(doc, d64).items():
                print("  %s %-8s f32-vs-f64 worst %.2e at %s" % (mode, k, v, where))
        if check:
            with open(out) as f:
                exp = json.load(f)
            errs = compare(doc, exp)
            problems += ["%s: %s" % (mode, e) for e in errs]
        else:
            with open(out, "w") as f:
                f.write(dumps_run(doc))
    sp = os.path.join(d, "expected_summary.json")
    if check:
        if os.path.exists(sp):
            with open(sp) as f:
                dd = ge.diff(summary, json.load(f))
            if dd:
                problems.append("summary: " + dd)
    elif write_summary:
        # the summary's own (randn-input) forward: same as gen_expected.py FILE
        s2, _ = ge.run_case(path, case["model"], case["input"])
        with open(sp, "w") as f:
            f.write(ge.dumps(s2))
    return problems


def do_root(root, make, check, only, precision=False):
    with open(os.path.join(root, "index.json")) as f:
        idx = json.load(f)
    bad = 0
    for c in idx:
        if only and c["name"] not in only:
            continue
        if not c.get("run", True):
            continue
        d = os.path.join(root, c["name"])
        try:
            probs = do_case(d, make=make, check=check, precision=precision)
        except Exception as e:
            bad += 1
            print("%-20s ERROR %s: %s" % (c["name"], type(e).__name__, e))
            continue
        bad += bool(probs)
        print("%-20s %s" % (c["name"], "OK" if not probs else "MISMATCH\n  " + "\n  ".join(probs[:10])))
    return 1 if bad else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?")
    ap.add_argument("--model")
    ap.add_argument("--weights")
    ap.add_argument("--input-file")
    ap.add_argument("--input", help="shape for --make-weights, e.g. 2,3,16,16")
    ap.add_argument("--mode", default="train", choices=("train", "eval"))
    ap.add_argument("-o", "--output")
    ap.add_argument("--make-weights", action="store_true")
    ap.add_argument("--out-dir")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--case")
    ap.add_argument("--cases-root")
    ap.add_argument("--only")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--check-shared", nargs="?", const="/work/shared/fixtures/cases")
    ap.add_argument("--precision-check", action="store_true",
                    help="--case/--cases-root: also run in float64 and print the worst deviations")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, args.threads))

    if args.check_shared:
        return do_root(args.check_shared, False, True, None)
    if args.cases_root:
        return do_root(args.cases_root, args.make_weights, args.check,
                       set(args.only.split(",")) if args.only else None, args.precision_check)
    if args.case:
        probs = do_case(args.case, make=args.make_weights, check=args.check,
                        precision=args.precision_check)
        print("OK" if not probs else "\n".join(probs))
        return 1 if probs else 0
    if args.make_weights:
        if not (args.file and args.model and args.input and args.out_dir):
            ap.error("--make-weights needs FILE --model EXPR --input SHAPE --out-dir DIR")
        make_weights(args.file, args.model, ge.parse_shape(args.input), args.out_dir, args.seed)
        return 0
    if not (args.file and args.model and args.weights and args.input_file):
        ap.error("need FILE --model EXPR --weights W --input-file I")
    x = read_safetensors(args.input_file)["input"]
    doc, _ = run_model(args.file, args.model, args.weights, x, args.mode)
    text = dumps_run(doc)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
