# framework: pytorch
"""Three classic PyTorch leaks, how each one shows up, and the fix.

Signals used: the autograd graph a tensor keeps alive (nodes and saved activation bytes, exact on
any device), torch.cuda.memory_allocated on a GPU, live tensors found with gc, hook counts and
tracemalloc for Python objects.
"""
import gc
import tracemalloc
import warnings

import torch
from torch import nn

warnings.filterwarnings("ignore", category=FutureWarning)  # gc scans touch deprecated torch objects
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)


def gpu_mb():
    return torch.cuda.memory_allocated() / 2**20 if device == "cuda" else 0.0  # tensors only, not the cache


model = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 1)).to(device)
opt = torch.optim.SGD(model.parameters(), lr=1e-3)
batch = torch.randn(64, 512, device=device)
not_leaked = {p.data_ptr() for p in model.parameters()} | {batch.data_ptr()}


def graph_stats(t):
    """Walk t's autograd graph: how many nodes it keeps alive, and how many bytes of saved
    activations are still held (weights and the input batch are excluded; they exist anyway)."""
    if not torch.is_tensor(t) or t.grad_fn is None:
        return 0, 0.0
    seen, saved, stack = set(), {}, [t.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        for name in dir(node):
            if name.startswith("_saved_"):
                try:
                    value = getattr(node, name)
                except RuntimeError:  # already freed by backward
                    continue
                if torch.is_tensor(value) and value.numel() and value.data_ptr() not in not_leaked:
                    saved[value.data_ptr()] = value.numel() * value.element_size()
        stack.extend(fn for fn, _ in node.next_functions)
    return len(seen), sum(saved.values()) / 2**20


def run(kind, steps=15):
    total = 0.0
    start = gpu_mb()
    for _ in range(steps):
        loss = model(batch).pow(2).mean()
        if kind != "eval, no no_grad":
            opt.zero_grad()
            loss.backward(retain_graph=(kind == "train, retain_graph=True"))
            opt.step()
        total = total + (loss.item() if kind == "train, loss.item()" else loss)
    nodes, held = graph_stats(total)
    return nodes, held, gpu_mb() - start


print("1) accumulating the loss over 15 steps:")
for kind in ("train, loss.item()", "train, total += loss", "train, retain_graph=True", "eval, no no_grad"):
    nodes, held, grown = run(kind)
    extra = f", memory_allocated {grown:+.1f} MB" if device == "cuda" else ""
    print(f"   {kind:26} graph nodes kept: {nodes:4d}, activations held: {held:5.1f} MB{extra}")
print("   backward frees saved activations, so in training the summed graph mostly holds nodes;"
      " without backward (or with retain_graph) it keeps every step's activations")

# 2) Storing outputs without detach keeps each step's graph; gc finds the live tensors.
def count_live_graph_tensors():
    return sum(1 for o in gc.get_objects() if isinstance(o, torch.Tensor) and o.grad_fn is not None)


history = [model(batch) for _ in range(5)]
print(f"2) live tensors that still own a graph: {count_live_graph_tensors()}"
      " (5 outputs + the 5 hidden activations their graphs saved)")
print("   fix: history.append(out.detach().cpu()) or keep only .item()")
history.clear()  # plain reference counting frees them; no gc.collect() needed
print(f"   after clearing the list: {count_live_graph_tensors()}")

# 3) Hooks registered in a loop and never removed pile up.
for epoch in range(3):
    model[0].register_forward_hook(lambda m, i, o: None)
print(f"3) forward hooks on layer 0 after 3 epochs: {len(model[0]._forward_hooks)} (keep handles, call remove())")
model[0]._forward_hooks.clear()

# 4) tracemalloc sees Python-side growth (here a cache that never evicts); it cannot see GPU memory.
tracemalloc.start()
cache = {}
snap1 = tracemalloc.take_snapshot()
for i in range(5_000):
    cache[i] = [float(i)] * 4
snap2 = tracemalloc.take_snapshot()
top = snap2.compare_to(snap1, "lineno")[0]
print(f"4) tracemalloc top growth: +{top.size_diff / 2**20:.1f} MB at line {top.traceback[0].lineno}")
tracemalloc.stop()
print("rule of thumb: allocated memory that climbs every iteration is a leak;"
      " a high but flat reserved/RSS value is the caching allocator")
