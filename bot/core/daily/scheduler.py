"""The daily-question scheduler: plans what is due and moves each post through the outbox, exactly once.

Transport-free: it talks to Discord (or a test's fake) only through a `Poster`, and reads the time only
from an injected `Clock`. One `tick` does all the work that is due; `run` ticks every `poll_s` seconds of
that clock. Ticks never overlap (a lock), so a `sending` row seen at the start of a tick is never one
this process is still sending: it was interrupted, and is looked for in the channel before any resend.
See posts.py for the states and config.py for turning a server off.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import sqlite_utils

from bot.core.daily.clock import Clock
from bot.core.daily.config import disable
from bot.core.daily.message import Reveal, outgoing
from bot.core.daily.planning import plan_due
from bot.core.daily.poster import Outgoing, Poster, PostRefused
from bot.core.daily.posts import (
    Post,
    State,
    claim,
    get_post,
    mark_failed,
    mark_missed,
    mark_recorded,
    mark_sent,
    note_error,
    open_posts,
)
from bot.core.study.transaction import immediate

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

log = logging.getLogger(__name__)


class TopicMissing(Exception):
    """The post's topic left the content bank (a content reload) before the post went out."""


@dataclass(frozen=True, slots=True)
class DailyOptions:
    grace: dt.timedelta = dt.timedelta(hours=2)  # how late a missed post may still go out
    poll_s: float = 30.0  # seconds between ticks
    concurrency: int = 8  # posts in flight at once
    max_attempts: int = 10  # sends of one post before it is given up
    give_up_after: dt.timedelta = dt.timedelta(days=1)  # past grace: stop looking for an interrupted send
    requests_per_s: float | None = 40.0  # the Discord poster's pace (Discord allows 50 per second in all)


@dataclass
class TickReport:
    planned: int = 0
    sent: list[int] = field(default_factory=list)
    found: list[int] = field(default_factory=list)  # interrupted sends found in the channel: not sent again
    recorded: list[int] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)


class DailyScheduler:
    def __init__(
        self, tutor: Tutor, poster: Poster, clock: Clock, options: DailyOptions | None = None
    ) -> None:
        self.tutor = tutor
        self.poster = poster
        self.clock = clock
        self.options = options or DailyOptions()
        self.ticks = 0
        self._lock = asyncio.Lock()
        self._ticked = asyncio.Event()

    # -- the loop ----------------------------------------------------------------------------------

    async def run(self) -> None:
        """Tick, sleep `poll_s` on the clock, forever (cancel the task to stop)."""
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("daily: tick failed")
            await self.clock.sleep(self.options.poll_s)

    async def wait_ticks(self, count: int) -> None:
        """Until `count` ticks have finished in all (for tests driving `run` through a manual clock)."""
        while self.ticks < count:
            await self._ticked.wait()

    async def tick(self) -> TickReport:
        async with self._lock:
            report = await self._tick(self.clock.now())
        self.ticks += 1
        ticked, self._ticked = self._ticked, asyncio.Event()
        ticked.set()
        return report

    async def _tick(self, now: dt.datetime) -> TickReport:
        report = TickReport()
        topics = list(self.tutor.library.bank.topics.values())
        report.planned = await self.tutor.db.run(
            plan_due, now, self.options.grace, topics, self.tutor.settings.language
        )
        by_guild: dict[int, list[Post]] = defaultdict(list)
        for post in await self.tutor.db.run(open_posts):
            by_guild[post.guild_id].append(post)
        slots = asyncio.Semaphore(self.options.concurrency)
        await asyncio.gather(*(self._guild(posts, now, slots, report) for posts in by_guild.values()))
        if report.sent or report.found or report.missed or report.failed:
            log.info(
                "daily: %d sent, %d found after an interruption, %d missed, %d failed, %d to retry",
                len(report.sent),
                len(report.found),
                len(report.missed),
                len(report.failed),
                len(report.retrying),
            )
        return report

    async def _guild(
        self, posts: list[Post], now: dt.datetime, slots: asyncio.Semaphore, report: TickReport
    ) -> None:
        for post in posts:  # oldest first: yesterday's post settles before today's reveals it
            async with slots:
                await self._advance(post, now, report)

    # -- one post ----------------------------------------------------------------------------------

    async def _advance(self, post: Post, now: dt.datetime, report: TickReport) -> None:
        try:
            if post.state == State.SENDING:
                post = await self._recover(post, now, report)
            if post.state in (State.PLANNED, State.SENDING):
                post = await self._send(post, now, report)
            if post.state == State.SENT:
                await self._open_thread(post, report)
        except TopicMissing as exc:
            log.warning("daily: post %s cannot be built: %s", post.id, exc)
            await self.tutor.db.run(mark_failed, post.id, str(exc))
            report.failed.append(post.id)
        except PostRefused as refused:
            log.warning(
                "daily: server %s refused post %s (%s); turning its daily post off",
                post.guild_id,
                post.id,
                refused,
            )
            await self.tutor.db.run(_fail_and_disable, post, refused, now)
            report.failed.append(post.id)
        except Exception as exc:  # transient: the row keeps its state and a later tick goes on from it
            log.warning("daily: post %s of server %s will be retried: %r", post.id, post.guild_id, exc)
            await self._transient(post, exc, now, report)

    async def _recover(self, post: Post, now: dt.datetime, report: TickReport) -> Post:
        """An interrupted send: if the message is in the channel it was sent, whatever the database says."""
        message_id = await self.poster.find(await self._outgoing(post), post.probe) if post.probe else None
        if message_id is not None:
            await self.tutor.db.run(mark_sent, post.id, message_id, now)
            report.found.append(post.id)
            return replace(post, state=State.SENT, message_id=message_id)
        return post

    async def _send(self, post: Post, now: dt.datetime, report: TickReport) -> Post:
        if now - post.due > self.options.grace:
            await self.tutor.db.run(mark_missed, post.id, "past the grace window")
            report.missed.append(post.id)
            return replace(post, state=State.MISSED)
        if post.attempts >= self.options.max_attempts:
            await self.tutor.db.run(mark_failed, post.id, "too many attempts")
            report.failed.append(post.id)
            return replace(post, state=State.FAILED)
        claimed = await self.tutor.db.run(claim, post.id, self.poster.checkpoint(), now)
        if claimed is None:
            return post
        message_id = await self.poster.send(await self._outgoing(claimed))
        await self.tutor.db.run(mark_sent, claimed.id, message_id, now)
        report.sent.append(post.id)
        return replace(claimed, state=State.SENT, message_id=message_id)

    async def _open_thread(self, post: Post, report: TickReport) -> None:
        assert post.message_id is not None
        try:
            thread_id: int | None = await self.poster.open_thread(await self._outgoing(post), post.message_id)
            note = None
        except PostRefused as refused:  # the question is out; a missing thread is worth a note, not a retry
            thread_id, note = None, f"no thread: {refused}"
        await self.tutor.db.run(mark_recorded, post.id, thread_id, note)
        report.recorded.append(post.id)

    async def _transient(self, post: Post, exc: Exception, now: dt.datetime, report: TickReport) -> None:
        if post.state == State.SENDING and now - post.due > self.options.grace + self.options.give_up_after:
            await self.tutor.db.run(mark_missed, post.id, f"could not check whether it was sent: {exc!r}")
            report.missed.append(post.id)
            return
        await self.tutor.db.run(note_error, post.id, repr(exc))
        report.retrying.append(post.id)

    async def _outgoing(self, post: Post) -> Outgoing:
        topic = self.tutor.library.topic(post.question.topic_id)
        if topic is None:
            raise TopicMissing(f"topic {post.question.topic_id} is no longer in the content bank")
        previous = await self.tutor.db.run(get_post, post.reveals_id) if post.reveals_id is not None else None
        return outgoing(post, topic, self._reveal(previous))

    def _reveal(self, previous: Post | None) -> Reveal | None:
        if previous is None:
            return None
        topic = self.tutor.library.topic(previous.question.topic_id)
        if topic is None:
            return None
        return Reveal(
            previous.day, topic, previous.question, previous.reveal_answers or 0, previous.reveal_correct or 0
        )


def _fail_and_disable(db: sqlite_utils.Database, post: Post, refused: PostRefused, at: dt.datetime) -> None:
    with immediate(db):
        mark_failed(db, post.id, str(refused))
        disable(db, post.guild_id, refused.reason, refused.detail or None, at)
