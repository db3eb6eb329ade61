# framework: pytorch
"""How autograd records a graph in the forward pass and walks it backwards."""
import torch

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")

# 1. Forward pass: each op on a tensor that requires grad adds a backward node.
saved = []


def pack(t):
    saved.append(tuple(t.shape))
    return t


x = torch.ones(2, 2, device=device, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
    steps = []
    y = x + 2
    steps.append(("y = x + 2", len(saved)))
    z = y ** 2
    steps.append(("z = y ** 2", len(saved)))
    w = 3 * z
    steps.append(("w = 3 * z", len(saved)))
    out = w.mean()
    steps.append(("out = w.mean()", len(saved)))

print("\n1) tensors saved for backward, counted after each op:")
prev = 0
for name, n in steps:
    print(f"   {name:16} saves {n - prev} tensor(s)")
    prev = n
print("   -> pow keeps its input; add and mean keep no tensor (3 * z keeps only the constant 3)")

# 2. The graph is a chain of grad_fn nodes pointing back to the leaf.
print("\n2) the recorded graph, walked from the output:")
node, depth = out.grad_fn, 0
while node is not None:
    print("   " + "  " * depth + type(node).__name__)
    nxt = [n for n, _ in node.next_functions if n is not None]
    node, depth = (nxt[0] if nxt else None), depth + 1
print("   (AccumulateGrad is where the gradient lands in x.grad)")

# 3. backward() applies the chain rule and fills .grad of leaves only.
y.retain_grad()  # ask for the grad of one intermediate (non-leaf) tensor
out.backward()
print("\n3) after out.backward():")
print("   x.grad =", x.grad.flatten().tolist(), "(hand-derived: 6*(x+2)/4 = 4.5)")
print("   y.grad =", y.grad.flatten().tolist(), "(kept only because of retain_grad)")
print("   z.retains_grad =", z.retains_grad, "-> z.grad stays None (non-leaf)")

# 4. The graph is freed: a second backward fails.
try:
    out.backward()
except RuntimeError as e:
    print("\n4) second backward ->", str(e).split(".")[0])

# 5. torch.autograd.grad returns the gradient and leaves .grad alone.
x.grad = None
out2 = (3 * (x + 2) ** 2).mean()
(g,) = torch.autograd.grad(out2, x)
print("\n5) autograd.grad ->", g.flatten().tolist(), "| x.grad still:", x.grad)
