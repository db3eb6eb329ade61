# framework: pytorch
"""Sparse tensors: what COO/CSR store, when they save memory, and when sparse matmul actually wins."""
import time
import warnings

import torch

warnings.filterwarnings("ignore", message=".*Sparse CSR tensor support is in beta.*")
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"device: {device.type}")
torch.manual_seed(0)


def nbytes(*tensors):
    return sum(t.numel() * t.element_size() for t in tensors)


# 1. What is stored.
d = torch.tensor([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 2.0], [3.0, 0.0, 0.0, 0.0]])
coo, csr = d.to_sparse(), d.to_sparse_csr()
print("COO indices (ndim x nnz):", coo.indices().tolist(), "values:", coo.values().tolist())
print("CSR crow_indices:", csr.crow_indices().tolist(), "col_indices:", csr.col_indices().tolist())

# 2. Memory against density for a 1000x1000 float32 matrix.
n = 1000
print(f"{'density':>8} {'dense KB':>9} {'COO KB':>8} {'CSR KB':>8}")
for density in (0.01, 0.1, 0.2, 0.5):
    m = (torch.rand(n, n) < density).float()
    c, r = m.to_sparse(), m.to_sparse_csr()
    print(f"{density:>8.2f} {nbytes(m) // 1024:>9} {nbytes(c.indices(), c.values()) // 1024:>8}"
          f" {nbytes(r.crow_indices(), r.col_indices(), r.values()) // 1024:>8}")
print("COO: 2 int64 indices + 1 float32 value = 20 bytes per non-zero vs 4 per dense element -> pays off below 20% density")

# 3. Duplicates and coalesce().
u = torch.sparse_coo_tensor(torch.tensor([[0, 0, 1], [1, 1, 2]]), torch.tensor([1.0, 2.0, 3.0]), (2, 3),
                            check_invariants=True)
print("uncoalesced nnz:", u._nnz(), "-> coalesced nnz:", u.coalesce()._nnz(), "dense:", u.to_dense().tolist())

# 4. Sparse @ dense is only faster at very high sparsity.
w = torch.randn(n, 64, device=device)
for density in (0.001, 0.05, 0.3):
    m = ((torch.rand(n, n) < density).float() * torch.randn(n, n)).to(device)
    s = m.to_sparse_csr()
    timings = {"dense": float("inf"), "sparse": float("inf")}
    for _ in range(4):  # interleaved, best of 4: robust against other load on the machine
        for name, fn in (("dense", lambda: m @ w), ("sparse", lambda: s @ w)):
            if device.type == "cuda":
                torch.cuda.synchronize()
            start = time.perf_counter()
            fn()
            if device.type == "cuda":
                torch.cuda.synchronize()
            timings[name] = min(timings[name], (time.perf_counter() - start) * 1e3)
    same = torch.allclose(s @ w, m @ w, atol=1e-4)
    print(f"density {density}: dense {timings['dense']:.2f} ms, CSR {timings['sparse']:.2f} ms, same result: {same}")

# 5. Sparse gradients for embeddings.
emb = torch.nn.Embedding(10_000, 16, sparse=True)
emb(torch.tensor([3, 3, 42])).sum().backward()
grad = emb.weight.grad.coalesce()
print("embedding grad layout:", grad.layout, "| rows touched:", grad._nnz(), "of", emb.num_embeddings)
print("optimizers that accept this: SGD, SparseAdam (Adam raises 'Adam does not support sparse gradients')")
