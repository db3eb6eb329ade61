# framework: pytorch
"""Look inside torch.compile's pipeline: Dynamo's FX graph and guards, then AOTAutograd's
forward/backward graphs after decomposition, and a dynamic-shape recompile with SymInts.

Inductor (the last stage) is left out because compiling C++/Triton kernels takes too long for a
demo; custom backends below print what Inductor would receive.
"""
import logging
import re

import torch
from functorch.compile import make_boxed_func, min_cut_rematerialization_partition
from torch._decomp import core_aten_decompositions
from torch._dynamo.backends.common import aot_autograd

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")
logging.getLogger("torch._dynamo").setLevel(logging.ERROR)


def model(x, w, scale: int):
    h = torch.nn.functional.gelu(x @ w)
    for _ in range(scale):  # plain Python loop: Dynamo unrolls it while tracing
        h = h * 0.5 + 1
    return h.sum()


# 1) TorchDynamo: bytecode -> FX graph (+ guards)
guard_lines = []


class GuardCollector(logging.Handler):
    def emit(self, record):
        guard_lines.extend(record.getMessage().splitlines())


torch._logging.set_logs(guards=True)
guard_logger = logging.getLogger("torch._dynamo.guards")
guard_logger.addHandler(GuardCollector())
guard_logger.propagate = False


def dynamo_only(gm, example_inputs):
    print("1) Dynamo's FX graph (Python loop unrolled, scale=2 baked in):")
    for line in gm.code.strip().splitlines()[1:]:
        print("     " + line.strip())
    return gm.forward


x = torch.randn(4, 8, device=device)
w = torch.randn(8, 8, device=device, requires_grad=True)
torch.compile(model, backend=dynamo_only)(x, w, 2)
torch._logging.set_logs(guards=False)
tensor_guards = [ln for ln in guard_lines if "TENSOR_MATCH" in ln]
print(f"   guard tree entries: {sum('+-' in ln for ln in guard_lines)}; the input checks include:")
for ln in tensor_guards:
    m = re.search(r"check_tensor\((L\['\w+'\]).*?(torch\.\w+).*?(requires_grad=\w+), (size=\[[^\]]*\])", ln)
    if m:
        print("     " + " ".join(m.groups()))
torch._dynamo.reset()


# 2) AOTAutograd: joint forward+backward tracing, decomposition, partitioning
def show(tag):
    def compiler(gm, example_inputs):
        ops = [str(n.target).replace("aten.", "").replace(".default", "")
               for n in gm.graph.nodes if n.op == "call_function"]
        print(f"2) {tag} graph ({len(ops)} ops): {', '.join(ops)}")
        if tag == "forward":
            outs = gm.graph.output_node().args[0]
            print(f"   forward returns {len(outs)} tensors: 1 result + {len(outs) - 1} saved for backward")
        return make_boxed_func(gm.forward)
    return compiler


aot_backend = aot_autograd(fw_compiler=show("forward"), bw_compiler=show("backward"),
                           decompositions=core_aten_decompositions(),
                           partition_fn=min_cut_rematerialization_partition)
loss = torch.compile(model, backend=aot_backend)(x, w, 2)
loss.backward()  # runs the compiled backward graph
print("   gelu's backward was decomposed into primitives (erf, exp, mul, add) that Inductor can fuse;"
      " the min-cut partitioner saved only the matmul output and x^T and recomputes the rest")
torch._dynamo.reset()

# 3) Dynamic shapes: a second batch size recompiles once with a symbolic size (SymInt)
seen = []


def record_inputs(gm, example_inputs):
    seen.append([type(a).__name__ if not isinstance(a, torch.Tensor) else f"Tensor{tuple(a.shape)}"
                 for a in example_inputs])
    return gm.forward


compiled = torch.compile(model, backend=record_inputs)
for batch in (4, 6, 10):
    compiled(torch.randn(batch, 8, device=device), w, 2)
print(f"3) batch sizes 4, 6, 10 -> {len(seen)} compiles; second graph's inputs: {seen[-1]}")
print("   (the symbolic size is a SymInt guarded by shape checks; see TORCH_LOGS=recompiles,graph_breaks)")
