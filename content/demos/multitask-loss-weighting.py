# framework: pytorch
"""Multi-task losses on different scales: fixed weights vs learned uncertainty weights, plus PCGrad."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
torch.set_num_threads(1)  # tiny tensors: extra CPU threads only add overhead
print(f"device: {device}")
torch.manual_seed(0)
x = torch.randn(256, 6, device=device)
y_a = torch.tanh(x[:, :3].sum(1, keepdim=True))   # task A: values around +-1
y_b = 30 * x[:, 3:].sum(1, keepdim=True)          # task B: values around +-50


def train(mode: str, steps: int = 200):
    torch.manual_seed(1)
    trunk = nn.Sequential(nn.Linear(6, 4), nn.Tanh()).to(device)  # small shared trunk: tasks compete
    head_a, head_b = nn.Linear(4, 1).to(device), nn.Linear(4, 1).to(device)
    log_vars = nn.Parameter(torch.zeros(2, device=device))       # s_i = log(sigma_i^2), learnable
    groups = [{"params": [*trunk.parameters(), *head_a.parameters(), *head_b.parameters()], "lr": 0.02}]
    if mode == "uncertainty":
        groups.append({"params": [log_vars], "lr": 0.1})         # must be in the optimizer!
    opt = torch.optim.Adam(groups)
    for _ in range(steps):
        h = trunk(x)
        losses = torch.stack([nn.functional.mse_loss(head_a(h), y_a), nn.functional.mse_loss(head_b(h), y_b)])
        if mode == "fixed":
            total = losses.sum()                                   # w_a = w_b = 1
        else:
            total = (torch.exp(-log_vars) * losses + log_vars).sum()  # sum exp(-s_i) L_i + s_i
        opt.zero_grad()
        total.backward()
        opt.step()
    rel = [losses[0].item() / y_a.var().item(), losses[1].item() / y_b.var().item()]
    return losses.detach(), rel, torch.exp(-log_vars).detach()


for mode in ("fixed", "uncertainty"):
    raw, rel, w = train(mode)
    print(f"{mode:11s}: raw losses A={raw[0]:.3f} B={raw[1]:.1f} | loss/variance A={rel[0]:.3f} B={rel[1]:.3f}"
          f" | weights exp(-s)={[round(v, 4) for v in w.tolist()]}")
print("fixed weights: task B's large loss dominates the shared trunk and task A barely learns")
print(f"uncertainty: exp(-s) is pulled toward 1/L_i (here 1/L = {[round(v, 4) for v in (1 / raw).tolist()]}),")
print("so the small-scale task is up-weighted and the large-scale one down-weighted")

# PCGrad in one picture: when two task gradients conflict (negative cosine), project one
# onto the normal plane of the other before summing.
g1, g2 = torch.tensor([1.0, 1.0]), torch.tensor([-1.0, 0.2])
cos = torch.nn.functional.cosine_similarity(g1, g2, dim=0).item()
g1_proj = g1 - (g1 @ g2) / (g2 @ g2) * g2 if cos < 0 else g1
print(f"PCGrad: cos(g1, g2) = {cos:.2f} -> after projection cos = "
      f"{torch.nn.functional.cosine_similarity(g1_proj, g2, dim=0).item():.2f}")
