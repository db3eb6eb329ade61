# framework: pytorch
"""torch.autograd.Function: a numerically stable gradient, a straight-through estimator, gradcheck."""
import torch
from torch.autograd import Function, gradcheck

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")


class StableSoftplus(Function):
    """log(1 + exp(x)) with a stable forward and the closed-form gradient sigmoid(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)                       # tensors go through save_for_backward
        return x.clamp(min=0) + torch.log1p(torch.exp(-x.abs()))

    @staticmethod
    def backward(ctx, grad_out):                       # one grad per output in ...
        (x,) = ctx.saved_tensors
        return grad_out * torch.sigmoid(x)             # ... one grad per input out


class RoundSTE(Function):
    """Round in the forward pass, pretend to be the identity in the backward pass."""

    @staticmethod
    def forward(ctx, x):
        return torch.round(x)

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out


def fmt(t):
    return "[" + ", ".join(f"{v:.4g}" for v in t.tolist()) + "]"


x = torch.tensor([-100.0, 0.0, 100.0], device=device, requires_grad=True)

print("\n1) naive log(1 + exp(x)) in float32")
naive = torch.log(1 + torch.exp(x))
naive.sum().backward()
print("   value:", fmt(naive), "| grad:", fmt(x.grad))

print("\n2) StableSoftplus.apply(x)")
x.grad = None
y = StableSoftplus.apply(x)
y.sum().backward()
print("   value:", fmt(y), "| grad:", fmt(x.grad))
print("   grad_fn:", type(y.grad_fn).__name__)

print("\n3) gradcheck compares backward with finite differences (use float64)")
xd = torch.randn(5, dtype=torch.float64, device=device, requires_grad=True)
print("   StableSoftplus passes:", gradcheck(StableSoftplus.apply, (xd,)))


class WrongSoftplus(StableSoftplus):
    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * torch.exp(x)                 # a deliberate mistake


print("   WrongSoftplus passes:", gradcheck(WrongSoftplus.apply, (xd,), raise_exception=False))

print("\n4) straight-through estimator for a quantiser")
w = torch.tensor([0.2, 1.4, 2.6], device=device, requires_grad=True)
torch.round(w).sum().backward()
print("   torch.round grad:", w.grad.tolist(), "-> nothing to learn from")
w.grad = None
RoundSTE.apply(w).sum().backward()
print("   RoundSTE grad:   ", w.grad.tolist(), "-> gradient passes straight through")
