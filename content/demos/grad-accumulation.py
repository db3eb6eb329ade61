# framework: pytorch
"""Gradients add up in .grad; use that to imitate a bigger batch, and see where BatchNorm differs."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)

# 1. Two backward calls without zeroing: the second gradient lands on top of the first.
w = torch.tensor(1.0, device=device, requires_grad=True)
for step in range(3):
    (3 * w).backward()
    print(f"1) after backward #{step + 1}: w.grad = {w.grad.item():.0f}")

# 2. Within one backward, paths to the same tensor are summed: d/dw (w*w + 2w) = 2w + 2.
w.grad = None
(w * w + 2 * w).backward()
print(f"2) two paths in one graph: w.grad = {w.grad.item():.0f} (2w + 2 with w = 1)")

# 3. zero_grad() in 2.x sets grads to None by default.
model = nn.Linear(4, 1).to(device)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
model(torch.ones(2, 4, device=device)).sum().backward()
opt.zero_grad()
print("3) after opt.zero_grad(): weight.grad is", model.weight.grad)

# 4. k micro-batches with loss / k give the same gradient as one big batch.
x = torch.randn(16, 4, device=device)
y = torch.randn(16, 1, device=device)
loss_fn = nn.MSELoss()

model.zero_grad()
loss_fn(model(x), y).backward()
g_full = model.weight.grad.clone()

k = 4
model.zero_grad()
for xb, yb in zip(x.chunk(k), y.chunk(k)):
    (loss_fn(model(xb), yb) / k).backward()     # accumulate, no step yet
g_accum = model.weight.grad.clone()
print(f"4) full batch vs {k} accumulated micro-batches, max diff = "
      f"{(g_full - g_accum).abs().max().item():.1e}")

model.zero_grad()
for xb, yb in zip(x.chunk(k), y.chunk(k)):
    loss_fn(model(xb), yb).backward()           # forgot to divide by k
print(f"   without / k the gradient is {(model.weight.grad / g_full).mean().item():.1f}x too big")

# 5. BatchNorm still normalises each micro-batch on its own statistics.
bn_net = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Linear(8, 1)).to(device)
bn_net.zero_grad()
loss_fn(bn_net(x), y).backward()
g_full = bn_net[0].weight.grad.clone()
bn_net.zero_grad()
for xb, yb in zip(x.chunk(k), y.chunk(k)):
    (loss_fn(bn_net(xb), yb) / k).backward()
diff = (g_full - bn_net[0].weight.grad).abs().max().item()
print(f"5) with BatchNorm the two gradients differ: max diff = {diff:.3f}")
