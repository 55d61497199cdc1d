#!/usr/bin/python3
"""PyTorch peer for `npm run bench` (bench/weights.mjs): writes or times torch.load of a checkpoint.

  pytorch_load.py --write PATH       torch.save(torchvision resnet50().state_dict(), PATH) (random init, no download)
  pytorch_load.py --time PATH [--runs N] [--weights-only]
      prints one JSON line {torch, threads, loadMs: [...], bytesMs: [...]}: the time of torch.load(PATH)
      alone (file reading included), and of torch.load(io.BytesIO(data)) with the file already in memory
      (after one untimed load, so the file is in the page cache). Use /usr/bin/python3.
"""
import argparse
import io
import json
import time

import torch

p = argparse.ArgumentParser()
p.add_argument("--write")
p.add_argument("--time")
p.add_argument("--runs", type=int, default=5)
p.add_argument("--weights-only", action="store_true")
a = p.parse_args()
if a.write:
    import torchvision.models as tvm
    torch.manual_seed(0)
    torch.save(tvm.resnet50().state_dict(), a.write)
else:
    torch.load(a.time, weights_only=a.weights_only)
    with open(a.time, "rb") as f:
        data = f.read()
    times, from_bytes = [], []
    for _ in range(a.runs):
        t0 = time.perf_counter()
        sd = torch.load(a.time, weights_only=a.weights_only)
        times.append((time.perf_counter() - t0) * 1000)
        del sd
        buf = io.BytesIO(data)
        t0 = time.perf_counter()
        sd = torch.load(buf, weights_only=a.weights_only)
        from_bytes.append((time.perf_counter() - t0) * 1000)
        del sd
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "loadMs": times, "bytesMs": from_bytes}))
