# framework: pytorch
"""A ResNet basic block with identity and projection shortcuts, and why the skip helps gradients."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)


class BasicBlock(nn.Module):
    def __init__(self, in_ch, out_ch, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_ch, out_ch, 3, stride, padding=1, bias=False)  # BN follows: no bias
        self.bn1 = nn.BatchNorm2d(out_ch)
        self.conv2 = nn.Conv2d(out_ch, out_ch, 3, 1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_ch)
        self.relu = nn.ReLU(inplace=True)      # safe: only applied to fresh tensors below
        if stride != 1 or in_ch != out_ch:     # shapes differ -> 1x1 conv + BN projection
            self.shortcut = nn.Sequential(nn.Conv2d(in_ch, out_ch, 1, stride, bias=False),
                                          nn.BatchNorm2d(out_ch))
        else:
            self.shortcut = nn.Identity()

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + self.shortcut(x))   # add first, then ReLU


x = torch.randn(2, 16, 32, 32, device=device)
print("\n1) shapes")
for args in [(16, 16, 1), (16, 32, 2)]:
    blk = BasicBlock(*args).to(device)
    kind = type(blk.shortcut).__name__
    print(f"   BasicBlock{args}: {tuple(x.shape)} -> {tuple(blk(x).shape)}  shortcut={kind}")

print("\n2) gradient reaching the first layer of a 40-layer MLP (tanh)")


class Deep(nn.Module):
    def __init__(self, residual, depth=40, dim=64):
        super().__init__()
        self.residual = residual
        self.layers = nn.ModuleList(nn.Linear(dim, dim) for _ in range(depth))

    def forward(self, h):
        for layer in self.layers:
            h = h + torch.tanh(layer(h)) if self.residual else torch.tanh(layer(h))
        return h


for residual in (False, True):
    torch.manual_seed(0)
    net = Deep(residual).to(device)
    net(torch.randn(32, 64, device=device)).pow(2).mean().backward()
    g_first = net.layers[0].weight.grad.norm().item()
    g_last = net.layers[-1].weight.grad.norm().item()
    print(f"   residual={residual!s:5}: |grad| first layer = {g_first:.2e}, last layer = {g_last:.2e}")

print("\n3) modifying x in place before the add corrupts the shortcut")
block = nn.Sequential(nn.Linear(8, 8)).to(device)
v = torch.randn(4, 8, device=device)
good = block(torch.relu(v)) + v                  # shortcut sees the original v
w = v.clone()
bad = block(torch.relu_(w)) + w                  # w was overwritten by relu_
print("   same result:", torch.allclose(good, bad), "| max diff:", round((good - bad).abs().max().item(), 3))
