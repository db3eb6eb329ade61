# framework: pytorch
"""nn.Sequential runs its own forward; nn.ModuleList/ModuleDict just register; a list registers nothing."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)
x = torch.randn(5, 16, device=device)

print("\n1) nn.Sequential: output of each layer feeds the next")
mlp = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4)).to(device)
print("   mlp(x) shape:", tuple(mlp(x).shape), "| mlp[:2] is a", type(mlp[:2]).__name__)

print("\n2) nn.ModuleList: no forward of its own, you write the loop")
try:
    nn.ModuleList([nn.Linear(16, 16)])(x)
except NotImplementedError as e:
    print("   calling it ->", e)


class ResidualStack(nn.Module):
    """Skip connections plus a per-layer extra input: awkward for Sequential."""

    def __init__(self, depth=3, dim=16):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(dim, dim) for _ in range(depth))
        self.gates = nn.Parameter(torch.ones(depth))

    def forward(self, x, return_all=False):
        outs = []
        for i, layer in enumerate(self.layers):
            x = x + self.gates[i] * torch.relu(layer(x))   # residual + per-layer gate
            outs.append(x)
        return outs if return_all else x


stack = ResidualStack().to(device)
print("   ResidualStack returns", len(stack(x, return_all=True)), "intermediate outputs")

print("\n3) nn.ModuleDict: submodules by name, e.g. one head per task")
heads = nn.ModuleDict({"sentiment": nn.Linear(16, 2), "topic": nn.Linear(16, 10)}).to(device)
for task in ("sentiment", "topic"):
    print(f"   heads['{task}'](x) ->", tuple(heads[task](x).shape))


class PlainList(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [nn.Linear(16, 16) for _ in range(3)]   # not registered


print("\n4) what each container exposes to optimizers and state_dict")
for name, mod in [("Sequential", mlp), ("ModuleList", stack), ("ModuleDict", heads),
                  ("plain list", PlainList())]:
    n_params = sum(p.numel() for p in mod.parameters())
    print(f"   {name:11} parameters = {n_params:5d} | state_dict keys = {len(mod.state_dict())}")
