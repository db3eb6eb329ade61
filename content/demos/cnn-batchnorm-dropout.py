# framework: pytorch
"""A small CNN with BatchNorm and Dropout: what BN learns, what it tracks, and how eval() changes it."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)


class SmallCNN(nn.Module):
    def __init__(self, n_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1, bias=False),   # BN follows, so no conv bias
            nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1, bias=False),
            nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(32, n_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


model = SmallCNN().to(device)
bn = model.features[1]
print("\n1) BatchNorm2d(16)")
print("   learnable parameters:", [n for n, _ in bn.named_parameters()], "(gamma, beta)")
print("   buffers:             ", [n for n, _ in bn.named_buffers()])

print("\n2) running stats change in the forward pass (train mode), not in optimizer.step()")
x = torch.randn(8, 3, 16, 16, device=device) * 2 + 1
with torch.no_grad():                               # even without autograd...
    model(x)
print("   running_mean[:3] after one forward:", [round(v, 3) for v in bn.running_mean[:3].tolist()])
conv_out = model.features[0](x)
expected = 0.9 * 0 + 0.1 * conv_out.mean(dim=(0, 2, 3))
print("   = 0.9 * 0 + 0.1 * batch mean (momentum 0.1):", torch.allclose(bn.running_mean, expected, atol=1e-5))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
model(x).sum().backward()                           # (this forward updated the stats again)
mean_before, gamma_before = bn.running_mean.clone(), bn.weight.detach().clone()
opt.step()
print("   opt.step(): running_mean unchanged =", torch.equal(mean_before, bn.running_mean),
      "| gamma changed =", not torch.equal(gamma_before, bn.weight))

print("\n3) train mode: a sample's output depends on its batch; eval mode: it doesn't")
a, b = torch.randn(4, 3, 16, 16, device=device), torch.randn(4, 3, 16, 16, device=device) * 3
model.classifier[1].p = 0.0                         # switch dropout off to isolate BN
with torch.no_grad():
    for mode in ("train", "eval"):
        getattr(model, mode)()
        out1 = model(torch.cat([a[:1], a[1:]]))[0]
        out2 = model(torch.cat([a[:1], b[1:]]))[0]
        print(f"   {mode:5}: same prediction for sample 0 in two batches = {torch.allclose(out1, out2, atol=1e-5)}")
model.classifier[1].p = 0.5

print("\n4) a batch of one in train mode")
model.train()
try:
    nn.BatchNorm1d(4).to(device)(torch.randn(1, 4, device=device))
except ValueError as e:
    print("   BatchNorm1d:", e)
model.eval()
print("   in eval() it works:", tuple(model(x[:1]).shape))

print("\n5) Dropout2d drops whole channels; eval() turns it off")
d2 = nn.Dropout2d(0.5)
mask = d2(torch.ones(1, 6, 2, 2, device=device))[0].flatten(1)
print("   per-channel values in train:", mask[:, 0].tolist(), "| uniform within a channel:",
      bool((mask == mask[:, :1]).all()))
ones = torch.ones(1, 6, 2, 2, device=device)
print("   eval() is identity:", torch.equal(d2.eval()(ones), ones))
