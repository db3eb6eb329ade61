# framework: pytorch
"""Why FP16 training needs loss scaling, and what GradScaler does step by step.

On a CUDA machine this uses torch.amp.GradScaler('cuda'); on CPU it uses the same class with
device 'cpu' and FP16 autocast on the CPU, which follows the same scaling logic.
"""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
if device == "cpu":
    print("note: no GPU here; running FP16 autocast and GradScaler on the CPU to show the mechanics")

# 1) The FP16 range problem.
fp16 = torch.finfo(torch.float16)
subnormal = torch.tensor(2.0**-24).half().item()  # 2**-24 is the smallest positive fp16 value
print(f"1) fp16 max={fp16.max:.0f}, smallest normal={fp16.tiny:.2e}, smallest subnormal={subnormal:.2e}")
for v in (1e-4, 1e-7, 2e-8, 7e4):
    print(f"   {v:.0e} stored in fp16 -> {torch.tensor(v).half().item():.3e}")

# 2) A tiny loss: the fp16 activation gradients underflow to zero unless the loss is scaled first.
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1)).to(device)
x = torch.randn(64, 32, device=device)


def first_layer_grad(scale):
    model.zero_grad()
    with torch.autocast(device_type=device, dtype=torch.float16):
        loss = model(x).float().pow(2).mean() * 1e-6  # a small loss, as late in training
    (loss * scale).backward()
    return model[0].weight.grad / scale  # unscale in fp32, as GradScaler does


model.zero_grad()
(model(x).pow(2).mean() * 1e-6).backward()
reference = model[0].weight.grad.clone()
for scale in (1.0, 2.0**16):
    g = first_layer_grad(scale)
    zeros = (g == 0).float().mean().item()
    err = ((g - reference).norm() / reference.norm()).item()
    print(f"2) loss scale {scale:>7.0f}: {zeros:.0%} of grads are exactly 0, rel. error vs fp32 {err:.3f}")

# 3) GradScaler's dynamics: skip on inf/NaN and halve, grow after clean steps.
opt = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.amp.GradScaler(device, init_scale=2.0**16, growth_interval=3)  # default interval is 2000
print(f"3) defaults: init_scale=2**16, backoff={scaler.get_backoff_factor()},"
      f" growth={scaler.get_growth_factor()} (growth_interval shortened to 3 for the demo)")
for step in range(6):
    opt.zero_grad()
    with torch.autocast(device_type=device, dtype=torch.float16):
        loss = model(x).float().pow(2).mean()
    scaler.scale(loss).backward()
    if step == 1:
        model[2].bias.grad.fill_(float("inf"))  # simulate an overflow in this step
    scaler.unscale_(opt)  # grads are now true-size, so clipping sees the real norm
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    before = model[2].bias.detach().clone()
    scaler.step(opt)  # skipped if any grad is inf/NaN
    scaler.update()
    changed = not torch.equal(before, model[2].bias.detach())
    print(f"   step {step}: updated={changed!s:5}  scale now {scaler.get_scale():.0f}")

print("4) checkpoint the scaler too:", scaler.state_dict())
