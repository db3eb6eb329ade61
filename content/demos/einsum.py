# framework: pytorch
"""torch.einsum: one notation for matmul, transpose, dot, outer, batched matmul and attention scores."""
import time

import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"device: {device.type}")
torch.manual_seed(0)

A = torch.randn(2, 3, device=device)
B = torch.randn(3, 4, device=device)
v = torch.randn(3, device=device)
w = torch.randn(3, device=device)
X = torch.randn(5, 2, 3, device=device)
Y = torch.randn(5, 3, 4, device=device)

checks = [
    ("ij,jk->ik   matmul", torch.einsum("ij,jk->ik", A, B), A @ B),
    ("ij->ji      transpose", torch.einsum("ij->ji", A), A.T),
    ("i,i->       dot", torch.einsum("i,i->", v, w), torch.dot(v, w)),
    ("i,j->ij     outer", torch.einsum("i,j->ij", v, w), torch.outer(v, w)),
    ("bij,bjk->bik batched", torch.einsum("bij,bjk->bik", X, Y), torch.bmm(X, Y)),
    ("ij->        sum all", torch.einsum("ij->", A), A.sum()),
    ("ij->j       column sums", torch.einsum("ij->j", A), A.sum(0)),
    ("ii->i       diagonal", torch.einsum("ii->i", torch.eye(3, device=device) * 2), torch.full((3,), 2.0, device=device)),
]
for name, got, ref in checks:
    print(f"{name:<24} shape={str(tuple(got.shape)):<10} matches reference: {torch.allclose(got, ref, atol=1e-5)}")

print("-- '...' broadcasts leading dims --")
print("'...ij,...jk->...ik' on (7,5,2,3) x (5,3,4):",
      tuple(torch.einsum("...ij,...jk->...ik", torch.randn(7, 5, 2, 3), torch.randn(5, 3, 4)).shape))

print("-- attention scores --")
q = torch.randn(2, 4, 16, 32, device=device)  # (batch, heads, queries, dim)
k = torch.randn(2, 4, 20, 32, device=device)  # (batch, heads, keys, dim)
s1 = torch.einsum("bhqd,bhkd->bhqk", q, k)
s2 = q @ k.transpose(-2, -1)
print("bhqd,bhkd->bhqk:", tuple(s1.shape), "same as q @ k^T:", torch.allclose(s1, s2, atol=1e-4))


def bench(fn, reps):
    for _ in range(3):
        fn()
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(reps):
        fn()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / reps * 1e6


for shape_q, shape_k, reps in (((2, 4, 16, 32), (2, 4, 20, 32), 100), ((4, 8, 128, 64), (4, 8, 128, 64), 10)):
    qq, kk = torch.randn(shape_q, device=device), torch.randn(shape_k, device=device)
    t_e = bench(lambda: torch.einsum("bhqd,bhkd->bhqk", qq, kk), reps)
    t_m = bench(lambda: qq @ kk.transpose(-2, -1), reps)
    print(f"q{shape_q}: einsum {t_e:8.0f} us | matmul {t_m:8.0f} us")
print("(einsum lowers to the same (b)mm kernels; its fixed parsing overhead only shows on tiny tensors)")

print("-- contraction order for 3+ operands --")
print("opt_einsum available:", torch.backends.opt_einsum.is_available(),
      "| strategy:", torch.backends.opt_einsum.strategy)
M1, M2, M3 = torch.randn(64, 2), torch.randn(2, 64), torch.randn(64, 64)
print("'ij,jk,kl->il' on 3 matrices:", tuple(torch.einsum("ij,jk,kl->il", M1, M2, M3).shape))
try:
    torch.einsum("ij,jk->ik", A, torch.randn(4, 4, device=device))
except RuntimeError as err:
    print("size mismatch ->", err)
