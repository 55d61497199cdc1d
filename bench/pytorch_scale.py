#!/usr/bin/python3
"""PyTorch peer for the scale section of `npm run bench`: build one model of a file the way a user's
script does (import the file, evaluate the model expression) and count its parameters.

Prints one JSON line {torch, model, buildMs, params, paramBytes, rssMB, metaContext}:
  buildMs      evaluate EXPR (allocating and initialising every parameter)
  metaContext  whether this PyTorch has `with torch.device("meta"):` (2.0+), the only way to build a
               model that does not fit in memory without editing its code

Usage: bench/pytorch_scale.py FILE --model EXPR        (use /usr/bin/python3: Debian python3-torch)
       bench/pytorch_scale.py --probe                  (just torch's version and metaContext)
"""
import argparse
import importlib.util
import json
import resource
import sys
import time

import torch


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?")
    ap.add_argument("--model")
    ap.add_argument("--probe", action="store_true")
    args = ap.parse_args()
    meta = hasattr(torch.device("cpu"), "__enter__")
    out = {"torch": torch.__version__, "metaContext": meta}
    if not args.probe:
        spec = importlib.util.spec_from_file_location("scale_case", args.file)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        t0 = time.perf_counter()
        with torch.no_grad():
            model = eval(args.model, vars(mod))
        build = (time.perf_counter() - t0) * 1000
        params = sum(p.numel() for p in model.parameters())
        out.update(model=args.model, buildMs=build, params=params, paramBytes=params * 4,
                   rssMB=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())
