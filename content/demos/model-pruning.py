# framework: pytorch
"""What torch.nn.utils.prune really does to a layer, and what actually makes a model smaller."""
import io

import torch
import torch.nn as nn
import torch.nn.utils.prune as prune

torch.manual_seed(0)
torch.set_num_threads(1)  # tiny tensors: one thread avoids oversubscription
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")


def nbytes(obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.tell()


# toy task: 20 features, only the first 4 matter
X = torch.randn(512, 20, device=device)
y = (X[:, :4].sum(1) > 0).long()
model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 2)).to(device)
opt = torch.optim.Adam(model.parameters(), lr=1e-2)


def fit(steps):
    for _ in range(steps):
        opt.zero_grad()
        nn.functional.cross_entropy(model(X), y).backward()
        opt.step()


def acc():
    with torch.no_grad():
        return (model(X).argmax(1) == y).float().mean().item()


fit(150)
dense_size = nbytes(model.state_dict())
print(f"trained: acc={acc():.3f}  checkpoint={dense_size} B")

# 1) unstructured magnitude pruning across both layers (global threshold)
params = [(model[0], "weight"), (model[2], "weight")]
prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=0.8)
print(f"after 80% global L1 pruning: acc={acc():.3f}  params={[n for n, _ in model[0].named_parameters()]}"
      f"  buffers={[n for n, _ in model[0].named_buffers()]}")
print(f"  checkpoint while masked: {nbytes(model.state_dict())} B (weight_orig + weight_mask: bigger!)")
fit(50)  # fine-tune: the forward pre-hook keeps pruned weights at zero
print(f"  after 50 fine-tune steps: acc={acc():.3f}")
for module, name in params:
    prune.remove(module, name)  # make it permanent: plain dense weight again
w = model[0].weight
print(f"  after prune.remove: layout={w.layout}, zeros={(w == 0).float().mean():.0%},"
      f" checkpoint={nbytes(model.state_dict())} B (same as dense)")

sd = {k: (v.to_sparse() if v.dim() == 2 else v) for k, v in model.state_dict().items()}
print(f"  stored as sparse COO: {nbytes(sd)} B (pays off only at high sparsity; int64 indices)")

# 2) structured pruning: drop whole hidden units, then physically rebuild smaller layers
keep = model[0].weight.abs().sum(1).topk(16).indices.sort().values  # 16 strongest of 64 units
small = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 2)).to(device)
with torch.no_grad():
    small[0].weight.copy_(model[0].weight[keep])
    small[0].bias.copy_(model[0].bias[keep])
    small[2].weight.copy_(model[2].weight[:, keep])
    small[2].bias.copy_(model[2].bias)
model = small
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
print(f"structured (64 -> 16 hidden units): acc={acc():.3f}  checkpoint={nbytes(model.state_dict())} B")
fit(50)
print(f"  after fine-tuning: acc={acc():.3f}  real dense matmuls are 4x smaller")
