# framework: pytorch
"""Hooks in practice: grab activations, watch gradients, find the first bad layer, clean up."""
import warnings

import torch
from torch import nn

# PyTorch warns that the first layer's full backward hook fires without input gradients; expected here
warnings.filterwarnings("ignore", message="Full backward hook is firing")

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)

model = nn.Sequential(
    nn.Linear(8, 16), nn.ReLU(),
    nn.Linear(16, 16), nn.ReLU(),
    nn.Linear(16, 2),
).to(device)
x = torch.randn(32, 8, device=device)

# 1) Forward hooks: activation statistics and feature extraction (store detached copies).
stats, handles = {}, []


def save_stats(name):
    def hook(module, inputs, output):
        out = output.detach()
        stats[name] = (out.mean().item(), (out == 0).float().mean().item(), out)
    return hook


for name, module in model.named_modules():
    if isinstance(module, nn.ReLU):
        handles.append(module.register_forward_hook(save_stats(name)))

# 2) Full backward hooks: gradient norm flowing out of each Linear layer.
grad_norms = {}


def save_grad(name):
    def hook(module, grad_input, grad_output):
        # grad_input is None for the first layer: the input batch does not require grad
        grad_norms[name] = (grad_output[0].norm().item(), grad_input[0] is None)
    return hook


for name, module in model.named_modules():
    if isinstance(module, nn.Linear):
        handles.append(module.register_full_backward_hook(save_grad(name)))

# 3) A tensor hook sees the gradient of one particular tensor.
logits = model(x)
logits.register_hook(lambda g: print(f"tensor hook: dL/dlogits shape {tuple(g.shape)}"))
logits.logsumexp(dim=1).mean().backward()

for name, (mean, dead, out) in stats.items():
    print(f"ReLU {name}: mean={mean:.3f} zero-fraction={dead:.2f} stored requires_grad={out.requires_grad}")
for name, (norm, no_input_grad) in grad_norms.items():
    print(f"Linear {name}: |grad wrt output| = {norm:.4f}  grad_input is None: {no_input_grad}")

# 4) Remove every handle; otherwise each re-registration adds a duplicate hook.
for h in handles:
    h.remove()
print("hooks left after remove():", sum(len(m._forward_hooks) + len(m._backward_hooks)
                                         for m in model.modules()))

# 5) NaN hunting: a forward hook on every module reports the first non-finite output.
with torch.no_grad():
    model[2].weight[0, 0] = float("inf")  # plant a bad weight
first_bad = []


def nan_guard(name):
    def hook(module, inputs, output):
        if not first_bad and not torch.isfinite(output).all():
            first_bad.append(f"{name} ({module.__class__.__name__})")
    return hook


guards = [m.register_forward_hook(nan_guard(n)) for n, m in model.named_modules() if n]
with torch.no_grad():
    model(x)
for h in guards:
    h.remove()
print("first module with non-finite output:", first_bad[0])
