# framework: pytorch
"""FedAvg on non-IID clients, then DP-FedAvg (clip each client update + Gaussian noise) with a simple accountant."""
import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")

# 4 clients with different sizes and label skew (non-IID); the data never leaves a client
true_w = torch.randn(10)


def client_data(n, skew):
    x = torch.randn(n, 10) + skew               # each client sees a shifted feature distribution
    y = (x @ true_w > skew * true_w.sum()).long()
    return x.to(device), y.to(device)


clients = [client_data(n, s) for n, s in ((40, -1.0), (80, 0.0), (160, 0.5), (320, 1.0))]
x_test, y_test = client_data(2000, 0.0)
sizes = torch.tensor([len(y) for _, y in clients], dtype=torch.float)


def local_train(global_model, x, y, epochs=2, lr=0.1):
    model = copy.deepcopy(global_model)          # client starts from the broadcast model
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        for i in range(0, len(y), 20):
            opt.zero_grad()
            F.cross_entropy(model(x[i:i + 20]), y[i:i + 20]).backward()
            opt.step()
    # the client sends only its update, flattened
    return torch.cat([(p - g).flatten() for p, g in zip(model.parameters(), global_model.parameters())])


def apply_update(model, delta):
    with torch.no_grad():
        i = 0
        for p in model.parameters():
            p += delta[i:i + p.numel()].view_as(p)
            i += p.numel()


def accuracy(model):
    with torch.no_grad():
        return (model(x_test).argmax(1) == y_test).float().mean().item()


def run(rounds, dp_clip=None, sigma=0.0):
    torch.manual_seed(1)
    model = nn.Linear(10, 2).to(device)
    for _ in range(rounds):
        deltas = torch.stack([local_train(model, x, y) for x, y in clients])
        if dp_clip is None:       # plain FedAvg: weight by each client's sample count
            update = (sizes.to(device)[:, None] * deltas).sum(0) / sizes.sum()
        else:                     # DP-FedAvg: bound each client's influence, then add noise to the sum
            norms = deltas.norm(dim=1, keepdim=True)
            clipped = deltas * torch.clamp(dp_clip / norms, max=1.0)
            noise = torch.randn(deltas.shape[1], device=device) * sigma * dp_clip
            update = (clipped.sum(0) + noise) / len(clients)   # fixed weights keep sensitivity = clip
        apply_update(model, update)
    return accuracy(model)


def epsilon(rounds, sigma, delta=1e-5):
    """Gaussian mechanism, every client in every round, via Renyi DP: eps(a) = rounds * a / (2 sigma^2)."""
    return min(rounds * a / (2 * sigma ** 2) + math.log(1 / delta) / (a - 1) for a in range(2, 512))


print("update norms in round 1:", [round(d.norm().item(), 2) for d in
                                   torch.stack([local_train(nn.Linear(10, 2).to(device), x, y) for x, y in clients])])
R = 15
print(f"FedAvg (sample-weighted), {R} rounds : test acc {run(R):.3f}")
for sigma in (0.5, 2.0):
    print(f"DP-FedAvg clip=1.0 sigma={sigma}       : test acc {run(R, 1.0, sigma):.3f}  "
          f"(eps={epsilon(R, sigma):.1f} at delta=1e-5)")
print("more noise -> smaller epsilon (more privacy) -> lower accuracy. eps=71 is no real privacy;\n"
      "production DP-FedAvg samples hundreds of clients per round, so the noise per client shrinks")
