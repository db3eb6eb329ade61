"""`/challenge`: list, start, submit (graded in the sandbox), hint, give up, and the server board."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from functools import cache
from typing import TYPE_CHECKING

from bot.core.challenge import store
from bot.core.challenge.args import ChallengeArgs, parse_challenge_args
from bot.core.context import Lang, Request
from bot.core.features.demo import unavailable_reply
from bot.core.features.topic_view import clip
from bot.core.i18n import t
from bot.core.replies import Choice, Field, Reply, error
from bot.core.study import clock
from bot.core.study.quiz_filters import FRAMEWORK_WORDS
from content.challenge_loader import ChallengeBank, load_challenges
from content.challenge_schema import Challenge
from executor.grading import Grade, GraderError, QueueBackend, Spec, grade
from executor.jobs import Rejected

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

log = logging.getLogger(__name__)

PAGE_SIZE = 8
FRAMEWORK_NAMES = {"pytorch": "PyTorch", "tensorflow": "TensorFlow"}
VERDICT_ICONS = {
    "accepted": "✅",
    "wrong_answer": "❌",
    "runtime_error": "💥",
    "time_limit": "⏱️",
    "memory_limit": "🧠",
    "forbidden": "🚫",
    "rejected": "⚠️",
}
TEXT_LIMIT = 3500


@cache
def challenge_bank() -> ChallengeBank:
    bank = load_challenges()
    for problem in bank.problems:
        log.warning("challenge bank: %s", problem)
    return bank


async def loaded_bank() -> ChallengeBank:
    """The bank, read from disk on a worker thread the first time (the event loop never waits on it)."""
    return await asyncio.to_thread(challenge_bank)


async def challenge_command(tutor: Tutor, request: Request) -> Reply:
    lang = await tutor.reply_lang(request, request.lang)
    args = parse_challenge_args(request.text)
    await loaded_bank()
    if args.action == "":
        return error(t("challenge.usage", lang, word=args.word))
    if args.action == "list":
        return list_reply(tutor, args, lang, await _solved(tutor, request))
    if args.action == "board":
        rows = await tutor.db.run(store.load_board, request.member.guild_id)
        return board_reply(rows, request, lang)
    challenge = challenge_bank().get(args.challenge_id)
    if challenge is None:
        return error(t("challenge.unknown", lang, id=clip(args.challenge_id or "?", 60)))
    if args.action == "start":
        await tutor.db.run(store.start_attempt, request.member.user_id, challenge.id, clock.now())
        return start_reply(challenge, lang)
    if args.action == "hint":
        return await _hint(tutor, request, challenge, lang)
    if args.action == "giveup":
        return await _give_up(tutor, request, challenge, args, lang)
    return await _submit(tutor, request, challenge, args.code, lang)


async def _solved(tutor: Tutor, request: Request) -> set[str]:
    return await tutor.db.run(store.solved_ids, request.member.user_id)


# listing


def _matches(challenge: Challenge, words: tuple[str, ...], categories: dict[str, str]) -> bool:
    for word in words:
        if word.isdigit() or (word.startswith("l") and word[1:].isdigit()):
            if challenge.level != int(word.lstrip("l")):
                return False
        elif word in FRAMEWORK_WORDS:
            if challenge.framework != FRAMEWORK_WORDS[word]:
                return False
        elif word not in (challenge.topic, categories.get(challenge.topic)):
            return False
    return True


def list_reply(tutor: Tutor, args: ChallengeArgs, lang: Lang, solved: set[str]) -> Reply:
    categories = {tid: topic.category for tid, topic in tutor.library.bank.topics.items()}
    found = sorted(
        (c for c in challenge_bank().challenges.values() if _matches(c, args.filters, categories)),
        key=lambda c: (categories.get(c.topic, ""), c.topic, c.level, c.id),
    )
    if not found:
        return error(t("challenge.none", lang, filters=" ".join(args.filters)))
    pages = (len(found) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(args.page, pages)
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    lines = [
        t(
            "challenge.list_line",
            lang,
            mark="✅" if c.id in solved else "▫️",
            id=c.id,
            level=c.level,
            framework=FRAMEWORK_NAMES[c.framework],
            title=c.title.get(lang),
            topic=c.topic,
        )
        for c in shown
    ]
    base = " ".join(args.filters)
    choices = []
    if page > 1:
        choices.append(
            Choice(t("challenge.prev", lang), f"/challenge list {base} page {page - 1}".replace("  ", " "))
        )
    if page < pages:
        choices.append(
            Choice(t("challenge.next", lang), f"/challenge list {base} page {page + 1}".replace("  ", " "))
        )
    return Reply(
        title=t("challenge.list_title", lang, count=len(found)),
        text="\n".join(lines),
        footer=t("challenge.list_footer", lang, page=page, pages=pages),
        choices=tuple(choices),
        select=tuple(
            Choice(clip(c.id, 100), f"/challenge start {c.id}", description=clip(c.title.get(lang), 100))
            for c in shown
        ),
        select_placeholder=t("challenge.pick", lang),
    )


# start, hint, give up


def start_reply(challenge: Challenge, lang: Lang) -> Reply:
    examples = "\n".join(f">>> {e.call}\n{e.result}" for e in challenge.examples)
    text = (
        f"{challenge.statement.get(lang)}\n\n```python\n{challenge.signature}\n    ...\n```\n"
        f"{t('challenge.examples', lang)}\n```python\n{examples}\n```\n"
        f"{t('challenge.how_to_submit', lang, id=challenge.id)}"
    )
    return Reply(
        title=f"{challenge.title.get(lang)} · L{challenge.level} · {FRAMEWORK_NAMES[challenge.framework]}",
        text=clip(text, TEXT_LIMIT),
        footer=t("challenge.start_footer", lang, id=challenge.id, topic=challenge.topic),
        choices=_challenge_choices(challenge, lang),
    )


def _challenge_choices(challenge: Challenge, lang: Lang, *, solved: bool = False) -> tuple[Choice, ...]:
    choices = [Choice(t("challenge.topic_button", lang), f"/topic {challenge.topic}")]
    if not solved:
        if challenge.hints:
            choices.append(Choice(t("challenge.hint_button", lang), f"/challenge hint {challenge.id}"))
        choices.append(
            Choice(t("challenge.giveup_button", lang), f"/challenge giveup {challenge.id}", style="danger")
        )
    return tuple(choices)


async def _hint(tutor: Tutor, request: Request, challenge: Challenge, lang: Lang) -> Reply:
    if not challenge.hints:
        return error(t("challenge.no_hints", lang))
    shown = await tutor.db.run(
        store.take_hint, request.member.user_id, challenge.id, len(challenge.hints), clock.now()
    )
    lines = [f"{i + 1}. {h.get(lang)}" for i, h in enumerate(challenge.hints[:shown])]
    return Reply(
        title=t("challenge.hint_title", lang, id=challenge.id, shown=shown, total=len(challenge.hints)),
        text="\n".join(lines),
        ephemeral=True,
    )


async def _give_up(
    tutor: Tutor, request: Request, challenge: Challenge, args: ChallengeArgs, lang: Lang
) -> Reply:
    member = request.member
    attempt = await tutor.db.run(store.get_attempt, member.user_id, challenge.id)
    finished = attempt is not None and (attempt.solved_ts is not None or attempt.gave_up_ts is not None)
    if not finished and args.code.strip().lower() != "confirm":
        return Reply(
            title=t("challenge.giveup_confirm_title", lang, id=challenge.id),
            text=t("challenge.giveup_confirm", lang),
            choices=(
                Choice(
                    t("challenge.giveup_yes", lang),
                    f"/challenge giveup {challenge.id} confirm",
                    style="danger",
                ),
            ),
            ephemeral=True,
        )
    if not finished:
        await tutor.db.run(
            store.give_up, member.user_id, member.guild_id, challenge.id, challenge.topic, clock.now()
        )
    return Reply(
        title=t("challenge.reference_title", lang, id=challenge.id),
        text=clip(f"```python\n{challenge.reference.strip()}\n```", TEXT_LIMIT),
        footer=t("challenge.giveup_footer", lang, topic=challenge.topic),
        choices=(Choice(t("challenge.topic_button", lang), f"/topic {challenge.topic}"),),
        ephemeral=True,
    )


# submit


async def _submit(tutor: Tutor, request: Request, challenge: Challenge, code: str, lang: Lang) -> Reply:
    if not code.strip():
        # A transport may send the next code block it reads as this submission (the console does).
        return Reply(
            text=t("challenge.submit_usage", lang, id=challenge.id),
            tone="error",
            ephemeral=True,
            meta={"awaits_code": f"/challenge submit {challenge.id}"},
        )
    if tutor.runner is None:
        return error(t("demo.no_executor", lang))
    await tutor.runner.ensure_worker()
    if (unavailable := unavailable_reply(tutor, lang)) is not None:
        return unavailable
    title = t("challenge.grading_title", lang, id=challenge.id)
    return Reply(
        title=title,
        text=t("challenge.grading", lang),
        updates=_grade_updates(tutor, request, challenge, code, lang),
    )


async def _grade_updates(
    tutor: Tutor, request: Request, challenge: Challenge, code: str, lang: Lang
) -> AsyncIterator[Reply]:
    yield await grade_and_store(tutor, request, challenge, code, lang)


async def grade_and_store(
    tutor: Tutor, request: Request, challenge: Challenge, code: str, lang: Lang
) -> Reply:
    """Grade on the executor, store the submission (and its study answer) and describe the result."""
    assert tutor.runner is not None
    member = request.member
    backend = QueueBackend(
        tutor.runner,  # starts a lazy console's worker on the first grade
        requester=str(member.user_id),
        guild=str(member.guild_id) if member.guild_id else None,
    )
    try:
        result = await grade(Spec.of(challenge), code, backend)
    except Rejected as exc:
        return error(t("run.rejected", lang, reason=str(exc)))
    except GraderError:
        log.exception("grading %s failed", challenge.id)
        return error(t("challenge.grader_failed", lang))
    saved = await tutor.db.run(
        store.save_submission,
        member.user_id,
        member.guild_id,
        challenge.id,
        challenge.topic,
        result.verdict,
        result.passed,
        result.total,
        result.time_ms,
        code,
        clock.now(),
    )
    return result_reply(challenge, result, lang, saved)


def result_reply(
    challenge: Challenge, result: Grade, lang: Lang, saved: store.Submitted | None = None
) -> Reply:
    icon = VERDICT_ICONS[result.verdict]
    lines = []
    if result.detail:
        lines.append(clip(result.detail, 900))
    for test in result.tests:
        mark = "✅" if test.ok else "❌"
        lines.append(
            f"{mark} {test.name}"
            + (f"\n    {clip(test.message, 400)}" if test.message and not test.ok else "")
        )
    if result.verdict == "runtime_error" and result.output.strip() and not result.tests:
        lines.append(f"```\n{clip(result.output.strip(), 800)}\n```")
    fields = []
    if result.accepted:
        fields.append(
            Field(
                t("challenge.reference_title", lang, id=challenge.id),
                clip(f"```python\n{challenge.reference.strip()}\n```", 1000),
            )
        )
        if saved is not None and saved.first_in_server:
            lines.insert(0, t("challenge.first_in_server", lang))
    elif result.verdict in store.SCORED:
        lines.append(t("challenge.scheduled", lang, topic=challenge.topic))
    return Reply(
        title=f"{icon} {challenge.id} — {t(f'challenge.verdict.{result.verdict}', lang)} ({result.passed}/{result.total})",
        text=clip("\n".join(lines), TEXT_LIMIT),
        fields=tuple(fields),
        footer=t("challenge.result_footer", lang, ms=f"{result.time_ms:.0f}", topic=challenge.topic),
        choices=_challenge_choices(challenge, lang, solved=result.accepted),
        tone="success" if result.accepted else "error",
    )


# board


def board_reply(rows: list[store.BoardRow], request: Request, lang: Lang) -> Reply:
    if not rows:
        return Reply(title=t("challenge.board_title", lang), text=t("challenge.board_empty", lang))
    lines = [
        t(
            "challenge.board_line",
            lang,
            rank=i + 1,
            who=_name(row.user_id, request, lang),
            solves=row.solves,
            firsts=row.first_solves,
            fastest=row.fastest,
        )
        for i, row in enumerate(rows)
    ]
    return Reply(
        title=t("challenge.board_title", lang),
        text="\n".join(lines),
        footer=t("challenge.board_footer", lang),
    )


def _name(user_id: int, request: Request, lang: Lang) -> str:
    if request.member.guild_id is not None:
        return f"<@{user_id}>"
    return t("leaderboard.you", lang) if user_id == request.member.user_id else f"#{user_id}"
