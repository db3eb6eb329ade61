# framework: pytorch
"""In-place ops: version counters, the errors they trigger, and aliasing through views."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)

print("\n1) every in-place write bumps the tensor's version counter")
t = torch.zeros(3, device=device)
for label, op in [("t.add_(1)", lambda: t.add_(1)), ("t += 1", lambda: t.__iadd__(1)),
                  ("t[0] = 5", lambda: t.__setitem__(0, 5.0))]:
    op()
    print(f"   {label:10} -> version {t._version}")

print("\n2) changing a tensor that backward still needs")
x = torch.randn(4, device=device, requires_grad=True)
y = torch.exp(x)          # exp's backward reuses its output y
y.mul_(2)                 # in-place: y is now at version 1
try:
    y.sum().backward()
except RuntimeError as e:
    print("   y.mul_(2) ->", str(e).split(", is at")[0][:110], "...")
y = torch.exp(x) * 2      # out-of-place: a new tensor, the saved one is untouched
y.sum().backward()
print("   y = exp(x) * 2 -> ok, grad matches 2*exp(x):", torch.allclose(x.grad, 2 * torch.exp(x)))

print("\n3) the same trap with nn.ReLU(inplace=True) after exp/sigmoid")
x.grad = None
try:
    nn.ReLU(inplace=True)(torch.sigmoid(x)).sum().backward()
except RuntimeError as e:
    print("   sigmoid -> ReLU(inplace=True):", "modified by an inplace operation" in str(e))
nn.ReLU(inplace=True)(x * 3).sum().backward()   # mul's backward doesn't need its output
print("   x*3 -> ReLU(inplace=True): fine, x.grad =", [round(v) for v in x.grad.tolist()])

print("\n4) in-place on a leaf that requires grad")
w = torch.ones(3, device=device, requires_grad=True)
try:
    w.add_(1)
except RuntimeError as e:
    print("   w.add_(1) ->", e)
with torch.no_grad():
    w.add_(1)
print("   inside no_grad -> w =", w.tolist(), "| still a leaf:", w.is_leaf)

print("\n5) writes through a view change the base and every alias")
base = torch.zeros(2, 3, device=device)
row, flat = base[0], base.view(-1)
row.fill_(7)
flat[-1] = 1
print("   base after row.fill_(7) and flat[-1] = 1:", base.tolist())


def normalise_inplace(v):
    v -= v.mean()          # modifies the caller's tensor!
    return v


data = torch.tensor([1.0, 2.0, 3.0], device=device)
normalise_inplace(data)
print("   caller's tensor after a helper used -= :", data.tolist())
