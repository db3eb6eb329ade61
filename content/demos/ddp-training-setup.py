# framework: pytorch
# timeout: 30
"""DDP on two CPU processes (gloo): DistributedSampler + set_epoch, gradient all-reduce, rank-0 saving.

torchrun would normally start the processes and set RANK/WORLD_SIZE/MASTER_*; here
torch.multiprocessing starts them so the demo is self-contained. On GPUs you would use backend="nccl", call
torch.cuda.set_device(local_rank) and wrap DDP(model.to(local_rank), device_ids=[local_rank]).
"""
import datetime
import os
import socket
import tempfile

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

WORLD, PER_RANK_BATCH, EPOCHS, LR = 2, 4, 2, 0.1


def make_data():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(16, 3, generator=g)
    return TensorDataset(x, x @ torch.tensor([[1.0], [-2.0], [0.5]]))


def worker(rank, port, out_dir):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    # A short timeout turns a stuck collective into an error instead of a silent hang.
    dist.init_process_group("gloo", rank=rank, world_size=WORLD, timeout=datetime.timedelta(seconds=20))
    torch.manual_seed(100 + rank)  # deliberately different init on each rank...
    model = torch.nn.Linear(3, 1)
    ddp = DDP(model)  # ...DDP broadcasts rank 0's parameters at construction
    init = {k: v.clone() for k, v in model.state_dict().items()}
    w0 = [torch.zeros(3) for _ in range(WORLD)]
    dist.all_gather(w0, model.weight.detach().flatten())
    if rank == 0:
        print("device: cpu (gloo backend, 2 processes)")
        print("identical weights on both ranks after DDP(...):", torch.equal(w0[0], w0[1]))

    data = make_data()
    sampler = DistributedSampler(data, num_replicas=WORLD, rank=rank, shuffle=True, seed=0)
    loader = DataLoader(data, batch_size=PER_RANK_BATCH, sampler=sampler)  # no shuffle=True here
    opt = torch.optim.SGD(ddp.parameters(), lr=LR)
    for epoch in range(EPOCHS):
        sampler.set_epoch(epoch)  # new shuffle each epoch, same on every rank
        for x, y in loader:
            loss = torch.nn.functional.mse_loss(ddp(x), y)
            opt.zero_grad()
            loss.backward()  # gradients are averaged across ranks here (bucketed all-reduce)
            opt.step()
        shards = [None] * WORLD
        dist.all_gather_object(shards, list(sampler))
        if rank == 0:
            print(f"epoch {epoch}: rank 0 ids {sorted(shards[0])}, rank 1 ids {sorted(shards[1])}")

    if rank == 0:
        print(f"global batch = {PER_RANK_BATCH} per rank x {WORLD} ranks = {PER_RANK_BATCH * WORLD}")
        torch.save(ddp.module.state_dict(), os.path.join(out_dir, "ckpt.pt"))  # only rank 0 saves
        # Reference: ONE process, same global batches (both ranks' shards together), same lr.
        ref = torch.nn.Linear(3, 1)
        ref.load_state_dict(init)
        ref_opt = torch.optim.SGD(ref.parameters(), lr=LR)
        for epoch in range(EPOCHS):
            shards = []
            for r in range(WORLD):
                s = DistributedSampler(data, num_replicas=WORLD, rank=r, shuffle=True, seed=0)
                s.set_epoch(epoch)
                shards.append(list(s))
            for step in range(len(shards[0]) // PER_RANK_BATCH):
                idx = [i for sh in shards for i in sh[step * PER_RANK_BATCH:(step + 1) * PER_RANK_BATCH]]
                x, y = data[idx]
                ref_opt.zero_grad()
                torch.nn.functional.mse_loss(ref(x), y).backward()
                ref_opt.step()
        same = torch.allclose(ref.weight, model.weight, atol=1e-6)
        print("DDP result == single process on the global batch:", same)
    dist.barrier()  # rank 1 waits until rank 0 has written the checkpoint
    if rank == 1:
        print("rank 1 sees checkpoint:", os.path.exists(os.path.join(out_dir, "ckpt.pt")))
    # Leave together: rank 0 hosts the TCPStore, and a rank that is still working when rank 0 has
    # already torn down can wait on the store until its timeout. DDP holds the process group too:
    # drop it first, while every rank is still here, or its clean-up can wait for a rank that left.
    del ddp, opt
    dist.barrier()
    dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        # A script file would use mp.spawn (or torchrun). This demo may run via `python -c`, where
        # spawn cannot re-import `worker`, so it forks; fork is only safe before CUDA is initialised.
        mp.start_processes(worker, args=(free_port(), tmp), nprocs=WORLD, join=True, start_method="fork")
