# framework: pytorch
"""MAML on sine-wave regression: meta-learn an initialisation that adapts in one gradient step."""
import time

import torch
import torch.nn as nn
from torch.func import functional_call

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")


def sample_task():
    """A task is a sine wave with random amplitude and phase."""
    amp, phase = torch.empty(2).uniform_(0.5, 4.0)[0], torch.empty(1).uniform_(0, 3.14)[0]

    def draw(k):
        x = torch.empty(k, 1).uniform_(-5, 5)
        return x.to(device), (amp * torch.sin(x + phase)).to(device)
    return draw


net = nn.Sequential(nn.Linear(1, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1)).to(device)
meta_opt = torch.optim.Adam(net.parameters(), lr=3e-3)
inner_lr, K = 0.01, 10
mse = nn.functional.mse_loss


def adapt(params, x, y, steps=1, create_graph=True):
    """Inner loop: theta' = theta - alpha * grad L_support(theta), done functionally."""
    for _ in range(steps):
        loss = mse(functional_call(net, params, (x,)), y)
        grads = torch.autograd.grad(loss, list(params.values()), create_graph=create_graph)
        params = {n: p - inner_lr * g for (n, p), g in zip(params.items(), grads)}
    return params


start = time.perf_counter()
for it in range(1, 301):
    meta_loss = 0.0
    for _ in range(4):                                  # a meta-batch of tasks
        draw = sample_task()
        xs, ys = draw(K)                                # support set
        xq, yq = draw(K)                                # query set
        fast = adapt(dict(net.named_parameters()), xs, ys)  # keeps second-order terms
        meta_loss = meta_loss + mse(functional_call(net, fast, (xq,)), yq)
    meta_opt.zero_grad()
    (meta_loss / 4).backward()                          # outer loop: back to theta through the inner step
    meta_opt.step()
    if it % 100 == 0:
        print(f"meta-iter {it}: query loss after 1 inner step {meta_loss.item() / 4:.3f}")
print(f"meta-training took {time.perf_counter() - start:.1f}s")

# evaluation on new tasks: MAML init vs a random init, both adapted with the same K=10 points
torch.manual_seed(123)
baseline = nn.Sequential(nn.Linear(1, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1)).to(device)
for name, init in (("MAML init  ", dict(net.named_parameters())), ("random init", dict(baseline.named_parameters()))):
    torch.manual_seed(7)
    before = after = 0.0
    for _ in range(20):
        draw = sample_task()
        xs, ys = draw(K)
        xq, yq = draw(100)
        params = {n: p.detach().requires_grad_() for n, p in init.items()}
        before += mse(functional_call(net, params, (xq,)), yq).item() / 20
        fast = adapt(params, xs, ys, steps=5, create_graph=False)   # test time: plain first-order steps
        after += mse(functional_call(net, fast, (xq,)), yq).item() / 20
    print(f"{name}: query MSE before adapting {before:.2f} -> after 5 steps on 10 points {after:.2f}")
