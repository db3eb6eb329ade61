"""The client API the bot uses: submit (idempotent), follow status events, cancel, get the result.

It never runs code itself. Backpressure (per member and in total) refuses work up front with a
clear reason, and a watchdog turns "nobody picked this up" or "its worker died" into a
`worker_lost` result instead of a silent wait.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from saq.job import Job as SaqJob
from saq.job import Status
from saq.queue.base import Queue

from executor.jobs import Job, JobEvent, JobResult, Rejected
from executor.protocol import RunResult
from executor.queue import DEFAULT_NAMESPACE, QUEUE_NAMES, open_queue, position, queue_name
from executor.queue.follow import follow

log = logging.getLogger(__name__)

RESULT_TTL_S = 24 * 3600
# Between notifications the client re-reads a followed job at most this often: the watchdog's clock,
# and a safety net for a notification a backend could not deliver.
SAFETY_S = 1.0
INCOMPLETE = [Status.NEW, Status.QUEUED, Status.ACTIVE, Status.ABORTING]


@dataclass(frozen=True, slots=True)
class ClientLimits:
    per_member_incomplete: int = 3  # one running and two queued
    queue_cap: int = 100
    pickup_deadline_s: float = 30.0  # no worker took it by then: "no executor online"
    retries: int = 2  # a job whose worker dies is run once more, then reported worker_lost


def _lost(job_id: str, message: str, waited: float = 0.0) -> JobResult:
    result = RunResult.from_dict(
        {
            "status": "worker_lost",
            "exit_code": None,
            "stdout": "",
            "stderr": message,
            "truncated": False,
            "duration_s": 0.0,
            "device": "none",
            "artifacts": [],
        }
    )
    return JobResult(job_id=job_id, result=result, queue_wait_s=waited, worker="none", attempts=0)


def _cancelled(job_id: str) -> JobResult:
    result = RunResult.from_dict(
        {
            "status": "cancelled",
            "exit_code": None,
            "stdout": "",
            "stderr": "cancelled",
            "truncated": False,
            "duration_s": 0.0,
            "device": "none",
            "artifacts": [],
        }
    )
    return JobResult(job_id=job_id, result=result, queue_wait_s=0.0, worker="none", attempts=0)


class ExecutorClient:
    def __init__(
        self, url: str, limits: ClientLimits | None = None, namespace: str = DEFAULT_NAMESPACE
    ) -> None:
        self.url = url
        self.limits = limits or ClientLimits()
        self.queues: dict[str, Queue] = {
            kind: open_queue(url, queue_name(kind, namespace)) for kind in QUEUE_NAMES
        }

    async def connect(self) -> None:
        for queue in self.queues.values():
            await queue.connect()

    async def close(self) -> None:
        for queue in self.queues.values():
            await queue.disconnect()

    async def workers_online(self, queue_name: str) -> int:
        info = await self.queues[queue_name].info()
        return len(info["workers"])

    async def _route(self, job: Job) -> str:
        if job.device == "cpu":
            return "cpu"
        if job.device == "cuda" or await self.workers_online("gpu"):
            return "gpu"
        return "cpu"

    async def _find(self, job_id: str, first: Queue | None = None) -> tuple[Queue, SaqJob] | None:
        """The job and its queue; `first` is tried before the others (a job never changes queue)."""
        queues = list(self.queues.values())
        if first is not None:
            queues.sort(key=lambda q: q is not first)
        for queue in queues:
            found = await queue.job(job_id)
            if found is not None:
                return queue, found
        return None

    async def _check_backpressure(self, job: Job) -> None:
        total = 0
        mine = 0
        for queue in self.queues.values():
            async for other in queue.iter_jobs(INCOMPLETE):
                total += 1
                if (other.meta or {}).get("requester") == job.requester:
                    mine += 1
        if mine >= self.limits.per_member_incomplete:
            raise Rejected("member_limit", jobs=mine)
        if total >= self.limits.queue_cap:
            raise Rejected("queue_full", jobs=total)

    async def submit(self, job: Job) -> str:
        """Queue a job once: a second submit with the same id returns the same job."""
        if await self._find(job.id) is not None:
            return job.id
        await self._check_backpressure(job)
        queue = self.queues[await self._route(job)]
        enqueued = await queue.enqueue(
            "run_job",
            key=job.id,
            job=job.to_dict(),
            timeout=int(job.limits.wall_s) + 30,
            heartbeat=6,
            retries=self.limits.retries,
            ttl=RESULT_TTL_S,
            priority=job.priority,
            meta={"requester": job.requester, "submitted": time.time()},
        )
        log.info("submitted %s to %s%s", job.id, queue.name, "" if enqueued else " (already there)")
        return job.id

    async def cancel(self, job_id: str) -> bool:
        found = await self._find(job_id)
        if found is None:
            return False
        queue, saq_job = found
        if saq_job.status in (Status.COMPLETE, Status.FAILED, Status.ABORTED):
            return False
        await queue.abort(saq_job, "cancelled")
        return True

    async def events(self, job_id: str, timeout: float | None = None) -> AsyncIterator[JobEvent]:
        """Status changes until the job is done; the last event carries the result.

        Event-driven: the job is re-read when its queue says it changed (see executor/queue/follow.py),
        or every SAFETY_S for the watchdog; a dead worker's lease is swept by the workers, not here.
        """
        deadline = time.monotonic() + timeout if timeout else None
        found = await self._find(job_id)
        if found is None:
            yield JobEvent(job_id, "done", result=_lost(job_id, "The job is unknown or its result expired."))
            return
        queue = found[0]
        follower = follow(queue, job_id)
        try:
            await follower.start()
            async for event in self._follow(queue, job_id, follower, deadline):
                yield event
        finally:
            await follower.close()

    async def _follow(
        self, queue: Queue, job_id: str, follower, deadline: float | None
    ) -> AsyncIterator[JobEvent]:
        last: tuple | None = None
        waiting_since = time.monotonic()
        while True:
            saq_job = await queue.job(job_id)
            if saq_job is None:
                yield JobEvent(
                    job_id, "done", result=_lost(job_id, "The job is unknown or its result expired.")
                )
                return
            event = await self._event(queue, saq_job)
            key = (event.state, event.position, event.device)
            if key != last:
                last = key
                yield event
            if event.state == "done":
                return
            if await self._nobody_home(queue, waiting_since):
                # Queued with no worker to take it, or running on a worker that died with no other to sweep it.
                await queue.abort(saq_job, "no executor online")
                message = (
                    "No executor is online to run this; try again later."
                    if event.state == "queued"
                    else "The worker running this job stopped answering and no other executor is online."
                )
                yield JobEvent(job_id, "done", result=_lost(job_id, message))
                return
            if deadline is not None and time.monotonic() > deadline:
                yield JobEvent(job_id, "done", result=_lost(job_id, "No result before the deadline."))
                return
            await follower.wait(SAFETY_S)

    async def _nobody_home(self, queue: Queue, queued_since: float) -> bool:
        if time.monotonic() - queued_since < self.limits.pickup_deadline_s:
            return False
        return not (await queue.info())["workers"]

    async def _event(self, queue: Queue, saq_job: SaqJob) -> JobEvent:
        meta = saq_job.meta or {}
        if saq_job.status in (Status.NEW, Status.QUEUED):
            return JobEvent(saq_job.key, "queued", position=await position(queue, saq_job.key))
        if saq_job.status in (Status.ACTIVE, Status.ABORTING):
            return JobEvent(saq_job.key, "running", device=meta.get("device"), worker=meta.get("worker"))
        return JobEvent(
            saq_job.key,
            "done",
            device=meta.get("device"),
            worker=meta.get("worker"),
            result=self._result_of(saq_job),
        )

    @staticmethod
    def _result_of(saq_job: SaqJob) -> JobResult:
        if saq_job.status == Status.COMPLETE and isinstance(saq_job.result, dict):
            return JobResult.from_dict(saq_job.result)
        if saq_job.status == Status.ABORTED and saq_job.error == "cancelled":
            return _cancelled(saq_job.key)
        if saq_job.status == Status.ABORTED and saq_job.error == "no executor online":
            return _lost(saq_job.key, "No executor is online to run this; try again later.")
        if saq_job.status == Status.ABORTED:
            return _lost(
                saq_job.key, "The worker running this job stopped answering; it was not retried again."
            )
        return _lost(saq_job.key, f"The worker failed: {(saq_job.error or '').strip().splitlines()[-1:]}")

    async def result(self, job_id: str, timeout: float | None = None) -> JobResult:
        async for event in self.events(job_id, timeout=timeout):
            if event.result is not None:
                return event.result
        return _lost(job_id, "no result")

    async def run(self, job: Job, timeout: float | None = None) -> JobResult:
        await self.submit(job)
        return await self.result(job.id, timeout=timeout)
