#!/usr/bin/python3
"""Tensor indexing by PyTorch's rules, as a table: each case is Python that reads `x[...]` or writes
`y[...] = v`, with the shape, the values and the dtype PyTorch gives, or the exception it raises.

Developer tool only: the committed JSON is what test/engine/indexing.test.ts compares the analysis
against (tests never run Python). Run with Debian's /usr/bin/python3 (torch 1.13):

  /usr/bin/python3 scripts/gen_index_table.py > test/fixtures/indexing/index_table.json
"""
import json
import sys

import torch

PREAMBLE = [
    "x = torch.arange(210).reshape(5, 6, 7)",
    "f = torch.arange(24).float().reshape(2, 3, 4)",
    "m6 = torch.tensor([True, False, True, True, False, False])",
    "m56 = torch.arange(30).reshape(5, 6) % 3 == 0",
    "keep = torch.arange(8) % 2 == 0",
    "I = torch.tensor([[0, 1], [2, 3]])",
    "j = torch.tensor([4, 0, 1])",
    "s = torch.tensor(2)",
    "t = torch.tensor(True)",
    "u8 = torch.tensor([1, 0, 1, 1, 0], dtype=torch.uint8)",
]

READS = [
    "x[0]", "x[-1]", "x[1:3]", "x[:, 2:5:2]", "x[..., 1]", "x[None]", "x[:, None, 1]", "x[..., None]",
    "x[None, ..., None]", "x[0, :, [1, 2]]", "x[[0, 1], :, [1, 2]]", "x[:, [0, 1], [1, 2]]", "x[[0, 1], 0, [1, 2]]",
    "x[[0, 1], None, [1, 2]]", "x[None, [0, 1], [1, 2]]", "x[..., [0, 1]]", "x[[0, 1], ..., [1, 2]]", "x[True]",
    "x[False]", "x[:, True]", "x[m6]", "x[:, m6]", "x[m56]", "x[m56, 0]", "x[m56, :2]", "x[0, m6]", "x[s]", "x[:, s]",
    "x[t]", "x[I]", "x[[[0, 1], [2, 3]]]", "x[[0, 1]]", "x[[0, 1], [[0], [1]]]", "x[:, [[0], [1]], [1, 2, 3]]",
    "x[[True, False, True, True, False]]", "x[u8]", "x[torch.tensor([1.0, 2.0])]", "x[[10]]", "x[[-1, -5]]", "x[[-6]]",
    "x[:, m6[:5]]", "x[[]]", "x[[0, 1], :, None]", "x[0, [0, 1], [1, 2]]", "x[[0, 1], 1:3, [1, 2]]", "x[:, :, [1, 2]]",
    "x[1:, [1, 2]][:, None]", "x[None][[0, 0], [1, 2]]", "x[torch.tensor([[0, 1]]), torch.tensor([[0], [1], [2]])]",
    "x[m56, [0, 1, 2, 3, 4, 5]]", "x[m56, ...]", "x[None, m56]", "x[..., m56[0]]", "x[1.5]", "x[0, 0, 0, 0]",
    "x[s, [0, 1]]", "x[[0, 1], s]", "x[[0, 1], [0, 1], [0, 1]]", "x[[[0, 1]], :, [[1], [2]]]", "x[(0,)]", "x[j]",
    "x[:, j]", "x[j, j]", "x[:, :, j[:2]]", "x[::2, ::3, ::4]", "x[4:1]", "x[-3:]", "x[:, -2:, 1:-1]", "x[2:, 1][j[1:]]",
    "x[[slice(None), 0]]", "x[[None, 0]]", "x[::-1]", "x[9]", "x[:, 6]", "f[:, keep[:4]]", "f[..., [True, False, True, False]]",
    "f[f > 10]", "f[f[:, 0, 0] > 5]", "f[[1, 0], :, keep[::2]]", "x[0][m6]", "x[:, :, 3][m56]",
]

WRITES = [
    "y[0] = 7", "y[:, 0] = torch.zeros(7, dtype=torch.long)", "y[:, 0] = torch.zeros(3, dtype=torch.long)",
    "y[:, 0] = torch.zeros(1, 1, 7, dtype=torch.long)", "y[[0, 1]] = torch.zeros(3, dtype=torch.long)",
    "y[[0, 1]] = torch.ones(6, 7, dtype=torch.long)", "y[[0, 1]] = torch.arange(14).reshape(2, 1, 7)",
    "y[m56] = -1", "y[m56] = torch.arange(70).reshape(10, 7)", "y[m56] = torch.zeros(9, 7, dtype=torch.long)",
    "y[0] = torch.zeros(2, 6, 7, dtype=torch.long)", "y[:2, 1:3] = torch.ones(2, 2, 7, dtype=torch.long)",
    "y[..., 0] = 5", "y[0, 0, 0] = torch.tensor(3)", "y[:, j] = 0", "y[j, :, j] = torch.arange(18).reshape(3, 6)",
    "y[1:3, :, ::3] = torch.arange(3)", "y[x > 100] = 0", "y[keep[:5]] = 9",
]


def run(code):
    ns = {"torch": torch}
    for line in PREAMBLE:
        exec(line, ns)
    try:
        if "=" in code and "==" not in code.split("=")[0] and code.startswith("y["):
            ns["y"] = ns["x"].clone()
            exec(code, ns)
            r = ns["y"]
        else:
            r = eval(code, ns)
    except Exception as e:  # noqa: BLE001 - the table records what PyTorch raises
        return {"error": type(e).__name__, "message": str(e).split("\n")[0]}
    return {"shape": list(r.shape), "dtype": str(r.dtype).replace("torch.", ""), "values": r.flatten().tolist()}


def main():
    cases = [dict(code=c, **run(c)) for c in READS + WRITES]
    head = {"generator": "PyTorch %s (%s)" % (torch.__version__, sys.executable), "preamble": PREAMBLE}
    body = ",\n".join("  " + json.dumps(c) for c in cases)
    sys.stdout.write(json.dumps(head)[:-1] + ', "cases": [\n' + body + "\n]}\n")


if __name__ == "__main__":
    main()
