"""Both backends through the client and real workers: order, idempotency, cancel, timeout, limits."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from executor.client import ClientLimits, ExecutorClient
from executor.jobs import Job, Rejected
from executor.protocol import Limits


def job(
    code: str, *, requester: str = "m1", wall_s: float = 20, priority: int = 0, job_id: str | None = None
) -> Job:
    return Job(
        id=job_id or uuid.uuid4().hex,
        code=code,
        framework="python",
        device="cpu",
        limits=Limits(wall_s=wall_s),
        requester=requester,
        priority=priority,
    )


async def test_a_job_runs_and_reports_where_and_how_long(client: ExecutorClient, worker) -> None:
    result = await client.run(job("print(6 * 7)"), timeout=60)
    assert result.status == "ok"
    assert result.result.stdout.strip() == "42"
    assert result.worker == worker.config.name
    assert result.queue_wait_s >= 0
    assert result.result.device == "cpu"


async def _start_order(client: ExecutorClient, start_worker, jobs: list[Job]) -> list[str]:
    """Submit all, then start one single-slot worker; return job ids in the order they started."""
    submitted = {}
    for j in jobs:
        submitted[j.id] = time.time()
        await client.submit(j)
    w = await start_worker(concurrency=1)
    try:
        results = {j.id: await client.result(j.id, timeout=60) for j in jobs}
    finally:
        await w.stop()
    assert all(r.status == "ok" for r in results.values()), results
    return sorted(results, key=lambda i: submitted[i] + results[i].queue_wait_s)


async def test_jobs_run_in_submission_order(client: ExecutorClient, start_worker) -> None:
    jobs = [job(f"print({i})", requester=f"m{i}") for i in range(4)]
    assert await _start_order(client, start_worker, jobs) == [j.id for j in jobs]


async def test_sqlite_runs_higher_priority_first(
    client: ExecutorClient, start_worker, queue_url: str
) -> None:
    if not queue_url.startswith("sqlite"):
        pytest.skip("SAQ's Redis queue has no priorities; only the embedded queue orders by priority")
    normal = [job(f"print({i})", requester=f"m{i}") for i in range(2)]
    urgent = job("print('urgent')", requester="boss", priority=-1)
    order = await _start_order(client, start_worker, [*normal, urgent])
    assert order == [urgent.id, *(j.id for j in normal)]


async def test_resubmitting_the_same_id_runs_it_once(client: ExecutorClient, worker) -> None:
    first = job("import random; print(random.random())", job_id="interaction-123")
    again = job("print('a different body')", job_id="interaction-123")
    await client.submit(first)
    await client.submit(again)
    result = await client.result(first.id, timeout=60)
    await client.submit(again)
    assert (await client.result(first.id, timeout=60)).result.stdout == result.result.stdout
    assert "different" not in result.result.stdout
    assert worker.metrics.completed == 1


async def test_cancel_a_queued_job(client: ExecutorClient) -> None:
    queued = job("print('never')")
    await client.submit(queued)
    assert await client.cancel(queued.id)
    result = await client.result(queued.id, timeout=30)
    assert result.status == "cancelled"


async def test_cancel_a_running_job_stops_it(client: ExecutorClient, worker) -> None:
    slow = job("import time\nprint('started', flush=True)\ntime.sleep(30)\nprint('finished')")
    await client.submit(slow)
    async for event in client.events(slow.id, timeout=60):
        if event.state == "running":
            await asyncio.sleep(0.5)
            assert await client.cancel(slow.id)
        if event.result is not None:
            assert event.result.status == "cancelled"
            break
    result = await client.result(slow.id, timeout=30)
    assert result.status == "cancelled"
    after = await client.run(job("print('next')", requester="m2"), timeout=60)
    assert after.status == "ok"


async def test_a_job_past_its_wall_time_ends_as_timeout(client: ExecutorClient, worker) -> None:
    result = await client.run(job("while True: pass", wall_s=1), timeout=60)
    assert result.status == "timeout"


async def test_events_report_queue_position_then_running_then_done(
    client: ExecutorClient, start_worker
) -> None:
    first, second = job("print(1)", requester="a"), job("print(2)", requester="b")
    await client.submit(first)
    await client.submit(second)
    events = []
    w = None
    async for event in client.events(second.id, timeout=60):
        events.append(event)
        if w is None:
            w = await start_worker()
    await w.stop()
    states = [e.state for e in events]
    assert states[0] == "queued" and events[0].position == 2
    assert states[-1] == "done" and events[-1].result is not None and events[-1].result.status == "ok"


async def test_member_limit_and_queue_cap_refuse_clearly(queue_url: str, namespace: str) -> None:
    client = ExecutorClient(
        queue_url, ClientLimits(per_member_incomplete=3, queue_cap=5), namespace=namespace
    )
    await client.connect()
    try:
        for _ in range(3):
            await client.submit(job("print(1)", requester="greedy"))
        with pytest.raises(Rejected) as info:
            await client.submit(job("print(1)", requester="greedy"))
        assert info.value.reason == "member_limit"
        await client.submit(job("print(1)", requester="other1"))
        await client.submit(job("print(1)", requester="other2"))
        with pytest.raises(Rejected) as info:
            await client.submit(job("print(1)", requester="other3"))
        assert info.value.reason == "queue_full"
    finally:
        await client.close()


async def test_no_worker_online_becomes_worker_lost_not_a_silent_wait(client: ExecutorClient) -> None:
    result = await client.run(job("print(1)"), timeout=60)
    assert result.status == "worker_lost"
    assert "No executor is online" in result.result.stderr


async def test_a_restarted_client_still_gets_the_result(queue_url: str, namespace: str, worker) -> None:
    first = ExecutorClient(queue_url, namespace=namespace)
    await first.connect()
    submitted = job("import time; time.sleep(1); print('survived')")
    await first.submit(submitted)
    await first.close()
    second = ExecutorClient(queue_url, namespace=namespace)
    await second.connect()
    try:
        result = await second.result(submitted.id, timeout=60)
    finally:
        await second.close()
    assert result.status == "ok"
    assert "survived" in result.result.stdout


async def test_following_a_job_reads_it_on_changes_not_in_a_loop(
    client: ExecutorClient, worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client wakes on the queue's notifications: a job that sleeps half a second is read a few times
    (each state change, plus one safety re-read per SAFETY_S), where a 25 ms poll read it twenty."""
    from executor import client as client_module

    reads = 0
    queues = list(client.queues.values())
    originals = {id(q): q.job for q in queues}

    def counting(queue):
        async def job(key: str):
            nonlocal reads
            reads += 1
            return await originals[id(queue)](key)

        return job

    for queue in queues:
        monkeypatch.setattr(queue, "job", counting(queue))
    submitted = job("import time; time.sleep(0.5); print('done')")
    await client.submit(submitted)
    reads = 0
    started = time.monotonic()
    events = [event async for event in client.events(submitted.id, timeout=60)]
    elapsed = time.monotonic() - started
    assert events[-1].result is not None and events[-1].result.status == "ok"
    # One read per queue to find the job, one per change (queued, running, done), one per safety tick.
    allowed = len(queues) + 4 + int(elapsed / client_module.SAFETY_S) + 1
    assert reads <= allowed, (reads, allowed, elapsed)
