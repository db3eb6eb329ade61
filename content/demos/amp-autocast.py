# framework: pytorch
"""What autocast actually changes: op output dtypes, weight and gradient dtypes, and common traps.

On CUDA it uses float16 (with GradScaler); on CPU autocast uses bfloat16, and no scaler is needed.
"""
import warnings

import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
amp_dtype = torch.float16 if device == "cuda" else torch.bfloat16
print(f"device: {device}, autocast dtype: {amp_dtype}")
if device == "cpu":
    print("note: CPU autocast defaults to bfloat16; the big speed-ups come from GPU tensor cores")

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.LayerNorm(32), nn.Linear(32, 4)).to(device)
x = torch.randn(8, 16, device=device)
target = torch.randint(0, 4, (8,), device=device)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.amp.GradScaler(device, enabled=(amp_dtype == torch.float16))

# 1) Inside autocast: matmul-heavy ops run in low precision, sensitive ones in float32.
with torch.autocast(device_type=device, dtype=amp_dtype):
    h = model[0](x)
    logits = model(x)
    loss = nn.functional.cross_entropy(logits, target)
    soft = torch.softmax(logits, dim=-1)
print(f"1) linear output: {h.dtype}, logits: {logits.dtype}, cross_entropy: {loss.dtype}, softmax: {soft.dtype}")
if device == "cpu":
    print("   (on CUDA softmax, layer_norm, sum and exp are autocast to float32; CPU's op list is shorter)")

# 2) Backward outside autocast. Weights and their grads stay float32 (the master copy).
opt.zero_grad()
scaler.scale(loss).backward()
scaler.step(opt)
scaler.update()
print(f"2) weight dtype: {model[0].weight.dtype}, grad dtype: {model[0].weight.grad.dtype}")

# 3) Trap: low-precision tensors leaking out of the autocast region meet float32 tensors.
w_extra = torch.randn(4, 4, device=device)
try:
    logits.detach() @ w_extra  # outside autocast: no automatic cast any more
except RuntimeError as err:
    print(f"3) dtype mismatch outside autocast -> RuntimeError: {str(err).splitlines()[0]}")
print(f"   fix: cast explicitly, e.g. logits.float() @ w -> {(logits.detach().float() @ w_extra).dtype}")

# 4) Trap: fp16 overflow in hand-written code (max 65504); bf16 has float32's range.
big = torch.tensor([300.0], device=device)
print(f"4) 300**2 in fp16: {(big.half() ** 2).item()}, exp(12) in fp16: {big.new_tensor([12.0]).half().exp().item()},"
      f" in bf16: {big.new_tensor([12.0]).bfloat16().exp().item():.0f}")

# 5) The deprecated spellings still work but warn.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    torch.cuda.amp.autocast(enabled=False)
    torch.cuda.amp.GradScaler(enabled=False)
    torch.cpu.amp.autocast(enabled=False)
for c in caught:
    if issubclass(c.category, FutureWarning):
        print(f"5) FutureWarning: {c.message}")
