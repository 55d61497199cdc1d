"""Writes test/fixtures/editor/editor_cases.json: PyTorch's shapes and parameter counts of the blocks of
test/integration/workspace/editor_cases.py (what the editor's block hovers must show).
Run with Debian's torch: /usr/bin/python3 scripts/gen_editor_expected.py"""
import importlib.util, json, os, torch

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location('m', os.path.join(root, 'test/integration/workspace/editor_cases.py'))
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
net = m.model.eval()
calls = {}


def hook(name):
    def f(mod, inp, o):
        o = o[0] if isinstance(o, tuple) else o
        calls.setdefault(name, []).append({'input': list(inp[0].shape), 'output': list(o.shape)})
    return f


for n, mod in net.named_modules():
    if n:
        mod.register_forward_hook(hook(n))
with torch.no_grad():
    y = net(torch.randn(8, 3, 32, 32))
params = {n or '(model)': sum(p.numel() for p in mod.parameters()) for n, mod in net.named_modules()}
with open(os.path.join(root, 'test/fixtures/editor/editor_cases.json'), 'w') as f:
    json.dump({'torch': torch.__version__, 'input': [8, 3, 32, 32], 'output': list(y.shape), 'calls': calls, 'params': params}, f, indent=1)
    f.write('\n')
