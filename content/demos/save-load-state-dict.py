# framework: pytorch
"""Saving and loading in PyTorch: state_dict, weights_only, resuming exactly, and key prefixes."""
import os
import pickle
import tempfile

import torch
from torch import nn
from torch.nn.modules.utils import consume_prefix_in_state_dict_if_present

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
tmp = tempfile.mkdtemp()


def make():
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.2), nn.Linear(8, 1)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    return model, opt


def train(model, opt, steps, start):
    model.train()
    for step in range(start, start + steps):
        g = torch.Generator().manual_seed(step)  # the data of step `step`
        x, y = torch.randn(16, 4, generator=g).to(device), torch.randn(16, 1, generator=g).to(device)
        opt.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()  # dropout draws from the global RNG
        opt.step()


# 1. Uninterrupted run: 4 steps.
torch.manual_seed(0)
ref_model, ref_opt = make()
train(ref_model, ref_opt, 4, 0)

# 2. Interrupted run: 2 steps, checkpoint, rebuild everything from scratch, resume for 2 steps.
torch.manual_seed(0)
model, opt = make()
train(model, opt, 2, 0)
ckpt = os.path.join(tmp, "ckpt.pt")
rng = {"torch_rng": torch.get_rng_state()}  # CPU generator
if device == "cuda":
    rng["cuda_rng"] = torch.cuda.get_rng_state()  # dropout on the GPU draws from the CUDA generator
torch.save({"epoch": 2, "model": model.state_dict(), "optimizer": opt.state_dict(), **rng}, ckpt)
del model, opt
torch.manual_seed(123)  # pretend this is a new process with a different RNG state
model, opt = make()
state = torch.load(ckpt, map_location=device)  # weights_only=True by default since 2.6
model.load_state_dict(state["model"])
opt.load_state_dict(state["optimizer"])
# map_location moved the saved RNG states to the device too; the setters want CPU ByteTensors.
torch.set_rng_state(state["torch_rng"].cpu())
if device == "cuda":
    torch.cuda.set_rng_state(state["cuda_rng"].cpu())
train(model, opt, 2, state["epoch"])
same = all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), ref_model.state_dict().values()))
print("resumed run == uninterrupted run (model + optimizer + RNG restored):", same)

# 3. Pickling the whole model: the default torch.load refuses it.
whole = os.path.join(tmp, "whole.pt")
torch.save(model, whole)
try:
    torch.load(whole)
except pickle.UnpicklingError:
    print("torch.load(whole-model file) -> UnpicklingError (weights_only=True is the default)")
loaded = torch.load(whole, weights_only=False)  # runs arbitrary pickle code: trusted files only
print("weights_only=False loads it:", type(loaded).__name__)

# 4. Key prefixes from wrappers.
wrapped = nn.DataParallel(model)
sd = wrapped.state_dict()
print("DataParallel keys:", list(sd)[:2])
fresh, _ = make()
result = fresh.load_state_dict(sd, strict=False)
print("strict=False loaded nothing; missing:", len(result.missing_keys), "unexpected:", len(result.unexpected_keys))
consume_prefix_in_state_dict_if_present(sd, "module.")
print("after stripping 'module.':", fresh.load_state_dict(sd))
fresh.eval()  # inference mode for the loaded model (dropout off)
with torch.no_grad():
    x = torch.ones(2, 4, device=device)
    print("loaded model matches in eval mode:", torch.equal(fresh(x), model.eval()(x)))
