# framework: pytorch
"""Hunting a NaN gradient: where it appears, how anomaly mode names the op, and the fix.

The model hides the classic trap: torch.where picks a safe branch in the forward pass, but the
backward pass still multiplies through sqrt's derivative at a negative input, so the gradient is NaN
although the loss is finite.
"""
import warnings

import torch

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)

x = torch.tensor([4.0, 1.0, -1.0, 0.25], device=device)
w = torch.ones(4, device=device, requires_grad=True)


def model(w, safe):
    z = x * w
    if safe:
        # fix: make the input of sqrt valid everywhere, then select
        root = torch.sqrt(torch.clamp(z, min=1e-12))
    else:
        root = torch.sqrt(z)  # NaN where z < 0, hidden by the where below
    return torch.where(z > 0, root, torch.zeros_like(z)).sum()


# 1) Without anomaly mode: the loss looks fine, the gradient silently is not.
loss = model(w, safe=False)
loss.backward()
print(f"1) loss finite: {torch.isfinite(loss).item()}  loss = {loss.item():.3f}")
print(f"   grad = {w.grad.tolist()}  -> all finite: {torch.isfinite(w.grad).all().item()}")
w.grad = None

# 2) With anomaly mode: backward stops at the first node that returns NaN and names it.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with torch.autograd.detect_anomaly():
        try:
            model(w, safe=False).backward()
        except RuntimeError as err:
            print(f"2) anomaly mode raised: {err}")
forward_trace = [str(c.message) for c in caught if "Traceback of forward call" in str(c.message)]
if forward_trace:
    lines = [ln.strip() for ln in forward_trace[0].splitlines()]
    frames = [i for i, ln in enumerate(lines) if ln.startswith("File ")]
    last = frames[-1]  # innermost frame: the forward op whose backward produced NaN
    code = lines[last + 1] if last + 1 < len(lines) and not lines[last + 1].startswith("(") else ""
    print(f"   forward traceback points at: {lines[last]} {code}".rstrip())
w.grad = None

# 3) The fix: clamp before sqrt (or use an eps), and keep a cheap isfinite guard in training.
loss = model(w, safe=True)
loss.backward()
ok = torch.isfinite(loss).item() and torch.isfinite(w.grad).all().item()
print(f"3) after clamp: grad = {[round(g, 3) for g in w.grad.tolist()]}  all finite: {ok}")
print("lesson: anomaly mode checks backward outputs for NaN and points at the forward op;"
      " it is slow, so switch it on only while debugging")
