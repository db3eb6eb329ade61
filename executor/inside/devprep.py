"""Prepare the device in a waiting spare's job process, before its request arrives.

A CUDA job's fixed cost is mostly set-up: the context, the first cuBLAS/cuDNN call (which loads
the libraries and creates their handles), the caching allocator and each kernel's first launch.
A spare's job process is forked ahead of demand and then only waits; on a GPU worker it spends
that wait doing this set-up ("cuda"), so the request finds CUDA ready. It runs only in the forked
job process, never in the pool (which must stay fork-safe: CUDA cannot be used in a child forked
after the parent initialised it).

`"record"` is a stand-in for machines without a GPU (CI): it does no device work, only records
when and in which process it ran, so tests can prove the step happens before the request and
outside the pool. Either way the result is a dict that travels back in the job's report.
"""

from __future__ import annotations

import os
import time
from typing import Any

KINDS = ("", "cuda", "record")
# A prepared spare's job process goes by this name until its job arrives, so the host can see
# (in /proc) that a prepared spare is waiting: benchmarks and tests wait for it.
READY_COMM = "backprop-ready"

# CU_DEVICE_ATTRIBUTE_MPS_ENABLED (CUDA 12.4+): contexts on this device are shared through MPS.
MPS_ENABLED_ATTRIBUTE = 133

# Set in the process that ran `prepare`; the pool reports it stays None there.
PREPARED: dict[str, Any] | None = None


def identity() -> dict[str, Any]:
    """Which process this is: pid and pid namespace (each spare is pid 1 of a namespace of its own)."""
    try:
        pid_ns = os.readlink("/proc/self/ns/pid")
    except OSError:
        pid_ns = "?"
    return {"pid": os.getpid(), "ppid": os.getppid(), "pid_ns": pid_ns}


def prepare(kind: str, framework: str) -> dict[str, Any]:
    """Do the `kind` of preparation now; never raises (a failure is recorded, the job runs anyway)."""
    global PREPARED
    started = time.time()
    record: dict[str, Any] = {"kind": kind, "at": started, **identity()}
    try:
        if kind == "cuda" and framework == "torch":
            record.update(_prepare_torch_cuda())
        elif kind == "cuda":
            record["skipped"] = f"no CUDA preparation for {framework}"
        elif kind != "record":
            raise ValueError(f"unknown device preparation {kind!r}")
    except Exception as exc:  # the job then initialises CUDA itself, as without a spare
        record["error"] = f"{type(exc).__name__}: {exc}"
    record["seconds"] = round(time.time() - started, 4)
    PREPARED = record
    record["comm"] = set_comm(READY_COMM)
    return record


def set_comm(name: str) -> str:
    """Rename this process (as `ps` shows it); returns the old name ("" if it could not)."""
    try:
        with open("/proc/self/comm", "r+") as handle:
            old = handle.read().strip()
            handle.seek(0)
            handle.write(name)
        return old
    except OSError:
        return ""


def cuda_ready() -> bool:
    """Whether this process holds a prepared CUDA context."""
    return bool(PREPARED and PREPARED.get("kind") == "cuda" and PREPARED.get("device"))


def _prepare_torch_cuda() -> dict[str, Any]:
    """Context, library handles, allocator and the kernels a small training demo launches first;
    then the allocator is emptied (cuBLAS workspaces too) and its statistics reset, so the job's
    memory numbers start at 0."""
    import torch

    steps: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        torch.cuda.synchronize()
        now = time.perf_counter()
        steps[name] = round(now - mark, 4)
        mark = now

    torch.cuda.init()
    torch.zeros(1, device="cuda")
    lap("context")
    warm_up(torch.device("cuda", 0), lap)
    if hasattr(torch._C, "_cuda_clearCublasWorkspaces"):
        torch._C._cuda_clearCublasWorkspaces()
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    torch.cuda.reset_accumulated_memory_stats()
    lap("reset")
    pinned = os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",")[0]
    return {
        "device": f"cuda:0 ({torch.cuda.get_device_name(0)}, GPU {pinned})",
        "steps": steps,
        "mps": mps_enabled(),
    }


def mps_enabled() -> bool | None:
    """Whether this process's CUDA contexts go through MPS (so its memory limit applies);
    None where the driver cannot say."""
    import ctypes

    try:
        cuda = ctypes.CDLL("libcuda.so.1")
        device, value = ctypes.c_int(), ctypes.c_int()
        if cuda.cuDeviceGet(ctypes.byref(device), 0) != 0:
            return None
        if cuda.cuDeviceGetAttribute(ctypes.byref(value), MPS_ENABLED_ATTRIBUTE, device) != 0:
            return None
        return bool(value.value)
    except OSError:
        return None


def warm_up(dev: Any, lap: Any = lambda _name: None) -> None:
    """Launch, once, the kernels a small training demo launches first: cuBLAS matmuls (forward and
    linear's backward), a cuDNN convolution with its backward, batch norm, pooling, ReLU, layer
    norm, dropout, cross-entropy, MSE and their backward kernels, and SGD and Adam steps.

    Never runs autograd's backward: its engine would start device threads, and a job that forks
    (fork-based multiprocessing, even on the CPU) could then not use autograd in its children.
    The backward kernels are launched directly (aten's *_backward ops) and the optimizers step on
    gradients set by hand. Leaves the random number generators as it found them.
    """
    import torch
    import torch.nn.functional as F

    aten = torch.ops.aten
    cpu_rng = torch.get_rng_state()
    cuda_rng = torch.cuda.get_rng_state(dev) if dev.type == "cuda" else None
    x = torch.linspace(-1, 1, 64 * 64, device=dev).reshape(64, 64)
    w1 = torch.full((32, 64), 0.01, device=dev)
    b1 = torch.zeros(32, device=dev)
    w2 = torch.full((4, 32), 0.01, device=dev)
    h = F.linear(x, w1, b1)
    g = torch.ones_like(h)
    (g @ w1).sum()  # linear's backward: grad @ W and grad^T @ x
    (g.t() @ x).sum().item()
    lap("cublas")
    img = torch.linspace(0, 1, 2 * 3 * 8 * 8, device=dev).reshape(2, 3, 8, 8)
    kernel = torch.full((4, 3, 3, 3), 0.1, device=dev)
    conv = F.conv2d(img, kernel, padding=1)
    aten.convolution_backward(
        torch.ones_like(conv), img, kernel, [4], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, [True, True, True]
    )
    normed = F.batch_norm(conv, None, None, training=True).relu()
    pooled, indices = aten.max_pool2d_with_indices(normed, [2, 2], [2, 2])
    aten.max_pool2d_with_indices_backward(
        torch.ones_like(pooled), normed, [2, 2], [2, 2], [0, 0], [1, 1], False, indices
    )
    pooled.sum().item()
    lap("cudnn")
    relu = F.relu(h)
    aten.threshold_backward(g, relu, 0)
    normed, mean, rstd = aten.native_layer_norm(relu, [32], None, None, 1e-5)
    aten.native_layer_norm_backward(g, relu, [32], mean, rstd, None, None, [True, False, False])
    logits = F.linear(F.dropout(normed, 0.1), w2)
    target = torch.arange(64, device=dev) % 4
    log_probs = F.log_softmax(logits, -1)
    loss = F.nll_loss(log_probs, target) + F.mse_loss(logits.softmax(-1), logits.sigmoid())
    one = torch.ones((), device=dev)
    grad_log_probs = aten.nll_loss_backward(one, log_probs, target, None, 1, -100, one)
    aten._log_softmax_backward_data(grad_log_probs, log_probs, -1, torch.float32)
    aten.mse_loss_backward(one, logits, logits, 1)
    params = [w1.clone(), w2.clone()]
    for param in params:
        param.grad = torch.full_like(param, 0.01)
    for optimizer in (torch.optim.SGD(params, lr=0.1, momentum=0.9), torch.optim.Adam(params)):
        optimizer.step()
        optimizer.step()
    loss.item()
    lap("training_step")
    _common_kernels(torch, dev)
    torch.set_rng_state(cpu_rng)
    if cuda_rng is not None:
        torch.cuda.set_rng_state(cuda_rng, dev)
    lap("common_ops")


def _common_kernels(torch: Any, dev: Any) -> None:
    """One launch each of the element-wise, reduction, indexing, copy and random kernels that
    short demos use: CUDA loads each kernel on its first launch (a millisecond or more each)."""
    a = torch.linspace(0.1, 1.0, 256, device=dev)
    b = a.flip(0)
    m = a.reshape(16, 16)
    ops = [
        *(
            lambda f=f: f(a, b)
            for f in (torch.add, torch.sub, torch.mul, torch.div, torch.pow, torch.maximum)
        ),
        lambda: (a + 2, a - 1, a * 3, a / 2, a**2, 2 - a, torch.minimum(a, b), torch.atan2(a, b)),
        *(
            lambda f=f: f(a)
            for f in (
                torch.exp,
                torch.log,
                torch.sqrt,
                torch.rsqrt,
                torch.abs,
                torch.neg,
                torch.sin,
                torch.cos,
                torch.tanh,
                torch.sigmoid,
                torch.relu,
                torch.floor,
                torch.round,
                torch.sign,
                torch.reciprocal,
                torch.nn.functional.gelu,
                torch.nn.functional.silu,
                torch.nn.functional.softplus,
            )
        ),
        lambda: (a.clamp(0.2, 0.8), a.sum(), a.mean(), a.max(), a.min(), a.argmax(), a.std(), a.var()),
        lambda: (a.norm(), a.prod(), a.cumsum(0), m.sum(0), m.mean(1), m.max(1), m.topk(3, 1), a.sort()),
        lambda: (
            m.softmax(-1),
            m.log_softmax(-1),
            a > b,
            a == b,
            torch.where(a > b, a, b),
            a.masked_fill(a > b, 0),
        ),
        lambda: (
            a[a > 0.5],
            a[:10],
            a.index_select(0, torch.arange(5, device=dev)),
            torch.cat([a, b]),
            torch.stack([a, b]),
        ),
        lambda: (
            m.gather(1, torch.zeros(16, 1, dtype=torch.long, device=dev)),
            torch.zeros_like(a).scatter_(0, torch.arange(3, device=dev), 1.0),
        ),
        lambda: (
            torch.eye(4, device=dev),
            torch.ones(3, device=dev),
            torch.full((3,), 2.0, device=dev),
            torch.arange(8, device=dev),
        ),
        lambda: (
            a.cpu(),
            torch.ones(4).to(dev),
            a.double(),
            a.half(),
            a.bfloat16(),
            a.long(),
            a.bool(),
            a.clone(),
            m.t().contiguous(),
        ),
        lambda: (
            torch.bmm(m[None], m[None]),
            torch.einsum("ij,jk->ik", m, m),
            m @ a[:16],
            torch.outer(a[:4], b[:4]),
        ),
        lambda: (
            torch.randn(8, device=dev),
            torch.rand(8, device=dev),
            torch.randint(0, 5, (8,), device=dev),
        ),
        lambda: (torch.randperm(8, device=dev), torch.empty(8, device=dev).normal_(), torch.bernoulli(a)),
        lambda: torch.nn.functional.embedding(torch.arange(4, device=dev), m),
        lambda: torch.nn.functional.scaled_dot_product_attention(m[None, None], m[None, None], m[None, None]),
    ]
    for op in ops:
        try:
            op()
        except Exception:  # a kernel this build lacks is one less to warm, not a failure
            continue
    if dev.type == "cuda":
        torch.cuda.synchronize()
