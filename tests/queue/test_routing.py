"""Routing while workers start: a job sent before any worker registered is run, never lost."""

from __future__ import annotations

import uuid

import pytest

from executor.client import ExecutorClient
from executor.jobs import Job
from executor.protocol import Limits
from executor.worker import ExecutorWorker, WorkerConfig


async def test_a_gpu_worker_that_starts_late_also_runs_jobs_routed_to_cpu(
    queue_url: str, namespace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The case: `--device auto`, the only worker (cuda:0) still starting -> the job goes to
    # the cpu queue, which a GPU worker must serve too. (On a host without a GPU it runs on CPU.)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")  # the worker sets it; restored after the test
    job = Job(
        id=uuid.uuid4().hex,
        code="print('ran')",
        framework="python",
        device="auto",
        limits=Limits(wall_s=20),
        requester="m1",
    )
    client = ExecutorClient(queue_url, namespace=namespace)  # the default 30 s pickup deadline
    await client.connect()
    await client.submit(job)
    assert await client.workers_online("gpu") == 0
    config = WorkerConfig(
        queue_url=queue_url, device="cuda:0", namespace=namespace, grace_s=5.0, warm=("python",), name="gpu-w"
    )
    worker = ExecutorWorker(config)
    await worker.start()
    try:
        result = await client.result(job.id, timeout=120)
    finally:
        await worker.stop()
        await client.close()
    assert (result.status, result.result.stdout) == ("ok", "ran\n"), result
    assert result.worker == "gpu-w"
    assert result.result.device == "cpu"
