# framework: pytorch
"""Measure per-layer gradient norms in a deep MLP to see gradients vanish, explode, or stay healthy.

Detection = logging p.grad.norm() per layer (first vs last layer, and absolute size); the fixes are init, activation, normalisation and
residual connections. Clipping is shown last: it caps the update but does not detect anything.
"""
import os

import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
DEPTH, WIDTH = 20, 64


class Net(nn.Module):
    def __init__(self, act, init, residual=False, norm=False):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(WIDTH, WIDTH) for _ in range(DEPTH))
        self.norms = nn.ModuleList(nn.LayerNorm(WIDTH) if norm else nn.Identity() for _ in range(DEPTH))
        self.act, self.residual = act, residual
        for layer in self.layers:
            init(layer.weight)
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        for layer, norm in zip(self.layers, self.norms):
            h = self.act(layer(norm(x)))
            x = x + h if self.residual else h
        return x


def grad_norms(net):
    torch.manual_seed(1)
    x = torch.randn(128, WIDTH, device=device)
    net.zero_grad()
    net(x).pow(2).mean().backward()
    return [layer.weight.grad.norm().item() for layer in net.layers]


configs = {
    "sigmoid + small normal init": (nn.Sigmoid(), lambda w: nn.init.normal_(w, std=0.05)),
    "linear + too-large init": (nn.Identity(), lambda w: nn.init.normal_(w, std=0.3)),
    "ReLU + Kaiming init": (nn.ReLU(), lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu")),
    "sigmoid + LayerNorm + residual": (nn.Sigmoid(), lambda w: nn.init.normal_(w, std=0.05)),
}
results = {}
print(f"{'config':34}{'first layer':>13}{'last layer':>13}{'first/last':>12}  verdict")
for name, (act, init) in configs.items():
    torch.manual_seed(0)
    fixed = "residual" in name
    net = Net(act, init, residual=fixed, norm=fixed).to(device)
    norms = grad_norms(net)
    results[name] = norms
    ratio = norms[0] / norms[-1]
    # vanishing: early layers get orders of magnitude less gradient than late ones;
    # exploding: norms far above O(1) (in a plain linear stack they are uniformly huge)
    verdict = "vanishing" if ratio < 1e-3 else "exploding" if max(norms) > 1e3 else "healthy"
    print(f"{name:34}{norms[0]:13.2e}{norms[-1]:13.2e}{ratio:12.1e}  {verdict}")

# Clipping rescales the total norm; the 'exploding' pattern is still there, just capped.
torch.manual_seed(0)
net = Net(nn.Identity(), lambda w: nn.init.normal_(w, std=0.3)).to(device)
grad_norms(net)
total = nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)
after = torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in net.parameters()])).item()
print(f"clip_grad_norm_: total norm before {total.item():.2e}, after {after:.2f}"
      " (a remedy that caps the step, not a detector)")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs("out", exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for name, norms in results.items():
        ax.semilogy(range(1, DEPTH + 1), norms, marker="o", ms=3, label=name)
    ax.set_xlabel("layer (1 = closest to input)")
    ax.set_ylabel("weight grad norm")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig("out/vanishing-exploding-gradients.png", dpi=100)
    print("plot: out/vanishing-exploding-gradients.png")
except ImportError:
    print("matplotlib not installed; skipping the plot")
