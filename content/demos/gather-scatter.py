# framework: pytorch
"""gather reads by index along one dim; scatter_ writes by index; scatter_add_/scatter_reduce_ combine duplicates."""
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"device: {device.type}")

x = torch.tensor([[10, 11, 12], [20, 21, 22]], device=device)
print("x =", x.tolist())

print("-- gather(input, dim, index): out has index's shape --")
idx1 = torch.tensor([[2, 0], [1, 1]], device=device)
print("dim=1, index", idx1.tolist(), "-> out[i][j] = x[i][index[i][j]] =", torch.gather(x, 1, idx1).tolist())
idx0 = torch.tensor([[1, 0, 1]], device=device)
print("dim=0, index", idx0.tolist(), "-> out[i][j] = x[index[i][j]][j] =", torch.gather(x, 0, idx0).tolist())

print("-- index rules --")
for name, bad in (("1-D index on 2-D input", torch.tensor([0, 1], device=device)),
                  ("index larger than input in a non-gather dim", torch.zeros(3, 1, dtype=torch.long, device=device)),
                  ("int16 index", idx1.to(torch.int16))):
    try:
        torch.gather(x, 1, bad)
    except RuntimeError as err:
        print(f"{name}: {err}")
print("int32 index is accepted in this version:", torch.gather(x, 1, idx1.int()).tolist())

print("-- typical use: pick the log-probability of each target class --")
logits = torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], device=device)
target = torch.tensor([2, 0], device=device)
logp = logits.log_softmax(dim=1)
picked = logp.gather(1, target.unsqueeze(1)).squeeze(1)
print("picked log-probs:", [round(v, 4) for v in picked.tolist()],
      "| -mean equals nll_loss:", torch.allclose(-picked.mean(), torch.nn.functional.nll_loss(logp, target)))

print("-- scatter_(dim, index, src): the reverse write; one-hot encoding --")
labels = torch.tensor([1, 3, 0], device=device)
one_hot = torch.zeros(3, 4, device=device).scatter_(1, labels.unsqueeze(1), 1.0)
print("one-hot:", one_hot.int().tolist(), "| matches F.one_hot:",
      torch.equal(one_hot.long(), torch.nn.functional.one_hot(labels, 4)))
src = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], device=device)
print("dim=0 scatter: self[index[i][j]][j] = src[i][j] ->",
      torch.zeros(2, 3, device=device).scatter_(0, torch.tensor([[1, 0, 1], [0, 1, 0]], device=device), src).tolist())

print("-- duplicates: scatter_ keeps an unspecified one; scatter_add_/scatter_reduce_ combine --")
seg = torch.tensor([0, 2, 0, 1], device=device)  # e.g. which graph node each edge message goes to
msg = torch.tensor([1.0, 2.0, 3.0, 4.0], device=device)
print("segment sum (scatter_add_):", torch.zeros(3, device=device).scatter_add_(0, seg, msg).tolist())
for reduce in ("sum", "prod", "mean", "amax", "amin"):
    out = torch.zeros(3, device=device).scatter_reduce(0, seg, msg, reduce=reduce, include_self=False)
    print(f"scatter_reduce {reduce:<4} include_self=False:", out.tolist())
print("mean with include_self=True also averages in the zeros already there:",
      [round(v, 3) for v in torch.zeros(3, device=device).scatter_reduce(0, seg, msg, reduce="mean").tolist()])
