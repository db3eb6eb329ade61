# framework: pytorch
"""Freezing layers, per-layer learning rates, frozen BatchNorm, and gradual unfreezing."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)


def block(i, o):
    return nn.Sequential(nn.Linear(i, o), nn.BatchNorm1d(o), nn.ReLU())


model = nn.Sequential()
model.add_module("block1", block(4, 8))
model.add_module("block2", block(8, 8))
model.add_module("head", nn.Linear(8, 2))
model.to(device)
x, y = torch.randn(32, 4, device=device) + 1.0, torch.randint(0, 2, (32,), device=device)


def train_steps(opt, n=2):
    for _ in range(n):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()


def snapshot():
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def changed(before):
    return [k for k, v in model.state_dict().items()
            if not torch.equal(v, before[k]) and "num_batches" not in k]


# 1. The attribute mistake: nothing is frozen.
model.block1.requires_grad = False
print("block1.requires_grad = False -> weight still trainable:", model.block1[0].weight.requires_grad)
del model.block1.requires_grad

# 2. Freeze properly and give the optimizer only trainable parameters.
model.block1.requires_grad_(False)
model.block2.requires_grad_(False)
trainable = [p for p in model.parameters() if p.requires_grad]
opt = torch.optim.AdamW(trainable, lr=1e-2)
print("parameters given to the optimizer:", sum(p.numel() for p in trainable), "of",
      sum(p.numel() for p in model.parameters()))

before = snapshot()
model.train()
train_steps(opt)
print("train(): tensors that changed:", changed(before))
print("   -> in the frozen blocks only BatchNorm running stats moved, but they did move")

before = snapshot()
model.train()
model.block1.eval()
model.block2.eval()  # frozen blocks in eval(): BN statistics stay put
train_steps(opt)
print("frozen blocks in eval(): tensors that changed:", changed(before))

# 3. Gradual unfreezing: unfreeze the block nearest the head and register it with a smaller lr.
model.block2.requires_grad_(True)
model.block2.train()
opt.add_param_group({"params": model.block2.parameters(), "lr": 1e-3})
print("param group lrs:", [g["lr"] for g in opt.param_groups])
before = snapshot()
train_steps(opt)
print("after unfreezing block2: tensors that changed:", changed(before))
