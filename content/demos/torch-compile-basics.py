# framework: pytorch
"""torch.compile in practice: compile on first call, guards and recompiles, graph breaks, training.

The default backend is Inductor (Triton kernels on GPU, C++ on CPU). Compiling with Inductor on a
small CPU takes tens of seconds, so this demo uses a light backend that runs the captured FX graph
as is; everything shown about capture, guards and graph breaks is the same with Inductor.
"""
import logging
import time
import warnings

import torch
from torch import nn

warnings.filterwarnings("ignore")
logging.getLogger("torch._dynamo").setLevel(logging.ERROR)  # TORCH_LOGS=graph_breaks shows them instead
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
torch.manual_seed(0)

compiled_graphs = []


def counting_backend(gm, example_inputs):
    """A custom backend: record each FX graph Dynamo hands over, then run it unchanged."""
    compiled_graphs.append(len([n for n in gm.graph.nodes if n.op == "call_function"]))
    return gm.forward


# 1) Compiles lazily on the first call; later calls reuse it while the guards hold.
def gelu_mlp(x, w1, w2):
    return torch.nn.functional.gelu(x @ w1) @ w2


w1 = torch.randn(64, 256, device=device)
w2 = torch.randn(256, 64, device=device)
fast = torch.compile(gelu_mlp, backend=counting_backend)
for call in range(3):
    t0 = time.perf_counter()
    fast(torch.randn(32, 64, device=device), w1, w2)
    print(f"1) call {call}: {1e3 * (time.perf_counter() - t0):7.1f} ms, graphs compiled so far: {len(compiled_graphs)}")

# 2) Guards: a new dtype or a second new shape triggers a recompile.
before = len(compiled_graphs)
fast(torch.randn(48, 64, device=device), w1, w2)   # new batch size: recompiled with a symbolic size
fast(torch.randn(80, 64, device=device), w1, w2)   # covered by the dynamic graph: no recompile
fast(torch.randn(32, 64, device=device).double(), w1.double(), w2.double())  # new dtype: recompile
print(f"2) after shapes 48, 80 and a float64 call: {len(compiled_graphs) - before} recompiles"
      " (1 for the first new shape, which becomes dynamic, 1 for the dtype)")


# 3) Graph breaks: code Dynamo cannot put in a graph splits it in two.
def with_break(x):
    y = torch.sin(x) * 2
    if y.sum() > 0:  # a Python branch on a tensor's value: graph break
        return torch.cos(y)
    return -y


explanation = torch._dynamo.explain(with_break)(torch.randn(8, device=device))
print(f"3) explain(): {explanation.graph_count} graphs, {explanation.graph_break_count} graph break(s)"
      f" at the `if` on a tensor value (Dynamo's reason: {explanation.break_reasons[0].reason!s:.40})")
torch._dynamo.reset()
try:
    torch.compile(with_break, fullgraph=True, backend=counting_backend)(torch.randn(8, device=device))
except Exception as err:
    print(f"   fullgraph=True turns the break into an error: {type(err).__name__}")

# 4) Training works too: gradients flow through the compiled module.
model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 1)).to(device)
compiled = torch.compile(model, backend="aot_eager")  # AOTAutograd traces forward and backward
x = torch.randn(8, 16, device=device)
compiled(x).pow(2).mean().backward()
g_compiled = model[0].weight.grad.clone()
model.zero_grad()
model(x).pow(2).mean().backward()
print(f"4) compiled vs eager gradients match: {torch.allclose(g_compiled, model[0].weight.grad, atol=1e-6)}")
print("   with the default backend='inductor' the same code gets fused kernels;"
      " mode='reduce-overhead' adds CUDA graphs, mode='max-autotune' searches kernel configs")
