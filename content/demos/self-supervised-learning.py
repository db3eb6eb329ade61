# framework: pytorch
"""SimCLR in miniature: two augmented views, NT-Xent (InfoNCE) loss, then a linear probe on frozen features."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")

# unlabelled data: 4 hidden classes; class identity lives in a few dims, lots of nuisance variation elsewhere
D, C = 16, 4
protos = torch.randn(C, D) * torch.tensor([2.0] * 4 + [0.0] * 12)


def sample(n):
    y = torch.randint(0, C, (n,))
    x = protos[y] + torch.randn(n, D) * torch.tensor([0.7] * 4 + [3.0] * 12)
    return x.to(device), y.to(device)


def augment(x):  # the views must keep class identity: random masking + noise
    keep = (torch.rand_like(x) > 0.3).float()
    return x * keep + 0.3 * torch.randn_like(x)


def nt_xent(z1, z2, tau=0.2):
    """InfoNCE over 2N views: each view's positive is its twin, the other 2N-2 are negatives."""
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.T / tau                                    # cosine similarities / temperature
    sim.fill_diagonal_(float("-inf"))                      # a view is not its own negative
    n = z1.size(0)
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(sim, targets)                   # InfoNCE is cross-entropy over similarities


def make_encoder():
    return nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 32)).to(device)


encoder = make_encoder()
head = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 16)).to(device)  # projection head
opt = torch.optim.Adam(list(encoder.parameters()) + list(head.parameters()), lr=3e-3)
for step in range(1, 301):
    x, _ = sample(256)                                     # labels are never used here
    loss = nt_xent(head(encoder(augment(x))), head(encoder(augment(x))))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 100 == 0:
        print(f"step {step}: NT-Xent loss {loss.item():.3f} (chance level = ln(2N-1) = {torch.log(torch.tensor(511.)):.3f})")


def linear_probe(enc):
    """Freeze the encoder, train only a linear classifier on few labels, report test accuracy."""
    (x_tr, y_tr), (x_te, y_te) = sample(200), sample(2000)
    with torch.no_grad():
        f_tr, f_te = enc(x_tr), enc(x_te)
    clf = nn.Linear(f_tr.size(1), C).to(device)
    o = torch.optim.Adam(clf.parameters(), lr=1e-2)
    for _ in range(300):
        o.zero_grad()
        F.cross_entropy(clf(f_tr), y_tr).backward()
        o.step()
    return (clf(f_te).argmax(1) == y_te).float().mean().item()


torch.manual_seed(5)
print(f"linear probe, random encoder      : {linear_probe(make_encoder()):.3f}")
torch.manual_seed(5)
print(f"linear probe, SimCLR encoder      : {linear_probe(encoder):.3f}")
with torch.no_grad():
    feats = F.normalize(encoder(sample(512)[0]), dim=1)
print(f"per-dimension std of features {feats.std(0).mean():.3f} (near 0 would mean collapse)")
