# framework: pytorch
"""FGSM and PGD attacks on a small classifier, then PGD adversarial training: clean vs robust accuracy."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")


def make(n):  # 2-D inputs in [-1, 1]^2, a curved decision boundary
    x = torch.rand(n, 2) * 2 - 1
    y = (x[:, 1] > 0.5 * torch.sin(3 * x[:, 0])).long()
    return x.to(device), y.to(device)


x_tr, y_tr = make(1000)
x_te, y_te = make(1000)
EPS, LO, HI = 0.1, -1.0, 1.0  # L-inf threat model and the valid input range


def fgsm(model, x, y, eps=EPS):
    x = x.clone().requires_grad_()
    grad, = torch.autograd.grad(F.cross_entropy(model(x), y), x)
    return (x + eps * grad.sign()).clamp(LO, HI).detach()


def pgd(model, x, y, eps=EPS, alpha=EPS / 4, steps=10):
    delta = torch.empty_like(x).uniform_(-eps, eps)                # random start
    for _ in range(steps):
        delta.requires_grad_()
        grad, = torch.autograd.grad(F.cross_entropy(model(x + delta), y), delta)
        delta = (delta + alpha * grad.sign()).clamp(-eps, eps)     # step, project onto the eps-ball
        delta = ((x + delta).clamp(LO, HI) - x).detach()           # and onto the valid range
    return x + delta


def acc(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def train(adversarial, epochs=60):
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    for _ in range(epochs):
        for i in range(0, len(x_tr), 100):
            x, y = x_tr[i:i + 100], y_tr[i:i + 100]
            if adversarial:                       # inner max: attack the current model (eval not needed: no BN/dropout)
                x = pgd(model, x, y, steps=5)     # outer min: train on the attacked batch
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()
    return model


for name, adversarial in (("standard training   ", False), ("PGD-5 adv. training ", True)):
    m = train(adversarial)
    print(f"{name}: clean {acc(m, x_te, y_te):.3f} | FGSM {acc(m, fgsm(m, x_te, y_te), y_te):.3f} "
          f"| PGD-10 {acc(m, pgd(m, x_te, y_te), y_te):.3f}   (eps={EPS}, L-inf)")
print("adversarial training trades some clean accuracy for robustness inside the chosen eps-ball,\n"
      "and costs about (steps + 1)x the forward/backward passes of standard training")
