"""The warm torch and TensorFlow pools: what demos need works inside the sandbox."""

from __future__ import annotations

import pytest

from executor.sandbox import Sandbox
from tests.executor.helpers import assert_healthy, run

pytestmark = pytest.mark.timeout(300)

TORCH_JOB = """
import torch
from torch.utils.data import DataLoader, TensorDataset
import matplotlib.pyplot as plt

print("threads", torch.get_num_threads())
x = torch.randn(256, 256)
print("matmul", tuple((x @ x).shape))
loader = DataLoader(TensorDataset(torch.arange(40.0).unsqueeze(1)), batch_size=10, num_workers=2)
print("batches", sum(len(batch[0]) for batch in loader))
plt.plot([1, 2, 3]); plt.savefig("out/curve.png")
import socket
try:
    socket.create_connection(("127.0.0.1", 6379), timeout=1)
    print("reached the host's redis")
except OSError:
    print("host loopback unreachable")
print("cuda initialised", torch.cuda.is_initialized())
"""

SPAWN_JOB = """
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

def worker(rank, world):
    dist.init_process_group("gloo", init_method="tcp://127.0.0.1:29533", rank=rank, world_size=world)
    t = torch.tensor([rank + 1.0])
    dist.all_reduce(t)
    if rank == 0:
        print("all_reduce", t.item())
    dist.destroy_process_group()

if __name__ == "__main__":
    mp.spawn(worker, args=(2,), nprocs=2)
"""

TF_JOB = """
import tensorflow as tf
x = tf.random.normal((8, 4))
w = tf.Variable(tf.ones((4, 1)))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.square(x @ w))
print("grad", tape.gradient(loss, w).shape)
import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
print("keras", model(x).shape)
"""


def test_torch_threads_dataloader_workers_and_matplotlib(sandbox: Sandbox) -> None:
    result = run(sandbox, TORCH_JOB, framework="torch")
    assert result.status == "ok", result
    lines = result.stdout.splitlines()
    assert int(lines[0].split()[1]) >= 1
    assert lines[1:] == [
        "matmul (256, 256)",
        "batches 40",
        "host loopback unreachable",
        "cuda initialised False",
    ]
    assert [a.name for a in result.artifacts] == ["curve.png"]
    assert_healthy(sandbox, "torch")


def test_torch_spawn_with_gloo_on_loopback(sandbox: Sandbox) -> None:
    result = run(sandbox, SPAWN_JOB, framework="pytorch", wall_s=90)
    assert result.status == "ok", result
    assert result.stdout == "all_reduce 3.0\n"


def test_tensorflow_and_keras(sandbox: Sandbox) -> None:
    result = run(sandbox, TF_JOB, framework="tensorflow")
    assert result.status == "ok", result
    assert result.stdout == "grad (4, 1)\nkeras (8, 2)\n"
    assert_healthy(sandbox, "tensorflow")
