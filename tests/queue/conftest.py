"""Real queues for the tests: a SQLite file per test, and Redis (the local one, or one we start)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis

from executor.client import ClientLimits, ExecutorClient
from executor.worker import ExecutorWorker, WorkerConfig


def _answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """127.0.0.1:6379 when it answers; otherwise Debian's redis-server on a free port."""
    local = "redis://127.0.0.1:6379/0"
    if _answers(local):
        yield local
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no Redis on 127.0.0.1:6379 and no redis-server to start (make setup installs it)")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while not _answers(url):
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("redis-server did not start")
        time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(params=["sqlite", "redis"])
def queue_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'queue.db'}"
    return request.getfixturevalue("redis_url")


@pytest.fixture
def namespace() -> str:
    """Each test has its own queue names, so tests sharing one Redis never see each other's jobs."""
    return f"t{uuid.uuid4().hex[:10]}-"


@pytest.fixture
async def client(queue_url: str, namespace: str) -> AsyncIterator[ExecutorClient]:
    c = ExecutorClient(queue_url, ClientLimits(pickup_deadline_s=3.0), namespace=namespace)
    await c.connect()
    yield c
    await c.close()


@pytest.fixture
def start_worker(queue_url: str, namespace: str):
    workers: list[ExecutorWorker] = []

    async def start(concurrency: int = 1, name: str | None = None) -> ExecutorWorker:
        # The jobs here are plain Python: warming the torch pool would only cost time.
        config = WorkerConfig(
            queue_url=queue_url,
            concurrency=concurrency,
            namespace=namespace,
            grace_s=5.0,
            health_port=0,
            warm=("python",),
            **({"name": name} if name else {}),
        )
        worker = ExecutorWorker(config)
        await worker.start()
        workers.append(worker)
        return worker

    yield start
    # Stopped by the async fixture below; kept in a list so a failing test still cleans up.
    start.workers = workers  # type: ignore[attr-defined]


@pytest.fixture
async def worker(start_worker) -> AsyncIterator[ExecutorWorker]:
    w = await start_worker()
    yield w
    await w.stop()
