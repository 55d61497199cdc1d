#!/usr/bin/python3
"""Train examples/digits/model.py on sklearn's bundled handwritten digits (no download).

Developer tool only. Run with Debian's torch:  /usr/bin/python3 scripts/train_digits.py
Writes into examples/digits/:
  digits.safetensors, digits.pth    the trained state_dict (same tensors, both formats)
  sample_<i>_label<d>.png           a few test digits as the model sees them (16x16, before normalisation)
  samples.safetensors               the same digits as one normalised input tensor "input" [N, 1, 16, 16]
  expected_logits.json              PyTorch's logits for them (eval mode), labels, accuracies, normalisation
"""

import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "examples", "digits")
sys.path.insert(0, HERE)
sys.path.insert(0, OUT)
from gen_run_expected import write_safetensors  # noqa: E402
from model import DigitsCNN  # noqa: E402

SAMPLES = 6


def images():
    d = load_digits()
    x = torch.tensor(d.images, dtype=torch.float32).unsqueeze(1) / 16.0  # [N, 1, 8, 8] in [0, 1]
    x = F.interpolate(x, size=(16, 16), mode="bilinear", align_corners=False)
    return x, torch.tensor(d.target, dtype=torch.int64)


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def train(model, x, y, epochs=40, batch=64):
    opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    g = torch.Generator().manual_seed(0)
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), batch):
            idx = perm[i:i + batch]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        if epoch % 10 == 9:
            print(f"epoch {epoch + 1}: loss {loss.item():.4f}")


def save_png(path, img):
    Image.fromarray((img.clamp(0, 1) * 255).round().byte().numpy(), mode="L").save(path, optimize=True)


def main():
    torch.set_num_threads(2)
    torch.manual_seed(0)
    raw, y = images()
    idx_train, idx_test = train_test_split(np.arange(len(y)), test_size=0.25, random_state=0, stratify=y.numpy())
    mean, std = raw[idx_train].mean().item(), raw[idx_train].std().item()
    x = (raw - mean) / std
    model = DigitsCNN()
    train(model, x[idx_train], y[idx_train])
    train_acc, test_acc = accuracy(model, x[idx_train], y[idx_train]), accuracy(model, x[idx_test], y[idx_test])
    print(f"train accuracy {train_acc:.4f}, test accuracy {test_acc:.4f} ({len(idx_test)} test images)")
    sd = model.state_dict()
    write_safetensors(os.path.join(OUT, "digits.safetensors"), sd, {"model": "DigitsCNN()", "test_accuracy": f"{test_acc:.4f}"})
    torch.save(sd, os.path.join(OUT, "digits.pth"))
    # one test image of each of the first SAMPLES classes
    pick = [int(next(i for i in idx_test if y[i] == c)) for c in range(SAMPLES)]
    for f in os.listdir(OUT):
        if f.startswith("sample_") and f.endswith(".png"):
            os.remove(os.path.join(OUT, f))
    for k, i in enumerate(pick):
        save_png(os.path.join(OUT, f"sample_{k}_label{int(y[i])}.png"), raw[i, 0])
    inp = x[pick]
    write_safetensors(os.path.join(OUT, "samples.safetensors"), {"input": inp})
    model.eval()
    with torch.no_grad():
        logits = model(inp)
    doc = {
        "model": "DigitsCNN()", "torch": torch.__version__, "input": "samples.safetensors", "inputShape": list(inp.shape),
        "normalisation": {"mean": mean, "std": std, "note": "x = (pixels / 16, upsampled bilinearly to 16x16 - mean) / std"},
        "trainAccuracy": train_acc, "testAccuracy": test_acc, "testImages": len(idx_test), "datasetIndex": pick,
        "labels": [int(y[i]) for i in pick], "predictions": logits.argmax(1).tolist(), "logits": logits.tolist(),
    }
    with open(os.path.join(OUT, "expected_logits.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
