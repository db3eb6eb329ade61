"""`/demo name`: run a curated demo on an executor worker and stream its status, then its output."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.context import Lang, Request
from bot.core.features.demo_list import list_reply, parse_query
from bot.core.features.topic_view import clip
from bot.core.i18n import catalog, t
from bot.core.replies import Attachment, Reply, error
from executor.jobs import Job, JobEvent, JobResult, Rejected
from executor.protocol import Limits, Status

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

log = logging.getLogger(__name__)

OUTPUT_CHARS = 1800
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}
TEXT_SUFFIXES = {".txt", ".csv", ".json", ".md", ".log"}


async def demo_command(tutor: Tutor, request: Request) -> Reply:
    lang = await tutor.reply_lang(request, request.lang)
    name = str(request.arg("name") or "").strip()
    demo = tutor.library.bank.demos.get(name.lower()) if name else None
    if demo is None:
        return list_reply(tutor.library.bank, parse_query(name), lang)
    job = job_for(request, code=demo.source, framework=demo.framework, wall_s=demo.timeout_s, demo=demo.id)
    return await submit_and_follow(
        tutor, job, t("demo.title", lang, name=demo.id), lang, admin=request.member.is_admin
    )


def job_for(
    request: Request, *, code: str, framework: str, wall_s: float, demo: str | None = None, priority: int = 0
) -> Job:
    """A job for this member; the request id (the Discord interaction's) makes resubmits idempotent."""
    member = request.member
    return Job(
        id=request.request_id or uuid.uuid4().hex,
        code=code,
        framework=framework,
        limits=Limits(wall_s=wall_s),
        requester=str(member.user_id),
        guild=str(member.guild_id) if member.guild_id else None,
        demo=demo,
        priority=priority,
    )


def unavailable_reply(tutor: Tutor, lang: Lang) -> Reply | None:
    """Why this host runs no code (no bubblewrap, no user namespaces), or None when it can."""
    if tutor.runner is None or tutor.runner.unavailable is None:
        return None
    return error(t(f"sandbox.unavailable.{tutor.runner.unavailable}", lang))


async def submit_and_follow(tutor: Tutor, job: Job, title: str, lang: Lang, *, admin: bool = False) -> Reply:
    """Queue the job and answer at once; the reply's updates follow it to its result."""
    if tutor.runner is None:
        return error(t("demo.no_executor", lang))
    await tutor.runner.ensure_worker()  # a lazy console learns here whether a sandbox starts
    if (unavailable := unavailable_reply(tutor, lang)) is not None:
        return unavailable
    try:
        await tutor.runner.submit(job)
    except Rejected as exc:
        return error(rejection(exc, lang))
    return Reply(
        title=title,
        text=t("run.submitted", lang),
        updates=follow(tutor, job, title, lang, admin=admin),
        meta={"job": job.id},
    )


def rejection(exc: Rejected, lang: Lang) -> str:
    """The executor's refusal code in the member's language (an unknown code still reads clearly)."""
    key = f"run.rejected.{exc.code}"
    if key in catalog():
        return t(key, lang, **exc.values)
    return t("run.rejected", lang, reason=exc.code)


async def follow(
    tutor: Tutor, job: Job, title: str, lang: Lang, *, admin: bool = False
) -> AsyncIterator[Reply]:
    assert tutor.runner is not None
    async for event in tutor.runner.client.events(job.id):
        if event.result is not None:
            reply = result_reply(event.result, title, lang)
            problem = tutor.runner.limits_problem
            if admin and problem and event.result.worker == "embedded":
                note = t("sandbox.limits_footer", lang, detail=clip(problem, 300))
                reply = replace(reply, footer=f"{reply.footer}\n{note}" if reply.footer else note)
            yield reply
            return
        yield Reply(title=title, text=status_text(event, lang), meta={"job": job.id, "status": "1"})


def status_text(event: JobEvent, lang: Lang) -> str:
    """Only what is known: no position or device is shown rather than a question mark."""
    if event.state == "queued":
        if event.position:
            return t("run.queued", lang, position=event.position)
        return t("run.queued_somewhere", lang)
    if event.device:
        return t("run.running", lang, device=event.device)
    return t("run.running_somewhere", lang)


def result_reply(job_result: JobResult, title: str, lang: Lang) -> Reply:
    result = job_result.result
    status = str(result.status)
    output = (
        result.stdout + (("\n" + result.stderr) if result.stderr.strip() and status != "ok" else "")
    ).strip()
    attachments = []
    shown = output
    if len(output) > OUTPUT_CHARS:
        shown = output[:OUTPUT_CHARS] + "\n…"
        attachments.append(Attachment("output.txt", output.encode("utf-8"), t("run.full_output", lang)))
    attachments.extend(_artifacts(job_result))
    body = f"```\n{shown.replace('```', '`​``') or t('run.no_output', lang)}\n```"
    summary = t(f"run.status.{status}", lang) if f"run.status.{status}" in _STATUS_KEYS else status
    footer = (
        None
        if job_result.worker == "none"
        else t(  # cancelled or lost: nothing ran, nothing to time
            "run.footer",
            lang,
            seconds=f"{result.duration_s:.2f}",
            device=result.device,
            wait=f"{job_result.queue_wait_s:.2f}",
            worker=job_result.worker,
        )
    )
    return Reply(
        title=f"{title} — {summary}",
        text=body,
        attachments=tuple(attachments),
        footer=footer,
        tone="success" if status == "ok" else "error",
    )


def _artifacts(job_result: JobResult) -> list[Attachment]:
    return [
        Attachment(Path(f.name).name, f.data)
        for f in job_result.files[:9]
        if Path(f.name).suffix.lower() in IMAGE_SUFFIXES | TEXT_SUFFIXES
    ]


_STATUS_KEYS = {f"run.status.{status.value}" for status in Status}
