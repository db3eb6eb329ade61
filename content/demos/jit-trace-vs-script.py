# framework: pytorch
"""torch.jit.trace vs torch.jit.script, and torch.export + torch.cond as the modern replacement.

trace records the ops one example input happened to run; script compiles the Python source and
keeps control flow. Both are deprecated in PyTorch 2.x; the warnings are printed at the end.
"""
import os
import sys
import tempfile
import warnings

import torch

torch.manual_seed(0)
print("device: cpu (TorchScript and torch.export capture run on the CPU here)")


# torch.jit.script compiles Python *source*, so the models must live in a real .py file
# (this demo may be run with `python -c`, where source is unavailable): write one and import it.
MODELS = '''
import torch


class Gate(torch.nn.Module):
    def forward(self, x):
        if x.sum() > 0:  # data-dependent branch
            return x * 2
        return -x


class RowLoop(torch.nn.Module):
    def forward(self, x):
        out = torch.zeros_like(x[0])
        for i in range(x.shape[0]):  # loop count comes from the shape
            out = out + x[i] * (i + 1)
        return out


class Wrapper(torch.nn.Module):
    """A traced model that contains a scripted submodule: the branch survives."""

    def __init__(self):
        super().__init__()
        self.gate = torch.jit.script(Gate())
        self.proj = torch.nn.Linear(3, 3)

    def forward(self, x):
        return self.gate(self.proj(x))


class GateCond(torch.nn.Module):
    def forward(self, x):
        return torch.cond(x.sum() > 0, lambda t: t * 2, lambda t: -t, (x,))
'''
tmp = tempfile.mkdtemp()
with open(os.path.join(tmp, "jit_models.py"), "w") as f:
    f.write(MODELS)
sys.path.insert(0, tmp)
from jit_models import Gate, GateCond, RowLoop, Wrapper  # noqa: E402

pos, neg = torch.ones(3), -torch.ones(3)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    traced, scripted = torch.jit.trace(Gate(), pos), torch.jit.script(Gate())
    print("\n1) data-dependent if; traced with a positive input")
    print("   eager   on negative input:", Gate()(neg).tolist())
    print("   traced  on negative input:", traced(neg).tolist(), "<- branch frozen to the x * 2 path")
    print("   scripted on negative input:", scripted(neg).tolist())

    rows3, rows5 = torch.ones(3, 2), torch.ones(5, 2)
    traced_loop, scripted_loop = torch.jit.trace(RowLoop(), rows3), torch.jit.script(RowLoop())
    print("\n2) Python loop over x.shape[0]; traced with 3 rows")
    print("   eager   on 5 rows:", RowLoop()(rows5).tolist())
    print("   traced  on 5 rows:", traced_loop(rows5).tolist(), "<- loop silently unrolled 3 times (no TracerWarning)")
    print("   scripted on 5 rows:", scripted_loop(rows5).tolist())

    mixed = torch.jit.trace(Wrapper(), torch.ones(1, 3))
    w = Wrapper()
    w.load_state_dict(mixed.state_dict())
    x = torch.randn(4, 3)
    print("\n3) traced model with a scripted submodule matches eager:", torch.allclose(mixed(x), w(x)))

tracer = sorted({str(c.message).split(".")[0] for c in caught if c.category is torch.jit.TracerWarning})
deprecations = sorted({str(c.message) for c in caught if issubclass(c.category, DeprecationWarning)})
print("\n4) warnings raised while doing this:")
for msg in tracer:
    print("   TracerWarning:", msg)
for msg in deprecations:
    print("   DeprecationWarning:", msg)


ep = torch.export.export(GateCond(), (pos,))
print("\n5) torch.export + torch.cond keeps both branches:",
      ep.module()(pos).tolist(), ep.module()(neg).tolist())
