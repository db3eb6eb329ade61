# framework: pytorch
"""Gradient clipping: clip_grad_norm_ vs clip_grad_value_, where it goes, and why unscale_ comes first."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)


def fresh_model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1)).to(device)


def flat_grad(model):
    return torch.cat([p.grad.flatten() for p in model.parameters()])


x = torch.randn(8, 4, device=device)
y = torch.zeros(8, 1, device=device)
y[0] = 500.0  # one outlier target produces an exploding gradient


# 1. clip_grad_norm_: one global rescale, direction kept, returns the norm BEFORE clipping.
model = fresh_model()
nn.functional.mse_loss(model(x), y).backward()
raw = flat_grad(model).clone()
total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
clipped = flat_grad(model)
print(f"clip_grad_norm_: returned norm {total.item():.1f} (pre-clip), after {clipped.norm().item():.3f}, "
      f"cosine to raw {nn.functional.cosine_similarity(raw, clipped, dim=0).item():.4f}")

# 2. clip_grad_value_: element-wise clamp, direction changes.
model = fresh_model()
nn.functional.mse_loss(model(x), y).backward()
nn.utils.clip_grad_value_(model.parameters(), clip_value=0.1)
by_value = flat_grad(model)
print(f"clip_grad_value_: max |g| {by_value.abs().max().item():.3f}, "
      f"cosine to raw {nn.functional.cosine_similarity(raw, by_value, dim=0).item():.4f}")

# 3. The step that follows: how far does one outlier batch move the weights?
for clip in (False, True):
    model = fresh_model()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    before = torch.cat([p.detach().flatten().clone() for p in model.parameters()])
    opt.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    if clip:
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)  # after backward, before step
    opt.step()
    after = torch.cat([p.detach().flatten() for p in model.parameters()])
    print(f"one SGD step, clipping={clip}: weights moved by {(after - before).norm().item():.3f}")

# 4. With a GradScaler, the gradients are multiplied by the scale until unscale_.
model = fresh_model()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.amp.GradScaler(device, init_scale=2.0**10)
scaler.scale(nn.functional.mse_loss(model(x), y)).backward()
print(f"norm of scaled grads: {flat_grad(model).norm().item():.0f} (x1024, clipping now would be wrong)")
scaler.unscale_(opt)
norm = nn.utils.clip_grad_norm_(model.parameters(), 1.0)
print(f"after scaler.unscale_: pre-clip norm {norm.item():.1f}, matches the unscaled norm: "
      f"{torch.isclose(norm, total).item()}")
scaler.step(opt)
scaler.update()
