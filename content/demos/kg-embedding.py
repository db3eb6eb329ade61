# framework: pytorch
"""TransE vs DistMult on a toy knowledge graph: negative sampling, margin loss, filtered MRR and Hits@k."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")

# 30 entities on a line; relations: +1, +2 (composable, asymmetric) and "same block of 5" (symmetric, N-to-N)
N, R = 30, 3
triples = [(i, 0, i + 1) for i in range(N - 1)] + [(i, 1, i + 2) for i in range(N - 2)]
triples += [(i, 2, j) for i in range(N) for j in range(N) if i != j and i // 5 == j // 5]
triples = torch.tensor(triples, device=device)
perm = torch.randperm(len(triples), device=device)
test, train = triples[perm[:25]], triples[perm[25:]]
known = {tuple(t) for t in triples.tolist()}          # all true triples, for the filtered setting


class TransE(nn.Module):
    def __init__(self, dim=16):
        super().__init__()
        self.ent, self.rel = nn.Embedding(N, dim), nn.Embedding(R, dim)

    def score(self, h, r, t):                          # higher is better: -||h + r - t||
        return -(self.ent(h) + self.rel(r) - self.ent(t)).norm(p=2, dim=-1)


class DistMult(TransE):
    def score(self, h, r, t):                          # <h, r, t>: symmetric in h and t
        return (self.ent(h) * self.rel(r) * self.ent(t)).sum(-1)


def corrupt(batch):
    """Negative sampling: replace the head or the tail with a random entity."""
    neg = batch.clone()
    replace_head = torch.rand(len(batch), device=device) < 0.5
    rand = torch.randint(0, N, (len(batch),), device=device)
    neg[replace_head, 0] = rand[replace_head]
    neg[~replace_head, 2] = rand[~replace_head]
    return neg


def train_model(model, epochs=300, margin=1.0):
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(epochs):
        if isinstance(model, TransE) and not isinstance(model, DistMult):
            with torch.no_grad():                      # keep entity vectors on the unit sphere
                model.ent.weight.div_(model.ent.weight.norm(dim=1, keepdim=True))
        pos, neg = train, corrupt(train)
        s_pos, s_neg = model.score(*pos.T), model.score(*neg.T)
        loss = F.margin_ranking_loss(s_pos, s_neg, torch.ones_like(s_pos), margin=margin)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


@torch.no_grad()
def evaluate(model, filtered):
    ranks = []
    for h, r, t in test.tolist():                      # tail prediction: score (h, r, every entity)
        cand = torch.arange(N, device=device)
        s = model.score(torch.full_like(cand, h), torch.full_like(cand, r), cand)
        if filtered:                                   # drop other true tails, keep the target
            mask = torch.tensor([(h, r, e) in known and e != t for e in range(N)], device=device)
            s[mask] = -float("inf")
        ranks.append(1 + (s > s[t]).sum().item())
    ranks = torch.tensor(ranks, dtype=torch.float)
    return (1 / ranks).mean().item(), (ranks <= 1).float().mean().item(), (ranks <= 3).float().mean().item()


for name, cls in (("TransE  ", TransE), ("DistMult", DistMult)):
    torch.manual_seed(1)
    model = train_model(cls().to(device))
    for filt in (False, True):
        mrr, h1, h3 = evaluate(model, filt)
        print(f"{name} {'filtered' if filt else 'raw     '}: MRR {mrr:.3f}  Hits@1 {h1:.3f}  Hits@3 {h3:.3f}")
h, t = torch.tensor([3], device=device), torch.tensor([4], device=device)
r = torch.tensor([0], device=device)
print("DistMult cannot tell (3, +1, 4) from (4, +1, 3):", torch.allclose(model.score(h, r, t), model.score(t, r, h)))
