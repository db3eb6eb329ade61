# framework: pytorch
"""Reproducible PyTorch runs: seed everything, seed DataLoader workers, opt into deterministic kernels."""
import os
import random

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

# Must be set before the first cuBLAS call on CUDA; harmless on the CPU.
os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # seeds the CPU generator and every CUDA device
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


def seed_worker(worker_id: int) -> None:
    # torch already gives each worker base_seed + worker_id; derive numpy/random from it
    worker_seed = torch.initial_seed() % 2**32
    np.random.seed(worker_seed)
    random.seed(worker_seed)


class NoisyData(Dataset):
    """Adds numpy noise inside __getitem__, i.e. inside the worker processes."""

    def __len__(self):
        return 8

    def __getitem__(self, i):
        return torch.tensor([i + np.random.rand()], dtype=torch.float32)


def one_run(seed: int) -> tuple[list[int], float, float]:
    seed_everything(seed)
    g = torch.Generator()
    g.manual_seed(seed)
    loader = DataLoader(NoisyData(), batch_size=4, shuffle=True, num_workers=2,
                        worker_init_fn=seed_worker, generator=g)
    model = torch.nn.Linear(1, 1).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    order, noise_sum = [], 0.0
    for batch in loader:
        order += batch.floor().int().flatten().tolist()
        noise_sum += (batch - batch.floor()).sum().item()
        loss = model(batch.to(device)).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return order, round(noise_sum, 6), model.weight.item()


if __name__ == "__main__":
    a, b, c = one_run(0), one_run(0), one_run(1)
    print("run A (seed 0) order:", a[0], "weight:", f"{a[2]:.6f}")
    print("run B (seed 0) order:", b[0], "weight:", f"{b[2]:.6f}")
    print("run C (seed 1) order:", c[0], "weight:", f"{c[2]:.6f}")
    print("A == B (order, worker noise, weights):", a == b)
    print("A == C:", a == c)

    torch.use_deterministic_algorithms(True)
    print("deterministic mode on:", torch.are_deterministic_algorithms_enabled())
    print("torch.empty is filled with NaN so uninitialised reads show up:", torch.empty(3).tolist())
    try:
        torch.zeros(4).put_(torch.tensor([0, 0]), torch.tensor([1.0, 2.0]))  # duplicate indices: order-dependent
    except RuntimeError as err:
        print("put_ with duplicate indices raises:", str(err).split(",")[0])
    torch.use_deterministic_algorithms(False)
