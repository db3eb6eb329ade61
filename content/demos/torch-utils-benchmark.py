# framework: pytorch
"""torch.utils.benchmark vs a naive time.time(): warm-up, repeated runs, statistics, tables.

Three ways to multiply two matrices are compared across sizes and thread counts.
"""
import time

import torch
import torch.utils.benchmark as benchmark

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device} (Timer synchronises CUDA itself when it is used)")
torch.manual_seed(0)

# 1) The naive way: one call, wall clock. The first call pays one-off costs and the rest jitter.
x = torch.randn(128, 128, device=device)
naive = []
for _ in range(5):
    t0 = time.time()
    x @ x
    naive.append((time.time() - t0) * 1e6)
print("1) single-call time.time() readings (us):", [round(t) for t in naive])

# 2) Timer: many runs per measurement, several measurements, median and IQR.
m = benchmark.Timer(stmt="x @ x", globals={"x": x}).blocked_autorange(min_run_time=0.2)
print(f"2) Timer: median {m.median * 1e6:.1f} us, IQR {m.iqr * 1e6:.1f} us,"
      f" {len(m.times)} measurements x {m.number_per_run} runs, threads={m.task_spec.num_threads}"
      f" (Timer defaults to 1 thread; torch uses {torch.get_num_threads()})")

# 3) A small grid: implementations x sizes x threads, tabulated by Compare.
stmts = {
    "matmul": "a @ b",
    "einsum": "torch.einsum('ik,kj->ij', a, b)",
    "broadcast-sum": "(a.unsqueeze(2) * b.unsqueeze(0)).sum(1)",
}
results = []
for n in (32, 96):
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    for threads in (1, 2):
        for desc, stmt in stmts.items():
            t = benchmark.Timer(stmt=stmt, globals={"a": a, "b": b, "torch": torch}, num_threads=threads,
                                label="n x n matrix product", sub_label=f"n={n}", description=desc)
            results.append(t.blocked_autorange(min_run_time=0.05))
compare = benchmark.Compare(results)
compare.trim_significant_figures()
print("3) benchmark.Compare:")
compare.print()

print("read it per row: broadcast-sum builds an n^3 temporary, so it falls behind as n grows;"
      " on a busy machine the 2-thread rows get noisy, which is why the thread count is fixed per Timer")
print("micro-benchmarks compare ops in isolation; confirm end-to-end with the profiler")
