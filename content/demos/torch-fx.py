# framework: pytorch
"""torch.fx in three steps: trace a module, fold BatchNorm into Conv with a graph pass, see the limits."""
import copy
import warnings

import torch
import torch.fx as fx
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)
print("device: cpu (graph passes are device independent)")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)

    def forward(self, x):
        return torch.relu(self.bn(self.conv(x))).mean(dim=(2, 3))


model = Net()
model.bn.running_mean.uniform_(-1, 1)  # pretend it was trained so folding is not trivial
model.bn.running_var.uniform_(0.5, 2)
model.eval()

gm = fx.symbolic_trace(model)
print("1) traced nodes:")
for node in gm.graph.nodes:
    print(f"   {node.op:14s} {node.name:8s} target={node.target if node.op != 'call_function' else node.target.__name__}")


def fold_bn(gm: fx.GraphModule) -> fx.GraphModule:
    """Pass: conv -> bn becomes one conv with rescaled weights (inference only)."""
    mods = dict(gm.named_modules())
    for node in list(gm.graph.nodes):
        if node.op != "call_module" or not isinstance(mods[node.target], nn.BatchNorm2d):
            continue
        prev = node.args[0]
        if prev.op != "call_module" or not isinstance(mods[prev.target], nn.Conv2d) or len(prev.users) > 1:
            continue
        conv, bn = mods[prev.target], mods[node.target]
        scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)           # per output channel
        with torch.no_grad():
            conv.weight.mul_(scale[:, None, None, None])
            conv.bias.copy_((conv.bias - bn.running_mean) * scale + bn.bias)
        node.replace_all_uses_with(prev)   # consumers of bn now read conv directly
        gm.graph.erase_node(node)
    gm.graph.lint()
    gm.delete_all_unused_submodules()
    gm.recompile()                         # regenerate forward() from the edited graph
    return gm


x = torch.randn(4, 3, 16, 16)
with torch.no_grad():
    ref = model(x)
    # the traced GraphModule shares submodules with `model`: copy before an in-place pass
    fused = fold_bn(copy.deepcopy(gm))
    out = fused(x)
    untouched = torch.equal(model(x), ref)
print("2) after fold_bn + recompile, generated code:")
print("   " + "\n   ".join(line for line in fused.code.strip().splitlines() if line.strip()))
print(f"   max |diff| vs original: {(out - ref).abs().max():.2e}; modules left: {[n for n, _ in fused.named_children()]}")
print(f"   original model untouched thanks to deepcopy: {untouched}")


class Branchy(nn.Module):
    def forward(self, x):
        return x * 2 if x.sum() > 0 else x - 1   # depends on the data


try:
    fx.symbolic_trace(Branchy())
except Exception as exc:  # symbolic values have no truth value
    print(f"3) data-dependent if -> {type(exc).__name__}: {str(exc).splitlines()[0]}")

ep = torch.export.export(model, (x,))
print("4) torch.export also produces an FX graph:", isinstance(ep.graph_module, fx.GraphModule),
      f"({len(ep.graph.nodes)} aten-level nodes)")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.quantize_fx import prepare_fx
    prepare_fx(Net().eval(), get_default_qconfig_mapping("x86"), (x,))
dep = any("deprecated" in str(w.message) and "torch.ao.quantization" in str(w.message) for w in caught)
print(f"5) prepare_fx (FX graph-mode quantisation) deprecated in torch {torch.__version__}: {dep}; "
      "successor: PT2E (prepare_pt2e/convert_pt2e) in torchao")
