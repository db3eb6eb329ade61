# framework: pytorch
"""backward(v) computes the vector-Jacobian product v^T J; autograd.grad and jacrev give the rest."""
import torch
from torch.func import jacrev, vmap

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.set_printoptions(precision=4, sci_mode=False)

A = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], device=device)


def f(x):                      # R^3 -> R^2, Jacobian J = A * cos(x) (column-wise)
    return A @ torch.sin(x)


x = torch.tensor([0.5, 1.0, 1.5], device=device, requires_grad=True)
y = f(x)

# 1. No argument only works for scalar outputs.
try:
    y.backward()
except RuntimeError as e:
    print("1) y.backward() on shape", tuple(y.shape), "->", e)

# 2. backward(v) gives v^T J, accumulated into x.grad.
v = torch.tensor([1.0, -1.0], device=device)
y.backward(v)
J = A * torch.cos(x.detach())            # hand-derived Jacobian, shape (2, 3)
print("2) x.grad after y.backward(v):", x.grad)
print("   v @ J by hand            :", v @ J)

# 3. backward(ones) is the same as backward on y.sum().
x.grad = None
f(x).backward(torch.ones(2, device=device))
g_ones = x.grad.clone()
x.grad = None
f(x).sum().backward()
print("3) backward(ones) == sum().backward():", torch.allclose(g_ones, x.grad))

# 4. autograd.grad returns the same VJP without touching .grad.
x.grad = None
(g,) = torch.autograd.grad(f(x), x, grad_outputs=v)
print("4) autograd.grad(..., grad_outputs=v):", g, "| x.grad:", x.grad)

# 5. Full Jacobians: functional.jacobian, torch.func.jacrev, and vmap over a batch.
J1 = torch.autograd.functional.jacobian(f, x.detach())
J2 = jacrev(f)(x.detach())
print("5) jacobian == jacrev == hand-derived:", torch.allclose(J1, J) and torch.allclose(J2, J))
torch.manual_seed(0)
batch = torch.randn(4, 3, device=device)
print("   vmap(jacrev(f)) on a batch of 4 ->", tuple(vmap(jacrev(f))(batch).shape))
