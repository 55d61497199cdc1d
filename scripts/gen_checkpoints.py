#!/usr/bin/python3
"""Reference PyTorch checkpoints for the .pt/.pth reader (engine/io/), written by real torch.

Developer tool only (the product never runs Python). Run with Debian's torch:
    /usr/bin/python3 scripts/gen_checkpoints.py [OUT_DIR]      (default test/fixtures/checkpoints)

For every file FILE it writes FILE.json:
    {"file": FILE, "what": ..., "torch": {"weightsOnly": "ok" | "refused: <message>", "loadedWith": ...},
     "expect": {"read": true, "stateDict": PATH, "tensors": {PATH: T}, "scalars": {PATH: value}}
             | {"read": false, "error": REGEX}}
T is {"dtype", "shape", "data"} with data row-major; int64 values are strings (exact beyond 2^53),
non-finite floats are the strings "nan", "inf", "-inf". PATH joins dict keys and list indexes with ".".
"tensors" is every tensor in the object that torch.load returns; "stateDict" is the path of the tensor
dictionary the reader should pick for a model ("" for the top level).

torch 1.13's weights_only unpickler lacks BINFLOAT (it refuses any Python float, e.g. an optimizer's lr);
PyTorch >= 2.0 accepts floats, and so does our reader. For those benign files (written here) the expected
tensors come from torch.load(weights_only=False), and "loadedWith" says so. Hostile files are never loaded
with weights_only=False.
"""

import collections
import io
import json
import math
import os
import pickle
import struct
import sys
import zipfile

import torch
import torch.nn as nn

torch.manual_seed(0)
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "checkpoints")
PAYLOAD = "echo layerlens-pwned"


def tinynet():
    """TinyNet (from the tinynet.py this script writes) with non-trivial BatchNorm buffers."""
    with open(os.path.join(OUT, "tinynet.py"), "w") as f:
        f.write(TINYNET_SRC)
    sys.path.insert(0, OUT)
    sys.dont_write_bytecode = True  # no __pycache__ among the fixtures
    from tinynet import TinyNet

    m = TinyNet()
    with torch.no_grad():
        m.bn.running_mean.copy_(torch.tensor([0.25, -0.5]))
        m.bn.running_var.copy_(torch.tensor([1.5, 0.75]))
        m.bn.num_batches_tracked.fill_(7)
    return m


TINYNET_SRC = '''# The model of the checkpoint fixtures (written and imported by scripts/gen_checkpoints.py).
import torch
import torch.nn as nn


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)
        self.bn = nn.BatchNorm2d(2)
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv(x)))
        return self.fc(torch.flatten(x, 1))

# layerlens: input=(1, 1, 4, 4)
'''


def enc_float(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def tensor_json(t):
    t = t.detach()
    dtype = str(t.dtype).replace("torch.", "")
    flat = t.contiguous().reshape(-1)
    if t.dtype == torch.int64:
        data = [str(int(v)) for v in flat.tolist()]
    elif t.dtype == torch.bool:
        data = [bool(v) for v in flat.tolist()]
    elif t.dtype.is_floating_point:
        data = [enc_float(float(v)) for v in flat.float().tolist()] if t.dtype == torch.bfloat16 else [enc_float(float(v)) for v in flat.tolist()]
    else:
        data = [int(v) for v in flat.tolist()]
    return {"dtype": dtype, "shape": list(t.shape), "data": data}


def flatten(obj, prefix, tensors, scalars, seen):
    """Every tensor and scalar leaf by its dotted path (dict keys via str(), list/tuple indexes)."""
    if isinstance(obj, torch.Tensor):
        tensors[prefix] = tensor_json(obj)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            flatten(v, f"{prefix}.{k}" if prefix else str(k), tensors, scalars, seen)
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            flatten(v, f"{prefix}.{i}" if prefix else str(i), tensors, scalars, seen)
    elif obj is None or isinstance(obj, (bool, int, float, str)):
        scalars[prefix] = enc_float(obj) if isinstance(obj, float) else obj
    else:
        raise TypeError(f"unexpected {type(obj)} at {prefix}")


def dump(doc, depth=0):
    """JSON with one line per tensor or scalar (readable diffs, small files)."""
    if isinstance(doc, dict) and doc and not ("dtype" in doc and "data" in doc):
        pad = " " * (depth + 1)
        items = [f"{pad}{json.dumps(k)}: {dump(v, depth + 1)}" for k, v in doc.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * depth + "}"
    return json.dumps(doc)


def try_weights_only(path):
    try:
        obj = torch.load(path, weights_only=True)
        return f"ok ({type(obj).__module__}.{type(obj).__name__})", obj
    except Exception as e:  # noqa: BLE001 - the refusal message is the datum
        return "refused: " + str(e).split("WeightsUnpickler error: ")[-1].splitlines()[-1][:300], None


def record(name, what, expect, obj=None, state_dict="", benign=True):
    """Writes NAME.json; `obj` None means the expected tensors are what torch.load returns."""
    path = os.path.join(OUT, name)
    status, loaded = try_weights_only(path)
    torch_info = {"weightsOnly": status}
    if expect == "read":
        if loaded is None:
            assert benign, name
            loaded = torch.load(path, weights_only=False)
            torch_info["loadedWith"] = ("torch.load(weights_only=False) of this benign file: torch 1.13's weights_only unpickler lacks "
                                        "the opcode above (BINFLOAT 71, INT 73, FRAME/MEMOIZE 149...), which later PyTorch and our reader accept")
        else:
            torch_info["loadedWith"] = "torch.load(weights_only=True)"
        tensors, scalars = {}, {}
        flatten(loaded, "", tensors, scalars, set())
        exp = {"read": True, "stateDict": state_dict, "tensors": tensors, "scalars": scalars}
    else:
        exp = {"read": False, "error": expect}
    doc = {"file": name, "what": what, "torch": torch_info, "expect": exp}
    with open(path + ".json", "w") as f:
        f.write(dump(doc) + "\n")
    print(f"{name}: {os.path.getsize(path)} bytes, torch weights_only {status[:70]}")


def save(obj, name, **kw):
    torch.save(obj, os.path.join(OUT, name), **kw)


def gen_dtypes():
    sd = collections.OrderedDict()
    sd["f32"] = torch.tensor([0.0, -1.5, 3.25e-8, 1e30, float("inf"), float("-inf"), float("nan")], dtype=torch.float32)
    sd["f16"] = torch.tensor([0.0, -2.0, 65504.0, 6e-8, 0.333], dtype=torch.float16)
    sd["bf16"] = torch.tensor([1.0, -3.5, 1e38, 0.1], dtype=torch.bfloat16)
    sd["f64"] = torch.tensor([0.1, -1e300, 2.0 ** -1074], dtype=torch.float64)
    sd["i64"] = torch.tensor([0, -5, 2 ** 60 + 1, -(2 ** 63)], dtype=torch.int64)
    sd["i32"] = torch.tensor([2 ** 31 - 1, -(2 ** 31), 7], dtype=torch.int32)
    sd["i16"] = torch.tensor([-32768, 32767, 1], dtype=torch.int16)
    sd["i8"] = torch.tensor([-128, 127, 0], dtype=torch.int8)
    sd["u8"] = torch.tensor([0, 255, 17], dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True])
    sd["scalar"] = torch.tensor(2.5)
    sd["empty"] = torch.zeros(0)
    sd["empty3d"] = torch.zeros(2, 0, 3)
    sd["matrix_f16"] = torch.randn(3, 4).half()
    save(sd, "dtypes.pth")
    record("dtypes.pth", "one tensor per dtype, a 0-d scalar, empty tensors, inf/nan", "read")


def gen_views():
    base = torch.arange(24, dtype=torch.float32)
    m = base.view(4, 6)
    sd = collections.OrderedDict()
    sd["base"] = m
    sd["transposed"] = m.t()
    sd["slice"] = base[5:11]
    sd["column"] = m[:, 2]
    sd["strided"] = m[::2, ::3]
    sd["expanded"] = torch.tensor([1.0, 2.0, 3.0]).expand(4, 3)
    tied = torch.randn(3, 2)
    sd["tied_a"] = tied
    sd["tied_b"] = tied
    sd["int_view"] = torch.arange(10, dtype=torch.int64)[3:7].view(2, 2).t()
    sd["bf16_t"] = torch.arange(6, dtype=torch.float32).view(2, 3).to(torch.bfloat16).t()
    save(sd, "shared_views.pth")
    record("shared_views.pth", "views of one storage (offsets, transposed, strided, column), expand (stride 0), tied weights", "read")


def gen_state_dicts():
    m = tinynet()
    save(m.state_dict(), "tinynet_state_dict.pth")
    record("tinynet_state_dict.pth", "a bare model.state_dict() of TinyNet", "read")
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    m(torch.randn(2, 1, 4, 4)).sum().backward()
    opt.step()
    save({"model": m.state_dict(), "optimizer": opt.state_dict(), "epoch": 3}, "tinynet_model_optimizer.pth")
    record("tinynet_model_optimizer.pth", '{"model": state_dict, "optimizer": Adam state, "epoch": 3}', "read", state_dict="model")
    save({"state_dict": m.state_dict(), "arch": "tinynet", "best_acc1": torch.tensor(0.5)}, "tinynet_nested.pt")
    record("tinynet_nested.pt", '{"state_dict": ..., "arch": "tinynet", "best_acc1": tensor}', "read", state_dict="state_dict")
    save(nn.DataParallel(m).state_dict(), "tinynet_dataparallel.bin")
    record("tinynet_dataparallel.bin", "nn.DataParallel(model).state_dict(): every key prefixed with module.", "read")
    save(m.state_dict(), "tinynet_protocol4.pth", pickle_protocol=4)
    record("tinynet_protocol4.pth", "state_dict pickled with protocol 4 (FRAME, MEMOIZE, STACK_GLOBAL)", "read")
    save(m.state_dict(), "tinynet_protocol1.pth", pickle_protocol=1)
    record("tinynet_protocol1.pth", "state_dict pickled with protocol 1 (no PROTO, text INT booleans)", "read")
    return m


def gen_refused(m):
    class Net(type(m)):
        """A model class defined in the training script itself, as most are."""

    Net.__module__, Net.__qualname__ = "__main__", "Net"
    globals()["Net"] = Net
    whole = Net()
    whole.load_state_dict(m.state_dict())
    save(whole, "whole_module.pth")
    record("whole_module.pth", "torch.save(model) of a class defined in __main__: a whole pickled nn.Module", r"__main__\.Net.*state_dict\(\)")
    save(nn.Sequential(nn.Linear(2, 2)), "whole_sequential.pth")
    record("whole_sequential.pth", "torch.save(nn.Sequential(...))", r"torch\.nn\.modules\.container\.Sequential.*state_dict\(\)")
    torch.jit.save(torch.jit.script(m), os.path.join(OUT, "torchscript.pt"))
    record("torchscript.pt", "torch.jit.save(torch.jit.script(model))", r"TorchScript.*torch\.jit\.load.*state_dict\(\)")
    save(m.state_dict(), "legacy.pth", _use_new_zipfile_serialization=False)
    record("legacy.pth", "torch.save(..., _use_new_zipfile_serialization=False): the pre-1.6 format", r"legacy.*PyTorch 1\.6.*torch\.save")


class Reduce:
    """Pickles as REDUCE(func, args): what a hostile file author writes."""

    def __init__(self, func, args):
        self.func, self.args = func, args

    def __reduce__(self):
        return (self.func, self.args)


def zip_pickle(name, pkl):
    """A valid torch-style zip archive (stored entries) whose data.pkl is `pkl`."""
    stem = os.path.splitext(name)[0]
    with zipfile.ZipFile(os.path.join(OUT, name), "w", zipfile.ZIP_STORED) as z:
        for entry, data in ((f"{stem}/data.pkl", pkl), (f"{stem}/version", b"3\n")):
            z.writestr(zipfile.ZipInfo(entry, date_time=(1980, 1, 1, 0, 0, 0)), data)


def gen_hostile():
    # The payloads are harmless (echo); the marker below proves torch's weights_only did not run them either.
    zip_pickle("hostile_os_system.pth", pickle.dumps({"w": Reduce(os.system, (PAYLOAD,))}, protocol=2))
    record("hostile_os_system.pth", "GLOBAL posix.system + REDUCE (what pickling os.system writes)", r"posix\.system", benign=False)
    zip_pickle("hostile_eval.pth", pickle.dumps(Reduce(eval, ("__import__('os').system('%s')" % PAYLOAD,)), protocol=2))
    record("hostile_eval.pth", "GLOBAL __builtin__.eval + REDUCE", r"__builtin__\.eval", benign=False)
    zip_pickle("hostile_stack_global.pth", pickle.dumps(Reduce(__import__("subprocess").Popen, (["true"],)), protocol=4))
    record("hostile_stack_global.pth", "protocol 4 STACK_GLOBAL subprocess.Popen", r"subprocess\.Popen", benign=False)
    # REDUCE on an allowlisted global that is not a rebuild function: torch 1.13 would call FloatStorage(3)
    zip_pickle("hostile_reduce_storage.pth", b"\x80\x02ctorch\nFloatStorage\nK\x03\x85R.")
    record("hostile_reduce_storage.pth", "REDUCE calling an allowlisted storage class (torch 1.13 calls it)", r"REDUCE.*torch\.FloatStorage", benign=False)
    # REDUCE on something that is no global at all (an OrderedDict instance)
    zip_pickle("hostile_reduce_object.pth", b"\x80\x02ccollections\nOrderedDict\n)R)R.")
    record("hostile_reduce_object.pth", "REDUCE calling an object that is not an allowlisted function", r"REDUCE", benign=False)
    # INST (protocol 0): builds an instance of module.name from the stack
    zip_pickle("hostile_inst.pth", b"(X" + struct.pack("<I", len(PAYLOAD)) + PAYLOAD.encode() + b"ios\nsystem\n.")
    record("hostile_inst.pth", "protocol 0 INST os.system", r"INST.*os\.system", benign=False)
    # a tensor rebuild whose storage is a persistent id of another kind
    zip_pickle("hostile_persid.pth", b"\x80\x02(X\x06\x00\x00\x00moduleX\x02\x00\x00\x00ostQ.")
    record("hostile_persid.pth", "BINPERSID that is not a storage", r"persistent id.*storage", benign=False)
    # NEWOBJ of an allowlisted class that is not a Parameter
    zip_pickle("hostile_newobj.pth", b"\x80\x02ctorch\nTensor\n)\x81.")
    record("hostile_newobj.pth", "NEWOBJ torch.Tensor", r"NEWOBJ.*torch\.Tensor", benign=False)
    # a non-allowlisted torch function
    zip_pickle("hostile_torch_load.pth", b"\x80\x02ctorch\nload\nX\x08\x00\x00\x00/dev/zero\x85R.")
    record("hostile_torch_load.pth", "GLOBAL torch.load (a torch function, not on the allowlist)", r"torch\.load", benign=False)


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    gen_dtypes()
    gen_views()
    m = gen_state_dicts()
    gen_refused(m)
    gen_hostile()
    index = sorted(f for f in os.listdir(OUT) if not f.endswith(".json") and not f.endswith(".py"))
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
