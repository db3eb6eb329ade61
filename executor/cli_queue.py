"""`python -m executor worker` and `python -m executor submit`: the queue's command-line ends."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import time
import uuid
from pathlib import Path

from executor.client import ExecutorClient
from executor.demos import load_demo
from executor.gpu_fence import DEFAULT_CAP_GIB, FENCES
from executor.jobs import Job, Rejected
from executor.protocol import Limits
from executor.queue import DEFAULT_NAMESPACE
from executor.worker import ExecutorWorker, WorkerConfig

log = logging.getLogger(__name__)


def add_worker_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("worker", help="consume jobs from a queue and run them sandboxed")
    p.add_argument(
        "--queue",
        default=os.environ.get("BACKPROP_QUEUE_URL"),
        help="sqlite:///PATH or redis://HOST:PORT/DB (default: $BACKPROP_QUEUE_URL)",
    )
    p.add_argument("--concurrency", type=int, default=1)
    p.add_argument("--device", default="cpu", help="cpu or cuda:N")
    p.add_argument("--name", default=None, help="worker name (default: host-pid)")
    p.add_argument("--health-port", type=int, default=None, help="serve /health and /metrics on this port")
    p.add_argument("--grace", type=float, default=60.0, help="seconds to let running jobs finish on SIGTERM")
    p.add_argument("--warm", default="torch,python", help="pools to start before the first job (comma list)")
    p.add_argument(
        "--gpu-memory-cap",
        type=float,
        default=DEFAULT_CAP_GIB,
        metavar="GIB",
        help=f"GPU memory each CUDA job may use, in GiB (default {DEFAULT_CAP_GIB:g}; enforced through CUDA MPS)",
    )
    p.add_argument(
        "--gpu-fence",
        choices=FENCES,
        default="auto",
        help="how the cap is enforced: auto (MPS where available, else one CUDA job at a time), mps, none",
    )
    p.add_argument("--namespace", default=DEFAULT_NAMESPACE, help=argparse.SUPPRESS)
    p.set_defaults(func=worker_main)


def add_submit_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("submit", help="submit jobs, wait, print one JSON result per job")
    p.add_argument(
        "--queue",
        default=os.environ.get("BACKPROP_QUEUE_URL"),
        help="sqlite:///PATH or redis://HOST:PORT/DB (default: $BACKPROP_QUEUE_URL)",
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--code-file", type=Path)
    source.add_argument("--demo")
    p.add_argument("--framework", default=None, choices=["torch", "pytorch", "tensorflow", "python"])
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("--timeout", type=float, default=None, help="the job's wall-time limit in seconds")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--json", action="store_true", help="one JSON object per job (the default output)")
    p.add_argument("--namespace", default=DEFAULT_NAMESPACE, help=argparse.SUPPRESS)
    p.set_defaults(func=submit_main)


def worker_main(args: argparse.Namespace) -> int:
    if not args.queue:
        sys.stderr.write("worker: give --queue URL or set BACKPROP_QUEUE_URL\n")
        return 2
    if args.concurrency < 1:
        sys.stderr.write("worker: --concurrency must be at least 1\n")
        return 2
    if not (args.device == "cpu" or args.device.startswith("cuda")):
        sys.stderr.write("worker: --device must be cpu or cuda:N\n")
        return 2
    if args.gpu_memory_cap < 0:
        sys.stderr.write("worker: --gpu-memory-cap must be 0 (no cap) or a positive number of GiB\n")
        return 2
    config = WorkerConfig(
        queue_url=args.queue,
        concurrency=args.concurrency,
        device=args.device,
        health_port=args.health_port,
        grace_s=args.grace,
        namespace=args.namespace,
        warm=tuple(f for f in args.warm.split(",") if f),
        gpu_memory_cap_gib=args.gpu_memory_cap,
        gpu_fence=args.gpu_fence,
        **({"name": args.name} if args.name else {}),
    )
    return asyncio.run(_serve(config))


async def _serve(config: WorkerConfig) -> int:
    worker = ExecutorWorker(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await worker.start()
    await stop.wait()
    await worker.stop()
    return 0


def _job_source(args: argparse.Namespace) -> tuple[str, str, float, str | None]:
    if args.demo:
        source, framework, timeout = load_demo(args.demo)
        return source, args.framework or framework, args.timeout or timeout, args.demo
    return args.code_file.read_text(encoding="utf-8"), args.framework or "python", args.timeout or 30, None


def submit_main(args: argparse.Namespace) -> int:
    if not args.queue:
        sys.stderr.write("submit: give --queue URL or set BACKPROP_QUEUE_URL\n")
        return 2
    try:
        code, framework, wall_s, demo = _job_source(args)
    except (FileNotFoundError, KeyError, ValueError) as exc:
        sys.stderr.write(f"submit: {exc}\n")
        return 2
    return asyncio.run(
        _submit(args.queue, code, framework, wall_s, demo, args.device, args.repeat, args.namespace)
    )


async def _submit(
    url: str,
    code: str,
    framework: str,
    wall_s: float,
    demo: str | None,
    device: str,
    repeat: int,
    namespace: str,
) -> int:
    client = ExecutorClient(url, namespace=namespace)
    await client.connect()
    failures = 0
    try:
        for _ in range(repeat):
            job = Job(
                id=uuid.uuid4().hex,
                code=code,
                framework=framework,
                device=device,  # type: ignore[arg-type]
                limits=Limits(wall_s=wall_s),
                requester="cli",
                demo=demo,
            )
            started = time.perf_counter()
            try:
                result = await client.run(job)
            except Rejected as exc:
                sys.stdout.write(
                    json.dumps(
                        {"job_id": job.id, "status": "rejected", "reason": exc.reason, "message": str(exc)}
                    )
                    + "\n"
                )
                failures += 1
                continue
            latency = time.perf_counter() - started
            row = {
                **result.result.to_dict(),
                "job_id": job.id,
                "queue_wait_s": result.queue_wait_s,
                "worker": result.worker,
                "attempts": result.attempts,
                "latency_s": round(latency, 4),
            }
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            sys.stdout.flush()
            failures += result.status != "ok"
    finally:
        await client.close()
    return 1 if failures else 0
