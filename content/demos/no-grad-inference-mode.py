# framework: pytorch
"""no_grad and inference_mode switch off graph recording; eval() is a separate switch."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)

model = nn.Sequential(nn.Linear(256, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 10)).to(device)
x = torch.randn(64, 256, device=device)


def saved_bytes(ctx):
    """Bytes autograd keeps for backward during one forward pass under ctx."""
    total = []

    def pack(t):
        total.append(t.numel() * t.element_size())
        return t

    with ctx, torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = model(x)
    return sum(total), out


print("\n1) memory kept for backward by one forward pass")
for name, ctx in [("grad mode", torch.enable_grad()), ("no_grad", torch.no_grad()),
                  ("inference_mode", torch.inference_mode())]:
    nbytes, out = saved_bytes(ctx)
    print(f"   {name:15} saved {nbytes / 1024:7.1f} KiB | out.requires_grad={out.requires_grad}")

print("\n2) enable_grad() re-enables tracking inside no_grad (not inside inference_mode)")
with torch.no_grad():
    with torch.enable_grad():
        print("   no_grad + enable_grad:       ", model(x).requires_grad)
with torch.inference_mode():
    with torch.enable_grad():
        print("   inference_mode + enable_grad:", model(x).requires_grad)

print("\n3) a manual SGD step needs no_grad: in-place edits of leaf parameters")
w = model[0].weight
model(x).pow(2).mean().backward()
try:
    w -= 0.1 * w.grad
except RuntimeError as e:
    print("   outside no_grad ->", str(e)[:70], "...")
with torch.no_grad():
    w -= 0.1 * w.grad
print("   inside no_grad -> ok, w is still a leaf:", w.is_leaf)

print("\n4) inference tensors cannot join autograd later")
with torch.inference_mode():
    feats = model[0](x)
head = nn.Linear(512, 2).to(device)
try:
    head(feats).sum().backward()
except RuntimeError as e:
    print("   ->", str(e).split(".")[0])
head(feats.clone()).sum().backward()
print("   after .clone(): backward ok, head.weight.grad set:", head.weight.grad is not None)

print("\n5) eval() and no_grad() are independent")
model.eval()
print("   eval() only:    requires_grad =", model(x).requires_grad, "(graph still built)")
model.train()
with torch.no_grad():
    a, b = model(x), model(x)
print("   no_grad only:   two outputs equal =", torch.equal(a, b), "(dropout still active)")
model.eval()
with torch.no_grad():
    a, b = model(x), model(x)
print("   eval + no_grad: two outputs equal =", torch.equal(a, b), "| requires_grad =", a.requires_grad)
