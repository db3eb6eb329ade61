# framework: pytorch
"""Parameter, buffer, non-persistent buffer and plain tensor attribute, side by side."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)


class Scaler(nn.Module):
    def __init__(self, dim=4):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))                  # trained
        self.register_buffer("running_mean", torch.zeros(dim))       # state, saved
        self.register_buffer("mask", torch.tensor([1.0, 1.0, 0.0, 1.0]), persistent=False)
        self.plain = torch.full((dim,), 2.0)                         # neither

    def forward(self, x):
        if self.training:
            with torch.no_grad():                                    # buffers updated in forward
                self.running_mean.mul_(0.9).add_(0.1 * x.mean(0))
        return (x - self.running_mean) * self.weight * self.mask * self.plain


m = Scaler().double().to(device)
names = ["weight", "running_mean", "mask", "plain"]
params = {n for n, _ in m.named_parameters()}
buffers = {n for n, _ in m.named_buffers()}
saved = set(m.state_dict())

print(f"\n{'attribute':14}{'parameters()':>14}{'buffers()':>11}{'state_dict':>12}{'after .double().to()':>24}")
for n in names:
    t = getattr(m, n)
    moved = f"{str(t.dtype).removeprefix('torch.')} on {t.device.type}"
    print(f"{n:14}{str(n in params):>14}{str(n in buffers):>11}{str(n in saved):>12}{moved:>24}")
print("the plain tensor kept float32 and its device: .to() and .double() move only parameters and buffers")
if device == "cuda":
    try:
        m.eval()(torch.ones(8, 4, dtype=torch.float64, device=device))  # eval: running_mean untouched
    except RuntimeError as err:
        print("so forward on cuda fails:", str(err).split(" (")[0])
    m.train()
    m.plain = m.plain.to(device)  # the manual fix; a buffer would have moved by itself

print("\none training step with SGD(lr=0.05)")
opt = torch.optim.SGD(m.parameters(), lr=0.05)
x = torch.randn(8, 4, dtype=torch.float64, device=device) + 3
m(x).pow(2).mean().backward()
opt.step()
print("  weight       (changed by the optimizer):", [round(v, 3) for v in m.weight.tolist()])
print("  running_mean (changed by forward)       :", [round(v, 3) for v in m.running_mean.tolist()])
print("  running_mean.requires_grad:", m.running_mean.requires_grad)

print("\nloading a state_dict into a fresh model")
fresh = Scaler()
result = fresh.load_state_dict({k: v.float().cpu() for k, v in m.state_dict().items()})
print("  strict load ok:", result, "| non-persistent mask keeps its init value:", fresh.mask.tolist())
