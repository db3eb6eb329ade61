# framework: pytorch
"""One script, any device: pick the device once, move the model and every batch, load with map_location."""
import os
import tempfile

import torch
from torch.utils.data import DataLoader, TensorDataset

# Choose once. torch.accelerator (PyTorch 2.6+) covers CUDA, MPS, XPU...; fall back to the CPU.
if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")
print(f"device: {device.type}")

torch.manual_seed(0)
x = torch.randn(256, 4)
y = x @ torch.tensor([1.0, -1.0, 2.0, 0.5]) + 0.3
loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)

model = torch.nn.Linear(4, 1).to(device)  # parameters move once
opt = torch.optim.SGD(model.parameters(), lr=0.1)
first_x, _ = next(iter(loader))
print("DataLoader yields tensors on:", first_x.device.type, "-> move each batch inside the loop")
for epoch in range(20):
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        loss = torch.nn.functional.mse_loss(model(xb).squeeze(1), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
print(f"final loss {loss.item():.5f}, model on {next(model.parameters()).device.type}")

# New tensors: say the device (or use *_like / new_*), never a hard-coded .cuda().
mask = torch.ones(3, device=device)
noise = torch.zeros_like(mask)
print("created on:", mask.device.type, noise.device.type)

# Checkpoints: save state_dict, load onto whatever device this machine has.
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "ckpt.pt")
    torch.save(model.state_dict(), path)
    state = torch.load(path, map_location=device)  # weights_only=True is the default since 2.6
    fresh = torch.nn.Linear(4, 1).to(device)
    fresh.load_state_dict(state)
    print("reloaded weights on:", state["weight"].device.type,
          "| same weights:", torch.equal(fresh.weight, model.weight))
