# framework: pytorch
"""Custom losses: a plain function is enough; nn.Module when the loss owns state; what breaks the graph."""
import torch
from torch import nn
import torch.nn.functional as F

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)


def focal_loss(logits, target, gamma=2.0):
    """Plain function of torch ops: autograd differentiates it, no backward needed."""
    logp = F.log_softmax(logits, dim=1).gather(1, target[:, None]).squeeze(1)
    return (-(1 - logp.exp()) ** gamma * logp).mean()          # reduce to a scalar


class WeightedCE(nn.Module):
    """A Module because it owns state: class weights that must follow .to() and be saved."""

    def __init__(self, class_weights, reduction="mean"):
        super().__init__()
        self.register_buffer("w", torch.as_tensor(class_weights, dtype=torch.float32))
        self.reduction = reduction                              # plain configuration

    def forward(self, logits, target):
        nll = -F.log_softmax(logits, dim=1).gather(1, target[:, None]).squeeze(1)
        w = self.w[target]
        if self.reduction == "none":
            return w * nll
        return (w * nll).sum() / w.sum()                        # weighted mean


logits = torch.randn(8, 3, device=device, requires_grad=True)
target = torch.tensor([0, 1, 2, 2, 1, 0, 2, 2], device=device)

print("\n1) a plain-function loss backpropagates like any other")
loss = focal_loss(logits, target)
loss.backward()
print(f"   focal loss = {loss.item():.4f}, grad shape {tuple(logits.grad.shape)}")
print("   gamma=0 equals cross-entropy:",
      torch.allclose(focal_loss(logits, target, gamma=0.0), F.cross_entropy(logits, target)))

print("\n2) a Module loss with a class-weight buffer, checked against nn.CrossEntropyLoss")
crit = WeightedCE([1.0, 2.0, 0.5]).to(device)
ref = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5], device=device))
print("   matches built-in weighted CE:", torch.allclose(crit(logits, target), ref(logits, target)))
print("   buffer saved in state_dict:", list(crit.state_dict()))

print("\n3) things that cut the graph")
logits.grad = None
try:
    broken = torch.tensor(F.cross_entropy(logits, target).item())   # .item() -> Python float
    broken.backward()
except RuntimeError as e:
    print("   .item() then torch.tensor(...):", e)
try:
    import numpy as np
    probs = logits.softmax(1).detach().cpu().numpy()                # numpy needs detach: graph gone
    broken = torch.tensor(-np.log(probs[np.arange(8), target.cpu().numpy()]).mean())
    broken.backward()
except RuntimeError as e:
    print("   numpy maths:", e)

print("\n4) a non-scalar loss needs reducing before backward()")
per_sample = F.cross_entropy(logits, target, reduction="none")
try:
    per_sample.backward()
except RuntimeError as e:
    print("   per-sample loss .backward():", e)
per_sample.mean().backward()
print("   per_sample.mean().backward(): ok, grad norm =", round(logits.grad.norm().item(), 4))
