# framework: pytorch
"""How the weight variance decides whether activations survive 30 layers, and how to apply an init."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)
WIDTH, DEPTH = 256, 30


def make_mlp(act):
    return nn.Sequential(*[nn.Sequential(nn.Linear(WIDTH, WIDTH), act()) for _ in range(DEPTH)]).to(device)


def activation_stds(model, x):
    stds = []
    with torch.no_grad():
        for block in model:
            x = block(x)
            stds.append(x.std().item())
    return stds


def init_with(fn):
    def init_fn(m):                       # used with model.apply(init_fn)
        if isinstance(m, nn.Linear):
            fn(m.weight)
            nn.init.zeros_(m.bias)
    return init_fn


schemes = [
    ("ReLU, N(0, 0.01^2)       ", nn.ReLU, lambda w: nn.init.normal_(w, std=0.01)),
    ("ReLU, PyTorch default    ", nn.ReLU, None),
    ("ReLU, Xavier normal      ", nn.ReLU, nn.init.xavier_normal_),
    ("ReLU, Kaiming normal     ", nn.ReLU, lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu")),
    ("tanh, Xavier (gain 5/3)  ", nn.Tanh, lambda w: nn.init.xavier_normal_(w, gain=nn.init.calculate_gain("tanh"))),
]
x = torch.randn(256, WIDTH, device=device)
print(f"\nstd of activations after layer  {'1':>9}{'10':>10}{'20':>10}{'30':>10}")
for name, act, fn in schemes:
    torch.manual_seed(0)
    model = make_mlp(act)
    if fn is not None:
        model.apply(init_with(fn))
    s = activation_stds(model, x)
    print(f"  {name}     {s[0]:10.2e}{s[9]:10.2e}{s[19]:10.2e}{s[29]:10.2e}")
print("  -> Kaiming keeps ReLU nets stable; Xavier shrinks them by ~1/sqrt(2) per layer;")
print("     tiny weights vanish; PyTorch's default (var = 1/(3 fan_in)) shrinks the signal until")
print("     the random biases are all that is left")

print("\nvariance of the sampled weights for a 512 -> 256 layer")
w = torch.empty(256, 512, device=device)
fan_in, fan_out = 512, 256
for label, fn, target in [
    ("xavier_normal_     2/(fan_in+fan_out)", nn.init.xavier_normal_, 2 / (fan_in + fan_out)),
    ("kaiming_normal_    2/fan_in          ", nn.init.kaiming_normal_, 2 / fan_in),
    ("kaiming fan_out    2/fan_out         ", lambda t: nn.init.kaiming_normal_(t, mode="fan_out"), 2 / fan_out),
    ("nn.Linear default  1/(3 fan_in)      ", lambda t: nn.init.kaiming_uniform_(t, a=5 ** 0.5), 1 / (3 * fan_in)),
]:
    fn(w)
    print(f"  {label}: measured {w.var().item():.5f}, formula {target:.5f}")

p = nn.Linear(4, 4).weight
nn.init.xavier_uniform_(p)
print("\ninit functions work in place without autograd history: grad_fn =", p.grad_fn, "| leaf =", p.is_leaf)
