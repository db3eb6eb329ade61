# framework: pytorch
# timeout: 30
"""Why distributed jobs hang, and the tools that turn a silent hang into an error (gloo, 2 CPU processes).

A: uneven data -> rank 0 enters a collective that rank 1 never joins. With a short timeout it
   fails after 1.5 s; with the default (30 min for gloo, 10 min for NCCL) it would look frozen.
B: dist.monitored_barrier (gloo only) names the rank that did not arrive.
C: the fix: agree on the number of steps first, so every rank issues the same collectives.
"""
import datetime
import os
import socket
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def seconds(s):
    return datetime.timedelta(seconds=s)


def worker(rank, world, port):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=world, timeout=seconds(20))
    group_a = dist.new_group(timeout=seconds(1.5))  # separate groups so a failure in A stays in A
    group_b = dist.new_group(timeout=seconds(10))
    if rank == 0:
        print("device: cpu (gloo backend, 2 processes)", flush=True)
    n_batches = 3 if rank == 0 else 2  # e.g. an unevenly split dataset

    # A: the bug
    start = time.monotonic()
    try:
        for step in range(n_batches):
            dist.all_reduce(torch.ones(1), group=group_a)  # stands in for DDP's gradient all-reduce
        print(f"[A] rank {rank}: finished its {n_batches} steps and moved on", flush=True)
    except RuntimeError as err:
        waited = time.monotonic() - start
        print(f"[A] rank {rank}: all_reduce at step {step} timed out (waited ~{waited:.1f} s in total),"
              f" error mentions timeout: {'Timed out' in str(err)}", flush=True)
    dist.barrier()  # the default group is still healthy: line the ranks up again

    # B: find the missing rank
    if rank == 0:
        try:
            dist.monitored_barrier(group=group_b, timeout=seconds(0.5))
        except RuntimeError as err:
            print("[B] rank 0 reports:", str(err).strip().splitlines()[0], flush=True)
    else:
        time.sleep(1.0)  # rank 1 is "stuck" elsewhere and never reaches the barrier
    dist.barrier()

    # C: the fix
    steps = torch.tensor([n_batches])
    dist.all_reduce(steps, op=dist.ReduceOp.MIN)
    for _ in range(int(steps)):
        dist.all_reduce(torch.ones(1))
    dist.barrier()
    if rank == 0:
        print(f"[C] both ranks agreed on {int(steps)} steps and finished without a hang", flush=True)
    dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    # A script file would use mp.spawn (or torchrun). This demo may run via `python -c`, where
    # spawn cannot re-import `worker`, so it forks; fork is only safe before CUDA is initialised.
    mp.start_processes(worker, args=(2, free_port()), nprocs=2, join=True, start_method="fork")
