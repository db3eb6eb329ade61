"""A mock interview end to end through the real Tutor and SQLite: question, answer, ticks, follow-up, report."""

from __future__ import annotations

from bot.core.context import Member
from bot.core.replies import Reply
from bot.core.study.privacy import export_member
from bot.core.tutor import Tutor

ME = Member(user_id=11, name="me", guild_id=5)
OTHER = Member(user_id=12, name="other", guild_id=5)
GOOD = "I would use register_buffer: the buffer moves with the model and is saved in the state_dict."


def _action(reply: Reply, starts: str) -> str:
    return next(c.action for c in reply.all_choices if c.action.startswith(starts))


async def _answer_and_confirm(tutor: Tutor, answer: str, member: Member = ME) -> Reply:
    ticks = await tutor.handle(answer, member)
    assert "/interview confirm" in " ".join(c.action for c in ticks.all_choices), ticks
    return await tutor.handle(_action(ticks, "/interview confirm"), member)


async def test_a_full_interview_ends_in_a_report_and_schedules_weak_topics(tutor: Tutor) -> None:
    first = await tutor.handle("/interview q3", ME)
    assert first.title == "Mock interview · question 1/3"
    assert first.tone != "error"

    ticks = await tutor.handle(GOOD, ME)  # a plain line answers the waiting question
    assert ticks.text.count("✅") == 2, ticks.text
    assert GOOD in ticks.fields[0].value
    follow = await tutor.handle(_action(ticks, "/interview confirm"), ME)
    assert "follow-up" in (follow.title or "")
    assert follow.fields and follow.fields[0].value

    second = await tutor.handle(_action(follow, "/interview next"), ME)
    assert second.title == "Mock interview · question 2/3"
    follow = await _answer_and_confirm(tutor, "no idea, sorry")
    third = await tutor.handle(_action(follow, "/interview next"), ME)
    follow = await _answer_and_confirm(
        tutor, "/interview answer a register_buffer buffer, saved in state_dict"
    )
    report = await tutor.handle(_action(follow, "/interview next"), ME)

    assert report.title == "Mock interview report"
    text = report.text + "\n".join(f.value for f in report.fields)
    assert "Overall **67%**" in report.text  # 2/2, 0/2, 2/2
    assert "0/2" in text and "2/2" in text
    weakest = next(f for f in report.fields if f.name == "Weakest topics")
    assert weakest.value.count("•") == 1

    rows = await tutor.db.run(export_member, ME.user_id)
    assert len(rows["interviews"]) == 1 and rows["interviews"][0]["stage"] == "done"
    assert len(rows["interview_answers"]) == 3
    sources = [(r["source"], r["correct"]) for r in rows["study_answers"]]
    assert sources == [("interview", 1), ("interview", 0), ("interview", 1)]
    assert len(rows["study_cards"]) == 3
    assert third.title == "Mock interview · question 3/3"


async def test_flipping_a_tick_changes_the_score_before_it_counts(tutor: Tutor) -> None:
    await tutor.handle("/interview q1", ME)
    ticks = await tutor.handle("no idea", ME)
    assert ticks.text.count("⬜") == 2
    flipped = await tutor.handle(_action(ticks, "/interview tick"), ME)
    assert flipped.text.count("✅") == 1
    follow = await tutor.handle(_action(flipped, "/interview confirm"), ME)
    report = await tutor.handle(_action(follow, "/interview next"), ME)
    assert "Overall **50%**" in report.text


async def test_a_repeated_or_stale_button_changes_nothing(tutor: Tutor) -> None:
    await tutor.handle("/interview q2", ME)
    ticks = await tutor.handle(GOOD, ME)
    confirm = _action(ticks, "/interview confirm")
    await tutor.handle(confirm, ME)
    again = await tutor.handle(confirm, ME)
    assert again.ephemeral and "out of date" in again.text
    rows = await tutor.db.run(export_member, ME.user_id)
    assert len(rows["study_answers"]) == 1  # counted once


async def test_nobody_else_can_answer_or_tick_a_members_interview(tutor: Tutor) -> None:
    await tutor.handle("/interview q1", ME)
    ticks = await tutor.handle(GOOD, ME)
    theirs = await tutor.handle(_action(ticks, "/interview tick"), OTHER)
    assert theirs.tone == "error"
    mine = await tutor.handle(_action(ticks, "/interview tick"), ME)
    assert mine.text.count("✅") == 1


async def test_stopping_early_reports_what_was_done(tutor: Tutor) -> None:
    await tutor.handle("/interview q4", ME)
    await _answer_and_confirm(tutor, GOOD)
    report = await tutor.handle("/interview stop", ME)
    assert "1 of 4 questions" in report.text
    assert (await tutor.handle("/interview stop", ME)).tone == "error"
    assert (await tutor.handle("/interview report", ME)).title == "Mock interview report"


async def test_the_interview_survives_a_restart(tutor: Tutor) -> None:
    await tutor.handle("/interview q2", ME)
    fresh = Tutor(tutor.settings, tutor.db, tutor.library)  # nothing kept in memory
    ticks = await fresh.handle(GOOD, ME)
    assert "key points" in (ticks.title or "")


async def test_bad_arguments_get_a_friendly_error(tutor: Tutor) -> None:
    reply = await tutor.handle("/interview nonsense", ME)
    assert reply.tone == "error" and "nonsense" in reply.text and "Usage" in reply.text
    assert (await tutor.handle("/interview answer something", ME)).tone == "error"
    assert (await tutor.handle("/interview confirm nope 0", ME)).tone == "error"


async def test_a_chinese_interview_is_in_chinese(tutor: Tutor) -> None:
    zh = Member(user_id=13, name="zh", guild_id=5, locale="zh-CN")
    first = await tutor.handle("/interview q1", zh)
    assert first.title == "模拟面试 · 第 1/1 题"
    ticks = await tutor.handle("用 register_buffer 注册缓冲区，会保存进 state_dict", zh)
    assert ticks.text.count("✅") == 2


async def test_typed_steps_without_ids_act_on_the_open_interview(tutor: Tutor) -> None:
    await tutor.handle("/interview q2", ME)
    await tutor.handle(GOOD, ME)
    follow = await tutor.handle("/interview confirm", ME)
    assert "follow-up" in (follow.title or "")
    second = await tutor.handle("/interview next", ME)
    assert second.title == "Mock interview · question 2/2"
    assert (await tutor.handle("/interview confirm", ME)).ephemeral  # nothing answered yet: where it stands
