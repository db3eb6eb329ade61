# framework: pytorch
"""Measure, don't guess: loading throughput for several num_workers, and the cost of restarting workers."""
import multiprocessing as mp
import os
import time

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class SlowDataset(Dataset):
    """Each sample costs a few ms of pure-Python CPU work, like decoding and augmenting an image."""

    def __init__(self, n):
        self.data = np.arange(n, dtype=np.float32)  # a NumPy array, not a list of Python objects

    def __len__(self):
        return len(self.data)

    def __getitem__(self, idx):
        acc = 0
        for i in range(80_000):  # CPU-bound work: extra workers only help while there are free cores
            acc += i % 7
        return torch.tensor([self.data[idx], np.random.rand()])


def epoch_time(loader):
    start = time.perf_counter()
    n = 0
    for batch in loader:
        batch = batch.to(device)
        n += len(batch)
    return time.perf_counter() - start, n


if __name__ == "__main__":
    ctx = "fork" if "fork" in mp.get_all_start_methods() else None  # `python -c` cannot be re-imported by spawn
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"device: {device.type} | usable CPU cores: {cores}")
    ds = SlowDataset(32)
    rates = {}
    for workers in (0, 2, 4):
        kwargs = {"multiprocessing_context": ctx} if workers else {}
        loader = DataLoader(ds, batch_size=8, num_workers=workers, **kwargs)
        secs, n = epoch_time(loader)
        rates[workers] = n / secs
        print(f"num_workers={workers}: {n} samples in {secs:.3f}s -> {n / secs:6.0f} samples/s"
              f" | prefetch_factor={loader.prefetch_factor}")
    print("fastest here: num_workers =", max(rates, key=rates.get),
          "(CPU-bound work scales only up to the free cores; start-up cost eats small epochs)")

    print("-- three short epochs: restarting workers vs persistent_workers=True --")
    for persistent in (False, True):
        loader = DataLoader(range(16), batch_size=4, num_workers=2, persistent_workers=persistent,
                            multiprocessing_context=ctx)
        total = sum(epoch_time(loader)[0] for _ in range(3))
        print(f"persistent_workers={persistent}: {total:.3f}s")

    print("-- every worker gets its own seed (torch, random and numpy are reseeded per worker) --")
    loader = DataLoader(ds, batch_size=None, num_workers=2, multiprocessing_context=ctx,
                        generator=torch.Generator().manual_seed(0))
    draws = [round(float(sample[1]), 3) for _, sample in zip(range(4), loader)]
    print("np.random draws from samples 0-3 (workers alternate):", draws, "| all distinct:", len(set(draws)) == 4)
