# framework: pytorch
"""OneCycleLR (fixed budget, stepped per batch) vs ReduceLROnPlateau (reacts to a validation metric)."""
import os

import torch
from torch.optim.lr_scheduler import OneCycleLR, ReduceLROnPlateau

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
w = torch.nn.Parameter(torch.zeros(1, device=device))

# --- OneCycleLR: needs the total number of steps up front ---------------------------------------
epochs, steps_per_epoch = 5, 20
opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
sched = OneCycleLR(opt, max_lr=0.1, epochs=epochs, steps_per_epoch=steps_per_epoch)  # pct_start=0.3, cos
lrs, moms = [], []
for step in range(epochs * steps_per_epoch):  # one scheduler.step() per BATCH
    lrs.append(opt.param_groups[0]["lr"])
    moms.append(opt.param_groups[0]["momentum"])
    opt.step()
    sched.step()
peak = max(range(len(lrs)), key=lrs.__getitem__)
print(f"OneCycle start lr {lrs[0]:.4f} (= max_lr/25), peak {lrs[peak]:.4f} at step {peak} of {len(lrs)}, "
      f"final {lrs[-1]:.2e} (= start/1e4)")
print(f"momentum moves the other way: {moms[0]:.2f} -> {moms[peak]:.2f} at the lr peak -> {moms[-1]:.2f}")
try:
    sched.step()  # one step too many
except ValueError as err:
    print("stepping past total_steps ->", str(err).split(".")[0])

# --- ReduceLROnPlateau: driven by the metric you pass to step() ----------------------------------
opt = torch.optim.SGD([w], lr=0.1)
plateau = ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=2, threshold=1e-3, cooldown=1, min_lr=0.02)
val_losses = [1.0, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7, 0.69995, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
for epoch, val in enumerate(val_losses):
    opt.step()            # ... one epoch of training ...
    plateau.step(val)     # after validation, with the monitored value
    print(f"epoch {epoch:2d} val_loss {val:<7} -> lr {plateau.get_last_lr()[0]:.4f}")
print("a drop of 0.00005 is below threshold=1e-3 (relative), so it does not count as an improvement;")
print("the lr halves once bad epochs exceed patience=2 (on the 3rd), then cooldown=1 epoch is ignored;")
print("it never goes below min_lr=0.02")

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs("out", exist_ok=True)
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.5))
    a1.plot(lrs, label="lr")
    a1.set_xlabel("batch")
    a1.set_ylabel("lr")
    a1b = a1.twinx()
    a1b.plot(moms, color="tab:orange", label="momentum")
    a1b.set_ylabel("momentum")
    a1.set_title("OneCycleLR")
    a2.plot(val_losses, marker="o")
    a2.set_xlabel("epoch")
    a2.set_ylabel("val loss")
    a2.set_title("ReduceLROnPlateau input")
    fig.tight_layout()
    fig.savefig("out/onecycle-vs-plateau.png", dpi=100)
    print("plot written to out/onecycle-vs-plateau.png")
except ImportError:
    print("matplotlib not installed; skipping the plot")
