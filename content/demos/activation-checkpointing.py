# framework: pytorch
"""Activation checkpointing: fewer saved activations, one extra forward per checkpointed block.

We count the bytes autograd keeps for backward with torch.autograd.graph.saved_tensors_hooks,
which works on any device, and count how often each block's forward runs.
"""
import torch
from torch import nn
from torch.utils.checkpoint import checkpoint, checkpoint_sequential

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")


class Block(nn.Module):
    """A Transformer-style MLP block with dropout, so RNG handling matters."""

    def __init__(self, d):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Dropout(0.1), nn.Linear(4 * d, d))
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        return x + self.mlp(x)


class Net(nn.Module):
    def __init__(self, n_blocks=8, d=64, mode="none"):
        super().__init__()
        self.blocks = nn.ModuleList(Block(d) for _ in range(n_blocks))
        self.mode = mode

    def forward(self, x):
        if self.mode == "sequential":
            return checkpoint_sequential(nn.Sequential(*self.blocks), 2, x, use_reentrant=False)
        for block in self.blocks:
            x = checkpoint(block, x, use_reentrant=False) if self.mode == "per-block" else block(x)
        return x


def run(mode):
    torch.manual_seed(0)
    net = Net(mode=mode).to(device)
    x = torch.randn(256, 64, device=device, requires_grad=True)
    saved = []

    def pack(t):  # called for every tensor autograd stores for backward (outside checkpoints)
        saved.append(t.numel() * t.element_size())
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        torch.manual_seed(123)  # same dropout masks for every variant
        out = net(x)
    out.pow(2).mean().backward()
    calls = sum(b.calls for b in net.blocks)
    return sum(saved) / 2**20, calls, x.grad


base_mb, base_calls, base_grad = run("none")
print(f"{'variant':22}{'saved for backward':>20}{'block forwards':>16}  grads match")
print(f"{'no checkpoint':22}{base_mb:17.2f} MB{base_calls:16d}  (reference)")
for mode in ("per-block", "sequential"):
    mb, calls, grad = run(mode)
    same = torch.allclose(grad, base_grad, atol=1e-6)
    print(f"{mode + ' checkpoint':22}{mb:17.2f} MB{calls:16d}  {same}")
print("per-block: only each block's input is kept; every block runs forward twice (8 -> 16)")
print("sequential (2 segments): the last segment is not checkpointed, so fewer recomputes")
print("dropout masks match because checkpoint restores the RNG state before recomputing")
