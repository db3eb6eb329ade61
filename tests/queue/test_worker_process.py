"""Workers as real processes: SIGKILL mid-job, SIGTERM, and the submit command."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import aiohttp

from executor.client import ClientLimits, ExecutorClient
from executor.jobs import Job
from executor.protocol import Limits
from tests.conftest import REPO


def spawn_worker(queue_url: str, namespace: str, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "executor",
            "worker",
            "--queue",
            queue_url,
            "--namespace",
            namespace,
            "--name",
            name,
            "--warm",
            "python",
            "--grace",
            "10",
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def sleeper(seconds: float, requester: str = "m") -> Job:
    return Job(
        id=uuid.uuid4().hex,
        framework="python",
        device="cpu",
        limits=Limits(wall_s=30),
        requester=requester,
        code=f"import time\nprint('start', flush=True)\ntime.sleep({seconds})\nprint('end')",
    )


async def wait_running(client: ExecutorClient, job_id: str) -> str:
    async for event in client.events(job_id, timeout=90):
        if event.state == "running" and event.worker:
            return event.worker
    raise AssertionError("the job never ran")


async def test_a_worker_killed_mid_job_hands_it_to_another(queue_url: str, namespace: str) -> None:
    client = ExecutorClient(queue_url, ClientLimits(retries=2, pickup_deadline_s=60), namespace=namespace)
    await client.connect()
    first = spawn_worker(queue_url, namespace, "first")
    second = None
    try:
        job = sleeper(3)
        await client.submit(job)
        assert await wait_running(client, job.id) == "first"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        second = spawn_worker(queue_url, namespace, "second")
        result = await client.result(job.id, timeout=120)
        assert result.status == "ok", result
        assert result.worker == "second"
        assert result.attempts == 2
        assert "end" in result.result.stdout
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
        await client.close()


async def test_a_killed_job_with_no_retry_left_is_reported_lost(queue_url: str, namespace: str) -> None:
    client = ExecutorClient(queue_url, ClientLimits(retries=1, pickup_deadline_s=60), namespace=namespace)
    await client.connect()
    worker = spawn_worker(queue_url, namespace, "doomed")
    try:
        job = sleeper(30)
        await client.submit(job)
        await wait_running(client, job.id)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        result = await client.result(job.id, timeout=120)  # the client sweeps when no worker does
        assert result.status == "worker_lost"
        assert "stopped answering" in result.result.stderr
    finally:
        if worker.poll() is None:
            worker.kill()
        await client.close()


async def test_sigterm_lets_the_running_job_finish(queue_url: str, namespace: str) -> None:
    client = ExecutorClient(queue_url, namespace=namespace)
    await client.connect()
    worker = spawn_worker(queue_url, namespace, "polite")
    try:
        job = sleeper(2)
        await client.submit(job)
        await wait_running(client, job.id)
        worker.send_signal(signal.SIGTERM)
        result = await client.result(job.id, timeout=60)
        assert result.status == "ok"
        assert worker.wait(timeout=30) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
        await client.close()


async def test_submit_prints_one_json_result_per_job(queue_url: str, namespace: str, tmp_path: Path) -> None:
    code = tmp_path / "job.py"
    code.write_text("print('from submit')\n")
    worker = spawn_worker(queue_url, namespace, "cli")
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "executor",
            "submit",
            "--queue",
            queue_url,
            "--namespace",
            namespace,
            "--code-file",
            str(code),
            "--framework",
            "python",
            "--device",
            "cpu",
            "--repeat",
            "2",
            "--json",
            cwd=REPO,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        out, err = await asyncio.wait_for(proc.communicate(), 120)
        assert proc.returncode == 0, err.decode()
        rows = [json.loads(line) for line in out.decode().splitlines()]
        assert len(rows) == 2
        for row in rows:
            assert row["status"] == "ok" and row["stdout"] == "from submit\n"
            assert row["latency_s"] >= row["queue_wait_s"] >= 0
            assert row["worker"] == "cli"
    finally:
        worker.kill()


async def test_health_and_metrics_endpoints(client: ExecutorClient, worker) -> None:
    await client.run(Job(id=uuid.uuid4().hex, code="print(1)", framework="python", device="cpu"), timeout=60)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{worker.health_url}/health") as response:
            assert response.status == 200
            assert (await response.json())["ok"] is True
        async with session.get(f"{worker.health_url}/metrics") as response:
            assert 'backprop_worker_jobs_total{status="ok"} 1' in await response.text()
