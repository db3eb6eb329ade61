# framework: pytorch
"""Map-style and iterable datasets, and what DataLoader adds: batching, shuffling, worker processes."""
import multiprocessing as mp
import os

import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset, get_worker_info

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class SquaresDataset(Dataset):
    """Map-style: __len__ + __getitem__(idx). Heavy resources are opened lazily, once per process."""

    def __init__(self, n):
        self.n = n
        self.handle = None  # e.g. a file, LMDB env or HDF5 file; never opened in __init__

    def __len__(self):
        return self.n

    def __getitem__(self, idx):
        if self.handle is None:
            self.handle = f"opened in pid {os.getpid()}"
        x = torch.tensor([float(idx)])
        return x, x ** 2  # per-sample transform happens here


class RangeStream(IterableDataset):
    """Iterable-style: __iter__ only. Shards by worker id when `shard` is True."""

    def __init__(self, n, shard):
        self.n, self.shard = n, shard

    def __iter__(self):
        info = get_worker_info()
        if self.shard and info is not None:
            return iter(range(info.id, self.n, info.num_workers))
        return iter(range(self.n))


def worker_pid(_):
    return os.getpid()


if __name__ == "__main__":  # required where workers are spawned (Windows, macOS)
    # This file is run with `python -c`, which spawn/forkserver cannot re-import; use fork where it exists.
    ctx = "fork" if "fork" in mp.get_all_start_methods() else None
    print(f"device: {device.type}")
    ds = SquaresDataset(10)
    print("len:", len(ds), "| ds[3]:", ds[3])

    g = torch.Generator().manual_seed(0)
    loader = DataLoader(ds, batch_size=4, shuffle=True, generator=g, drop_last=False)
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)  # DataLoader gives CPU tensors; move them here
        print("batch x:", xb.flatten().tolist(), "-> y:", yb.flatten().tolist())

    pids = DataLoader(range(4), batch_size=1, num_workers=2, collate_fn=worker_pid, multiprocessing_context=ctx)
    seen = set(pids)
    print("workers are separate processes:", os.getpid() not in seen, "| distinct worker pids:", len(seen))

    dup = DataLoader(RangeStream(6, shard=False), batch_size=None, num_workers=2, multiprocessing_context=ctx)
    ok = DataLoader(RangeStream(6, shard=True), batch_size=None, num_workers=2, multiprocessing_context=ctx)
    print("IterableDataset, no sharding:", sorted(int(v) for v in dup))
    print("IterableDataset, sharded    :", sorted(int(v) for v in ok))
