# framework: pytorch
"""One correct PyTorch training loop, and what goes wrong with softmax-before-CrossEntropyLoss."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
torch.set_num_threads(1)  # tiny tensors: extra CPU threads only add overhead
print(f"device: {device}")

torch.manual_seed(0)
x = torch.randn(256, 2)
y = (x[:, 0] * x[:, 1] > 0).long()  # XOR-like labels: class 0 or 1
x, y = x.to(device), y.to(device)


def train(softmax_first: bool) -> tuple[float, float]:
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 2)).to(device)  # move first
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)                      # then build optimizer
    criterion = nn.CrossEntropyLoss()                                                # expects raw logits
    model.train()
    running = 0.0
    for step in range(60):
        idx = torch.randint(0, len(x), (64,), device=device)
        optimizer.zero_grad()
        logits = model(x[idx])
        out = logits.softmax(dim=1) if softmax_first else logits  # the bug being demonstrated
        loss = criterion(out, y[idx])
        loss.backward()
        optimizer.step()
        running += loss.item()  # a Python float: no graph kept alive
    model.eval()
    with torch.no_grad():
        acc = (model(x).argmax(1) == y).float().mean().item()
    return running / 60, acc


good_loss, good_acc = train(softmax_first=False)
bad_loss, bad_acc = train(softmax_first=True)
print(f"logits -> CrossEntropyLoss : mean loss {good_loss:.3f}, accuracy {good_acc:.2f}")
print(f"softmax -> CrossEntropyLoss: mean loss {bad_loss:.3f}, accuracy {bad_acc:.2f}")
floor = nn.functional.cross_entropy(torch.tensor([[1.0, 0.0]]), torch.tensor([0])).item()
print(f"softmax first: even a perfect prediction scores {floor:.3f}, so the loss cannot reach 0")
print("softmax first gives a worse loss curve:", bad_loss > good_loss)

# Accumulating the loss tensor instead of loss.item() keeps every step's graph reachable.
w = torch.ones(3, requires_grad=True)
total = 0
for _ in range(3):
    total = total + (w * 2).sum()  # tensor accumulation
print("accumulated tensor still has a graph:", total.grad_fn is not None)
print("loss.item() is a plain float:", type((w * 2).sum().item()).__name__)
