# framework: pytorch
"""What the common PyTorch LR schedulers do, step by step, plus warmup and resuming."""
import os

import torch
from torch.optim import lr_scheduler as S

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
EPOCHS = 30


def trace(make_sched, epochs=EPOCHS, lr=0.1):
    w = torch.nn.Parameter(torch.zeros(1, device=device))
    opt = torch.optim.SGD([w], lr=lr)
    sched = make_sched(opt)
    lrs = []
    for _ in range(epochs):
        lrs.append(sched.get_last_lr()[0])  # the lr used in this epoch
        opt.step()                          # (training for one epoch would go here)
        sched.step()                        # after optimizer.step()
    return lrs


schedules = {
    "StepLR(step_size=10, gamma=0.1)": lambda o: S.StepLR(o, step_size=10, gamma=0.1),
    "MultiStepLR([15, 25], gamma=0.1)": lambda o: S.MultiStepLR(o, milestones=[15, 25], gamma=0.1),
    "CosineAnnealingLR(T_max=30, eta_min=1e-3)": lambda o: S.CosineAnnealingLR(o, T_max=30, eta_min=1e-3),
    "CosineAnnealingWarmRestarts(T_0=10)": lambda o: S.CosineAnnealingWarmRestarts(o, T_0=10, eta_min=1e-3),
    "warmup 5 (LinearLR) -> cosine (SequentialLR)": lambda o: S.SequentialLR(
        o,
        schedulers=[S.LinearLR(o, start_factor=0.1, total_iters=5),
                    S.CosineAnnealingLR(o, T_max=EPOCHS - 5, eta_min=1e-3)],
        milestones=[5]),
    "LambdaLR(linear warmup 5, then 0.9**epoch)": lambda o: S.LambdaLR(
        o, lambda e: (e + 1) / 5 if e < 5 else 0.9 ** (e - 5)),
}

traces = {}
for name, make in schedules.items():
    traces[name] = lrs = trace(make)
    shown = ", ".join(f"{v:.3g}" for v in lrs[:: 5])
    print(f"{name:46s} epochs 0,5,..,25: {shown}")

# Resuming: the scheduler's state_dict carries last_epoch, so the schedule continues where it stopped.
w = torch.nn.Parameter(torch.zeros(1, device=device))
opt = torch.optim.SGD([w], lr=0.1)
sched = S.CosineAnnealingLR(opt, T_max=30)
for _ in range(12):
    opt.step()
    sched.step()
state = {"optimizer": opt.state_dict(), "scheduler": sched.state_dict()}
opt2 = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1, device=device))], lr=0.1)
sched2 = S.CosineAnnealingLR(opt2, T_max=30)
opt2.load_state_dict(state["optimizer"])
sched2.load_state_dict(state["scheduler"])
print(f"resumed at last_epoch={sched2.last_epoch}: lr {sched2.get_last_lr()[0]:.5f} == {sched.get_last_lr()[0]:.5f}")

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs("out", exist_ok=True)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for name, lrs in traces.items():
        ax.plot(range(EPOCHS), lrs, marker=".", label=name)
    ax.set_xlabel("epoch")
    ax.set_ylabel("learning rate")
    ax.set_title("PyTorch LR schedulers (base lr 0.1)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig("out/lr-schedulers.png", dpi=100)
    print("plot written to out/lr-schedulers.png")
except ImportError:
    print("matplotlib not installed; skipping the plot")
