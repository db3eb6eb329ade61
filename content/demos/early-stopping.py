# framework: pytorch
"""Early stopping done right: patience, min_delta, a deep-copied best snapshot, and restoring it."""
import copy

import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"
torch.set_num_threads(1)  # tiny tensors: extra CPU threads only add overhead
print(f"device: {device}")
torch.manual_seed(0)

# A tiny noisy regression problem that a wide MLP will overfit.
x_train = torch.linspace(-3, 3, 16).unsqueeze(1)
y_train = torch.sin(x_train) + 0.5 * torch.randn_like(x_train)
x_val = torch.linspace(-2.9, 2.9, 64).unsqueeze(1)
y_val = torch.sin(x_val)
x_train, y_train, x_val, y_val = (t.to(device) for t in (x_train, y_train, x_val, y_val))


class EarlyStopping:
    def __init__(self, patience=10, min_delta=1e-3):
        self.patience, self.min_delta = patience, min_delta
        self.best, self.best_state, self.best_epoch, self.counter = float("inf"), None, -1, 0

    def step(self, val_loss, model, epoch) -> bool:
        """Returns True when training should stop."""
        if val_loss < self.best - self.min_delta:  # a real improvement
            self.best, self.best_epoch, self.counter = val_loss, epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())  # a snapshot, not references
        else:
            self.counter += 1
        return self.counter >= self.patience


def validate(model):
    model.eval()
    with torch.no_grad():
        loss = nn.functional.mse_loss(model(x_val), y_val).item()
    model.train()
    return loss


model = nn.Sequential(nn.Linear(1, 256), nn.Tanh(), nn.Linear(256, 256), nn.Tanh(), nn.Linear(256, 1)).to(device)
opt = torch.optim.Adam(model.parameters(), lr=0.002)
stopper = EarlyStopping(patience=10)
by_reference = None
model.train()
for epoch in range(400):
    opt.zero_grad()
    nn.functional.mse_loss(model(x_train), y_train).backward()
    opt.step()
    val = validate(model)
    if val <= stopper.best - stopper.min_delta:
        by_reference = model.state_dict()  # the WRONG way: live references
    if stopper.step(val, model, epoch):
        print(f"stopped at epoch {epoch}: no improvement > {stopper.min_delta} for {stopper.patience} epochs")
        break
    if epoch % 10 == 0:
        print(f"epoch {epoch:3d} val_loss {val:.4f}")

print(f"best epoch {stopper.best_epoch}, best val_loss {stopper.best:.4f}, last val_loss {val:.4f}")
print("'best' saved by reference equals the last weights:",
      all(torch.equal(a, b) for a, b in zip(by_reference.values(), model.state_dict().values())))
if stopper.best_state is not None:  # guard: nothing saved if validation never improved
    model.load_state_dict(stopper.best_state)
print(f"val_loss after restoring the deep-copied best weights: {validate(model):.4f}")
