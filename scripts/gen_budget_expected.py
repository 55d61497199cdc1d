"""PyTorch's own words for the layer sizes it rejects (issue 9, item 3): for each constructor call, whether
torch 1.13 builds it and what it raises when built or when called on the given input.
Writes test/fixtures/budget/torch_errors.json. Run with /usr/bin/python3 (Debian's torch 1.13)."""
import json, os, warnings
import torch
import torch.nn as nn

warnings.simplefilter('ignore')
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'fixtures', 'budget', 'torch_errors.json')

# (constructor expression, input shape)
CASES = [
    ('nn.Linear(192, -5)', [2, 192]), ('nn.Linear(-1, 5)', [2, 3]), ('nn.Linear(192, 10.0)', [2, 192]),
    ('nn.Linear(192.0, 10)', [2, 192]), ('nn.Linear(0, 0)', [2, 0]), ('nn.Linear(2**63, 2)', [2, 3]),
    ('nn.Bilinear(3, 4, -2)', [2, 3]), ('nn.Embedding(-1, 3)', [2, 3]), ('nn.Embedding(10, 3.0)', [2, 3]),
    ('nn.Conv2d(3, 4, 0)', [1, 3, 8, 8]), ('nn.Conv2d(3, 4, -1)', [1, 3, 8, 8]), ('nn.Conv2d(3, 4, (3,))', [1, 3, 8, 8]),
    ('nn.Conv2d(3, 4, (3, 3, 3))', [1, 3, 8, 8]), ('nn.Conv2d(3, 4, 3, stride=0)', [1, 3, 8, 8]),
    ('nn.Conv2d(3, 4, 3, stride=-1)', [1, 3, 8, 8]), ('nn.Conv2d(3, 4, 3, padding=-1)', [1, 3, 8, 8]),
    ('nn.Conv2d(3, 4, 3, dilation=0)', [1, 3, 8, 8]), ('nn.Conv2d(3.0, 4, 3)', [1, 3, 8, 8]), ('nn.Conv2d(3, 4, 3.0)', [1, 3, 8, 8]),
    ('nn.Conv2d(3, 4, 3, groups=0)', [1, 3, 8, 8]), ('nn.Conv2d(-3, 4, 3)', [1, 3, 8, 8]), ('nn.Conv2d(3, -4, 3)', [1, 3, 8, 8]),
    ('nn.Conv2d(3, 4, (3, 0))', [1, 3, 8, 8]), ('nn.Conv2d(3, 4, 3, stride=(1, 0))', [1, 3, 8, 8]),
    ('nn.Conv2d(3, 4, (3,), stride=2)', [1, 3, 8, 8]), ('nn.Conv2d(3, 4, 3, stride=(1, 1, 1))', [1, 3, 8, 8]),
    ('nn.Conv2d(3, 4, 0, stride=0)', [1, 3, 8, 8]), ('nn.Conv2d(3, 4, 0, padding=-1)', [1, 3, 8, 8]),
    ('nn.Conv1d(3, 4, 0)', [1, 3, 8]), ('nn.Conv3d(3, 4, 0)', [1, 3, 8, 8, 8]),
    ('nn.ConvTranspose2d(3, 4, 0)', [1, 3, 8, 8]), ('nn.ConvTranspose2d(3, 4, 3, stride=0)', [1, 3, 8, 8]),
    ('nn.ConvTranspose2d(3, 4, 3, padding=-1)', [1, 3, 8, 8]), ('nn.ConvTranspose2d(3, 4, 3, output_padding=-1)', [1, 3, 8, 8]),
    ('nn.ConvTranspose2d(3, 4, 3, output_padding=2)', [1, 3, 8, 8]), ('nn.ConvTranspose2d(3, 4, 3, dilation=0)', [1, 3, 8, 8]),
    ('nn.ConvTranspose2d(3, 4, 3, groups=2)', [1, 3, 8, 8]), ('nn.ConvTranspose2d(3, 4, (3,))', [1, 3, 8, 8]),
    ('nn.BatchNorm2d(-1)', [1, 3, 8, 8]), ('nn.BatchNorm2d(3.0)', [1, 3, 8, 8]), ('nn.LayerNorm(-1)', [2, 3]),
    ('nn.GroupNorm(3, 4)', [1, 4, 8, 8]), ('nn.MultiheadAttention(8, 3)', [2, 8]),
    ('nn.MaxPool2d(0)', [1, 3, 8, 8]), ('nn.MaxPool2d(2, stride=0)', [1, 3, 8, 8]), ('nn.MaxPool2d(-1)', [1, 3, 8, 8]),
    ('nn.MaxPool2d(3, stride=-1)', [1, 3, 8, 8]), ('nn.MaxPool2d(2, padding=-1)', [1, 3, 8, 8]), ('nn.MaxPool2d(2, dilation=0)', [1, 3, 8, 8]),
    ('nn.AvgPool2d(0)', [1, 3, 8, 8]), ('nn.AdaptiveAvgPool2d(-1)', [1, 3, 8, 8]),
    ('nn.Conv2d(3, 4, 3)', [1, 3, 8, 8]), ('nn.Linear(192, 10)', [2, 192]), ('nn.MaxPool2d(2)', [1, 3, 8, 8]),
]


def first_line(e):
    return str(e).splitlines()[0] if str(e) else ''


out = []
for expr, shape in CASES:
    entry = {'expr': expr, 'input': shape}
    try:
        m = eval(expr)
    except Exception as e:  # noqa: BLE001 - PyTorch's refusal is the datum
        entry.update(built=False, type=type(e).__name__, message=first_line(e))
        out.append(entry)
        continue
    entry['built'] = True
    entry['params'] = sum(p.numel() for p in m.parameters())
    try:
        x = torch.zeros(*shape)
        y = m(x, x, x)[0] if isinstance(m, nn.MultiheadAttention) else m(x)
        entry.update(called=True, output=list(y.shape))
    except Exception as e:  # noqa: BLE001
        entry.update(called=False, type=type(e).__name__, message=first_line(e))
    out.append(entry)

with open(OUT, 'w') as f:
    f.write('[\n' + ',\n'.join(json.dumps(e) for e in out) + '\n]\n')
print(f'{OUT}: {len(out)} cases, torch {torch.__version__}')
