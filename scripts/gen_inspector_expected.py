"""PyTorch's numbers for the Inspector's BatchNorm and gradient-flow checks (test/browser/inspectorArticle.test.ts,
test/engine/inspectCapture.test.ts): the trained digits CNN on its six sample digits, one train-mode forward
(batch statistics from hooks, running buffers after), the eval-mode output, and per-layer gradient norms
for loss = sum(output) and for cross-entropy against class 3. Run with Debian's torch 1.13:

    /usr/bin/python3 scripts/gen_inspector_expected.py
"""
import json, struct, sys, os
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'examples/digits'))
from model import DigitsCNN  # noqa: E402


def read_safetensors(path):
    with open(path, 'rb') as f:
        b = f.read()
    n = struct.unpack('<Q', b[:8])[0]
    header = json.loads(b[8:8 + n])
    out = {}
    for k, v in header.items():
        if k == '__metadata__':
            continue
        s, e = v['data_offsets']
        assert v['dtype'] == 'F32'
        out[k] = torch.frombuffer(bytearray(b[8 + n + s:8 + n + e]), dtype=torch.float32).reshape(v['shape'])
    return out


def grad_norms(model, x, loss_fn):
    calls = []  # one entry per call, in call order (a module called twice is two rows)

    def hook(mod, inp, out, name):
        out.retain_grad()
        calls.append((name, out))

    hooks = [m.register_forward_hook(lambda mod, inp, out, name=name: hook(mod, inp, out, name)) for name, m in model.named_modules() if name]
    y = model(x)
    loss_fn(y).backward()
    for h in hooks:
        h.remove()
    return [[k, float(v.grad.norm())] for k, v in calls], y


def main():
    torch.manual_seed(0)
    x = read_safetensors(os.path.join(ROOT, 'examples/digits/samples.safetensors'))['input']
    state = torch.load(os.path.join(ROOT, 'examples/digits/digits.pth'))
    model = DigitsCNN()
    model.load_state_dict(state)
    bn_in = {}
    hooks = [m.register_forward_hook(lambda mod, inp, out, name=name: bn_in.update({name: inp[0].detach()}))
             for name, m in model.named_modules() if isinstance(m, torch.nn.BatchNorm2d)]
    model.train()
    with torch.no_grad():
        y_train = model(x)
    for h in hooks:
        h.remove()
    bn = {}
    for name, m in model.named_modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            xi = bn_in[name]
            bn[name] = {
                'batchMean': xi.mean(dim=(0, 2, 3)).tolist(),
                'batchVar': xi.var(dim=(0, 2, 3), unbiased=False).tolist(),
                'runningMeanBefore': state[name + '.running_mean'].tolist(),
                'runningVarBefore': state[name + '.running_var'].tolist(),
                'runningMeanAfter': m.running_mean.tolist(),
                'runningVarAfter': m.running_var.tolist(),
            }
    model.load_state_dict(state)
    model.eval()
    with torch.no_grad():
        y_eval = model(x)
    sum_norms, _ = grad_norms(model, x, lambda y: y.sum())
    ce_norms, _ = grad_norms(model, x, lambda y: torch.nn.functional.cross_entropy(y, torch.full((y.shape[0],), 3)))
    doc = {
        'torch': torch.__version__,
        'input': 'examples/digits/samples.safetensors',
        'weights': 'examples/digits/digits.pth',
        'batchNorm': bn,
        'trainOutput': y_train.flatten().tolist(),
        'evalOutput': y_eval.flatten().tolist(),
        'gradNormSumEval': sum_norms,
        'gradNormCrossEntropy3Eval': ce_norms,
    }
    path = os.path.join(ROOT, 'test/fixtures/inspector/digits_bn.json')
    with open(path, 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')
    print('wrote', path)


if __name__ == '__main__':
    main()
