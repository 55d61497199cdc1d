#!/usr/bin/python3
"""PyTorch peer for `npm run bench`.

Prints one JSON line {model, input, mode, threads, torch, importMs, buildMs,
forwardMs, totalMs}:
  importMs   import torch + torchvision.models
  buildMs    build the model (default resnet50(), no pretrained weights)
  forwardMs  attach forward hooks on all leaf modules (recording output
             shapes, as a shape/summary pass does), then one forward pass:
             eval mode by default; with --backward, train mode forward plus
             backward of sum(output)
  totalMs    import + build + forward (hook attachment included)

Usage: bench/pytorch_resnet.py [--model resnet18] [--input 1,3,224,224]
                               [--backward] [--threads N] [--warmup K]
--warmup K runs K untimed passes before the timed one (default 0: cold, like
a one-shot CLI invocation).  Use /usr/bin/python3 (Debian python3-torch).
"""
import time

_t0 = time.perf_counter()
import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402

import torch  # noqa: E402
import torchvision.models as tvm  # noqa: E402

_t_import = time.perf_counter()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="resnet50", help="torchvision factory name")
    ap.add_argument("--input", default="1,3,224,224")
    ap.add_argument("--backward", action="store_true",
                    help="time train-mode forward + backward of sum(output)")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: default)")
    ap.add_argument("--warmup", type=int, default=0)
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    shape = [int(v) for v in args.input.split(",")]

    t_build0 = time.perf_counter()
    model = getattr(tvm, args.model)()
    t_build1 = time.perf_counter()

    torch.manual_seed(0)
    x = torch.randn(*shape)

    split = {}

    def run_once():
        shapes = []

        def hook(m, inp, out):
            if isinstance(out, torch.Tensor):
                shapes.append(tuple(out.shape))

        handles = [m.register_forward_hook(hook) for m in model.modules()
                   if next(iter(m.children()), None) is None]
        try:
            if args.backward:
                model.train()
                model.zero_grad(set_to_none=True)
                t0 = time.perf_counter()
                out = model(x)
                if not isinstance(out, torch.Tensor):  # e.g. aux-logit tuples
                    out = out[0]
                t1 = time.perf_counter()
                out.sum().backward()
                t2 = time.perf_counter()
                split["trainForwardMs"] = round((t1 - t0) * 1000.0, 3)
                split["backwardMs"] = round((t2 - t1) * 1000.0, 3)
            else:
                model.eval()
                out = model(x)
        finally:
            for h in handles:
                h.remove()
        return len(shapes)

    for _ in range(args.warmup):
        run_once()
    t_fwd0 = time.perf_counter()
    rows = run_once()
    t_fwd1 = time.perf_counter()

    ms = lambda a, b: round((b - a) * 1000.0, 3)  # noqa: E731
    res = {
        "model": args.model,
        "input": shape,
        "mode": "train+backward" if args.backward else "eval",
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "rows": rows,
        "importMs": ms(_t0, _t_import),
        "buildMs": ms(t_build0, t_build1),
        "forwardMs": ms(t_fwd0, t_fwd1),
        "totalMs": ms(_t0, _t_import) + ms(t_build0, t_build1) + ms(t_fwd0, t_fwd1),
    }
    res["totalMs"] = round(res["totalMs"], 3)
    res.update(split)
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
