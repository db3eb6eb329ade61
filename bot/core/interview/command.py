"""`/interview [category] [level] [questions]` and the steps behind its buttons.

Subcommands (the buttons send them; members may type them too):
`/interview answer TEXT` answers the current question (in the console a plain line does the same while
a question waits), `/interview tick ID POS K` corrects the tick of key point K, `/interview confirm ID
POS` accepts the ticks and asks the follow-up, `/interview next ID POS` moves on, `/interview stop`
ends it early, `/interview report` shows the last report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import TYPE_CHECKING

import sqlite_utils

from bot.core.categories import category_name
from bot.core.context import Lang, Request
from bot.core.features.topic_view import clip
from bot.core.i18n import t
from bot.core.interview import plan, store
from bot.core.interview.matching import auto_ticks
from bot.core.interview.report import WEAK_BELOW, Report, build_report
from bot.core.replies import Choice, Field, Reply, error
from bot.core.study import clock
from bot.core.study.record import guild_key, record_answer
from bot.core.study.transaction import immediate
from content.schema import CATEGORIES, Topic

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

SUGGESTED_MINUTES = 3
ANSWER_MAX = 4000
SHOWN_ANSWER = 900
_rng = random.Random()


async def interview_command(tutor: Tutor, request: Request) -> Reply:
    lang = await tutor.reply_lang(request, request.lang)
    word, _, rest = request.text.strip().partition(" ")
    step = _STEPS.get(word.lower())
    if step is not None:
        return await step(tutor, request, rest.strip(), lang)
    return await _start(tutor, request, lang)


async def answer_if_waiting(tutor: Tutor, request: Request) -> Reply | None:
    """A plain line while an interview question waits is its answer (the console's free-text path)."""
    interview = await tutor.db.run(store.open_interview, request.member.user_id)
    if interview is None or interview.stage != "question":
        return None
    lang = await tutor.reply_lang(request, request.lang)
    return await _answer(tutor, request, request.text, lang)


async def _start(tutor: Tutor, request: Request, lang: Lang) -> Reply:
    try:
        wanted = plan.parse_wanted(request.text, _category_names())
    except plan.PlanError as exc:
        return error(t("interview.usage", lang, word=clip(exc.word, 40), categories=", ".join(CATEGORIES)))
    member = request.member
    level, recent = await tutor.db.run(_member_level_and_recent, member.user_id)
    topics = plan.pick(tutor.library.bank.topics.values(), wanted, level, recent, _rng)
    if not topics:
        return error(t("interview.no_topics", lang))
    interview = await tutor.db.run(
        store.start, member.user_id, guild_key(member.guild_id), lang, [t_.id for t_ in topics], clock.now()
    )
    return question_reply(tutor, interview, lang)


def _category_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for category in CATEGORIES:
        for lang in ("zh", "en"):
            try:
                names[t(f"category.{category}", lang)] = category
            except KeyError:
                break
    return names


def _member_level_and_recent(db: sqlite_utils.Database, user_id: int) -> tuple[int, set[str]]:
    answers, correct = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM study_answers WHERE user_id = ?", [user_id]
    ).fetchone()
    recent = {
        row[0]
        for row in db.execute(
            "SELECT topic_id FROM interview_answers WHERE user_id = ? ORDER BY asked_ts DESC LIMIT 30",
            [user_id],
        ).fetchall()
    }
    return plan.member_level(answers, correct), recent


async def _answer(tutor: Tutor, request: Request, text: str, lang: Lang) -> Reply:
    text = _strip_fence(text)
    interview = await tutor.db.run(store.open_interview, request.member.user_id)
    if interview is None:
        return error(t("interview.none_open", lang))
    if interview.stage != "question":
        return _current_reply(tutor, interview, lang, t("interview.not_waiting", lang))
    if not text:
        return error(t("interview.empty_answer", lang))
    if len(text) > ANSWER_MAX:
        return error(t("interview.too_long", lang, length=len(text), limit=ANSWER_MAX))
    topic = _topic(tutor, interview)
    ticks = auto_ticks(text, topic.key_points)
    saved = await tutor.db.run(store.save_answer, interview.id, interview.position, text, ticks, clock.now())
    fresh = await tutor.db.run(store.load, interview.id)
    if not saved or fresh is None:
        return _current_reply(tutor, fresh or interview, lang, t("interview.stale", lang))
    return ticks_reply(tutor, fresh, lang)


def _strip_fence(text: str) -> str:
    text = text.strip()
    if text.startswith("```") and text.endswith("```") and len(text) >= 6:
        text = text[3:-3].strip()
    return text


async def _tick(tutor: Tutor, request: Request, rest: str, lang: Lang) -> Reply:
    words = rest.split()
    if len(words) != 3 or not (words[1].isdigit() and words[2].isdigit()):
        return error(t("interview.bad_step", lang))
    interview_id, position, point = words[0], int(words[1]), int(words[2]) - 1
    interview = await _own(tutor, request, interview_id)
    if interview is None:
        return error(t("interview.bad_step", lang))
    ok = await tutor.db.run(store.toggle_tick, interview_id, position, point)
    fresh = await tutor.db.run(store.load, interview_id)
    assert fresh is not None
    return (
        ticks_reply(tutor, fresh, lang)
        if ok
        else _current_reply(tutor, fresh, lang, t("interview.stale", lang))
    )


async def _confirm(tutor: Tutor, request: Request, rest: str, lang: Lang) -> Reply:
    parsed, interview = await _step_target(tutor, request, rest)
    if parsed is None or interview is None:
        return error(t("interview.bad_step", lang))
    ok = await tutor.db.run(
        _confirm_and_record, interview.id, parsed[1], request.member.guild_id, clock.now()
    )
    fresh = await tutor.db.run(store.load, interview.id)
    assert fresh is not None
    if not ok:
        return _current_reply(tutor, fresh, lang, t("interview.stale", lang))
    return follow_up_reply(tutor, fresh, lang)


def _confirm_and_record(
    db: sqlite_utils.Database, interview_id: str, position: int, guild_id: int | None, at: dt.datetime
) -> bool:
    """Accept the ticks and count the question in the study loop: a weak answer schedules its topic."""
    with immediate(db):
        if not store.confirm_ticks(db, interview_id, position, at):
            return False
        interview = store.load(db, interview_id)
        assert interview is not None and interview.current is not None
        ticks = interview.current.ticks
        share = sum(ticks) / len(ticks) if ticks else 0.0
        correct = share >= WEAK_BELOW
        record_answer(db, interview.user_id, guild_id, interview.current.topic_id, correct, "interview", at)
    return True


async def _next(tutor: Tutor, request: Request, rest: str, lang: Lang) -> Reply:
    parsed, interview = await _step_target(tutor, request, rest)
    if parsed is None or interview is None:
        return error(t("interview.bad_step", lang))
    ok = await tutor.db.run(store.advance, interview.id, parsed[1], clock.now())
    fresh = await tutor.db.run(store.load, interview.id)
    assert fresh is not None
    if not ok:
        return _current_reply(tutor, fresh, lang, t("interview.stale", lang))
    if fresh.stage == "done":
        return report_reply(tutor, fresh, lang)
    return question_reply(tutor, fresh, lang)


async def _stop(tutor: Tutor, request: Request, rest: str, lang: Lang) -> Reply:
    interview = await tutor.db.run(store.open_interview, request.member.user_id)
    if interview is None:
        return error(t("interview.none_open", lang))
    await tutor.db.run(store.stop, interview.id, clock.now())
    fresh = await tutor.db.run(store.load, interview.id)
    assert fresh is not None
    return report_reply(tutor, fresh, lang)


async def _report(tutor: Tutor, request: Request, rest: str, lang: Lang) -> Reply:
    interview = await tutor.db.run(store.latest_finished, request.member.user_id)
    if interview is None:
        return error(t("interview.no_report", lang))
    return report_reply(tutor, interview, lang)


async def _answer_step(tutor: Tutor, request: Request, rest: str, lang: Lang) -> Reply:
    return await _answer(tutor, request, rest, lang)


_STEPS = {
    "answer": _answer_step,
    "tick": _tick,
    "confirm": _confirm,
    "next": _next,
    "stop": _stop,
    "report": _report,
}


async def _step_target(
    tutor: Tutor, request: Request, rest: str
) -> tuple[tuple[str, int] | None, store.Interview | None]:
    """The step's interview and position: from a button's `ID POS`, or, typed without them, the
    member's open interview where it stands (`/interview confirm`, `/interview next`)."""
    if not rest.strip():
        interview = await tutor.db.run(store.open_interview, request.member.user_id)
        return ((interview.id, interview.position), interview) if interview else (None, None)
    parsed = _id_and_position(rest)
    return parsed, (await _own(tutor, request, parsed[0]) if parsed else None)


def _id_and_position(rest: str) -> tuple[str, int] | None:
    words = rest.split()
    if len(words) != 2 or not words[1].isdigit():
        return None
    return words[0], int(words[1])


async def _own(tutor: Tutor, request: Request, interview_id: str) -> store.Interview | None:
    """The interview, if it is the member's own: nobody else can answer or tick it."""
    interview = await tutor.db.run(store.load, interview_id)
    if interview is None or interview.user_id != request.member.user_id:
        return None
    return interview


def _topic(tutor: Tutor, interview: store.Interview) -> Topic:
    topic = tutor.library.topic(interview.topic_ids[interview.position])
    assert topic is not None
    return topic


def _progress(interview: store.Interview) -> str:
    return f"{interview.position + 1}/{len(interview.topic_ids)}"


def _current_reply(tutor: Tutor, interview: store.Interview, lang: Lang, note: str) -> Reply:
    """Where the interview really is, after a stale or repeated step."""
    if interview.stage == "question":
        reply = question_reply(tutor, interview, lang)
    elif interview.stage == "ticks":
        reply = ticks_reply(tutor, interview, lang)
    elif interview.stage == "follow_up":
        reply = follow_up_reply(tutor, interview, lang)
    else:
        reply = report_reply(tutor, interview, lang)
    return Reply(
        title=reply.title,
        text=f"{note}\n\n{reply.text}".strip(),
        fields=reply.fields,
        choices=reply.choices,
        footer=reply.footer,
        tone=reply.tone,
        ephemeral=True,
        meta=reply.meta,
    )


def question_reply(tutor: Tutor, interview: store.Interview, lang: Lang) -> Reply:
    topic = _topic(tutor, interview)
    current = interview.current
    started = current.asked_at if current else clock.now()
    return Reply(
        title=t("interview.question_title", lang, progress=_progress(interview)),
        text=t("interview.question_text", lang, question=topic.title.get(lang)),
        fields=(
            Field(
                t("interview.clock", lang),
                t(
                    "interview.clock_value",
                    lang,
                    started=f"{started:%H:%M:%S}",
                    minutes=SUGGESTED_MINUTES,
                    unix=int(started.timestamp()),
                ),
            ),
        ),
        choices=(
            Choice(
                t("interview.answer", lang),
                "/interview answer",
                style="primary",
                owner_only=True,
                prompt=t("interview.answer_prompt", lang),
            ),
            Choice(t("interview.stop", lang), "/interview stop", style="danger", owner_only=True),
        ),
        footer=t("interview.how_to_answer", lang),
        tone="info",
        meta={"topic": topic.id, "interview": interview.id, "awaits_text": "/interview answer"},
    )


def _checklist(topic: Topic, ticks: tuple[bool, ...], lang: Lang) -> str:
    lines = []
    for i, point in enumerate(topic.key_points):
        mark = "✅" if i < len(ticks) and ticks[i] else "⬜"
        lines.append(f"{mark} {i + 1}. {point.zh if lang == 'zh' else point.en}")
    return "\n".join(lines)


def ticks_reply(tutor: Tutor, interview: store.Interview, lang: Lang) -> Reply:
    topic = _topic(tutor, interview)
    current = interview.current
    assert current is not None
    ticks = current.ticks
    toggles = tuple(
        Choice(
            f"{'✅' if ticks[i] else '⬜'} {i + 1}",
            f"/interview tick {interview.id} {interview.position} {i + 1}",
            style="success" if ticks[i] else "secondary",
        )
        for i in range(len(ticks))
    )
    confirm = Choice(
        t("interview.confirm", lang),
        f"/interview confirm {interview.id} {interview.position}",
        style="primary",
    )
    return Reply(
        title=t("interview.ticks_title", lang, progress=_progress(interview), topic=topic.title.get(lang)),
        text=_checklist(topic, ticks, lang),
        fields=(
            Field(t("interview.your_answer", lang), clip(current.answer or "", SHOWN_ANSWER)),
            Field(
                t("interview.covered", lang),
                t(
                    "interview.covered_value",
                    lang,
                    covered=sum(ticks),
                    points=len(ticks),
                    seconds=_duration(current.seconds),
                ),
            ),
        ),
        choices=(*toggles, confirm),
        footer=t("interview.ticks_help", lang),
        tone="answer",
        meta={"topic": topic.id, "interview": interview.id},
    )


def _follow_up_index(interview: store.Interview, topic: Topic) -> int:
    digest = hashlib.sha256(f"{interview.id}:{interview.position}".encode()).digest()
    return digest[0] % len(topic.follow_ups)


def follow_up_reply(tutor: Tutor, interview: store.Interview, lang: Lang) -> Reply:
    topic = _topic(tutor, interview)
    follow_up = topic.follow_ups[_follow_up_index(interview, topic)]
    last = interview.position + 1 >= len(interview.topic_ids)
    label = t("interview.finish" if last else "interview.next", lang)
    return Reply(
        title=t("interview.follow_up_title", lang, progress=_progress(interview)),
        text=follow_up.question.get(lang),
        fields=(Field(t("interview.short_answer", lang), clip(follow_up.answer.get(lang), 1024)),),
        choices=(
            Choice(label, f"/interview next {interview.id} {interview.position}", style="primary"),
            Choice(t("interview.open_topic", lang), f"/topic {topic.id} {lang}"),
        ),
        footer=t("interview.follow_up_help", lang),
        tone="answer",
        meta={"topic": topic.id, "interview": interview.id},
    )


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds // 60}:{seconds % 60:02d}"


def report_reply(tutor: Tutor, interview: store.Interview, lang: Lang) -> Reply:
    bank = tutor.library.bank.topics
    report = build_report(interview, {tid: topic.category for tid, topic in bank.items()})
    if not report.questions:
        return Reply(
            title=t("interview.report_title", lang),
            text=t("interview.report_empty", lang),
            choices=(Choice(t("interview.again", lang), "/interview", style="primary"),),
            tone="info",
        )
    fields = [Field(t("interview.report_questions", lang), _question_lines(report, bank, lang))]
    fields.append(
        Field(
            t("interview.report_categories", lang),
            "\n".join(f"{category_name(c, lang)}: {share:.0%}" for c, share in report.by_category),
        )
    )
    if report.weakest:
        weak = "\n".join(f"• {bank[tid].title.get(lang)}" for tid in report.weakest if tid in bank)
        fields.append(Field(t("interview.report_weakest", lang), clip(weak, 1024)))
    return Reply(
        title=t("interview.report_title", lang),
        text=t(
            "interview.report_score",
            lang,
            score=f"{report.score:.0%}",
            answered=len(report.questions),
            total=len(interview.topic_ids),
        ),
        fields=tuple(fields),
        choices=(
            Choice(t("interview.again", lang), "/interview", style="primary"),
            Choice(t("interview.review", lang), "/review"),
        ),
        footer=t("interview.report_footer" if report.weakest else "interview.report_footer_none", lang),
        tone="success" if report.score >= WEAK_BELOW else "answer",
        meta={"interview": interview.id},
    )


def _question_lines(report: Report, bank: dict[str, Topic], lang: Lang) -> str:
    lines = []
    for q in report.questions:
        title = bank[q.topic_id].title.get(lang) if q.topic_id in bank else q.topic_id
        lines.append(
            t(
                "interview.report_line",
                lang,
                n=q.position + 1,
                title=clip(title, 70),
                covered=q.covered,
                points=q.points,
                share=f"{q.share:.0%}",
                time=_duration(q.seconds),
            )
        )
    return clip("\n".join(lines), 1024)
