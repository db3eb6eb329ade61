# framework: pytorch
"""requires_grad spreads through ops, grad_fn names the producer, retain_graph keeps a graph alive."""
import torch

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)

# 1. requires_grad propagates; grad_fn records who made each tensor.
x = torch.randn(3, device=device)                      # data: no grad needed
w = torch.randn(3, device=device, requires_grad=True)  # parameter-like leaf
h = (x * w).tanh()
print("\n1) propagation")
for name, t in [("x", x), ("w", w), ("h", h)]:
    fn = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    print(f"   {name}: requires_grad={t.requires_grad!s:5} is_leaf={t.is_leaf!s:5} grad_fn={fn}")

# 2. Two losses share h. The second backward needs h's saved tensors again.
print("\n2) two losses through a shared subgraph")
loss_a, loss_b = h.sum(), (h ** 2).sum()
loss_a.backward()
try:
    loss_b.backward()
except RuntimeError as e:
    print("   without retain_graph:", str(e).split(" (")[0])

w.grad = None
h = (x * w).tanh()
loss_a, loss_b = h.sum(), (h ** 2).sum()
loss_a.backward(retain_graph=True)
loss_b.backward()
g_two = w.grad.clone()
print("   with retain_graph=True: w.grad =", [round(v, 4) for v in g_two.tolist()])

w.grad = None
h = (x * w).tanh()
(h.sum() + (h ** 2).sum()).backward()   # usually better: one backward on the sum
print("   one backward on the sum: w.grad =", [round(v, 4) for v in w.grad.tolist()])
print("   same result:", torch.allclose(g_two, w.grad))

# 3. create_graph=True records the backward pass so it can be differentiated again.
print("\n3) higher-order gradients, f(t) = t^3 at t = 2")
t = torch.tensor(2.0, device=device, requires_grad=True)
(d1,) = torch.autograd.grad(t ** 3, t, create_graph=True)
print(f"   f'(2)  = {d1.item():.1f}  (d1 has grad_fn {type(d1.grad_fn).__name__})")
(d2,) = torch.autograd.grad(d1, t)
print(f"   f''(2) = {d2.item():.1f}")
