"""/progress (numbers, mastery, chart) and /leaderboard (per server, this week or all time)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.study.record import record_answer, record_rating
from bot.core.tutor import Tutor
from tests.study.conftest import T0, Clock, member

PNG = b"\x89PNG\r\n\x1a\n"


async def answer(
    tutor: Tutor,
    user_id: int,
    guild_id: int | None,
    correct: bool,
    at: dt.datetime,
    topic_id: str = "autograd-basics",
) -> None:
    await tutor.db.run(record_answer, user_id, guild_id, topic_id, correct, "quiz", at)


async def test_progress_shows_streak_accuracy_due_and_a_chart(tutor: Tutor, frozen: Clock) -> None:
    for days_ago, correct in ((2, True), (1, False), (0, True)):
        await answer(tutor, 1, None, correct, T0 - dt.timedelta(days=days_ago, minutes=30))
    reply = await tutor.handle("/progress", member(1, name="ada"))
    fields = {f.name: f.value for f in reply.fields}
    assert reply.title == "Progress: ada"
    assert fields["Streak (days)"].startswith("🔥 3")
    assert fields["Accuracy"] == "67% (2/3)"
    assert fields["Due now"].startswith("1 card") and "1 cards" not in fields["Due now"]
    assert "today 1" in fields["Answers and reviews per day"]
    mastery = fields["Per category: predicted recall · right/answered in the last 30 days"]
    assert "autograd" in mastery and "right" in mastery
    (chart,) = reply.attachments
    assert chart.filename == "progress.png" and chart.data.startswith(PNG) and len(chart.data) > 5000


async def test_mastery_rises_with_graduated_cards_and_drops_on_a_lapse(tutor: Tutor, frozen: Clock) -> None:
    def autograd_line(text: str) -> str:
        return next(line for line in text.splitlines() if line.startswith("autograd "))

    await answer(tutor, 1, None, True, T0 - dt.timedelta(days=3))
    await tutor.db.run(
        record_rating, 1, None, "autograd-basics", 3, "review", T0 - dt.timedelta(days=2, hours=23)
    )
    learned = autograd_line((await tutor.handle("/progress", member(1))).fields[-2].value)
    assert " 0%" not in learned and "2/2 right" in learned
    await answer(tutor, 1, None, False, T0)
    lapsed = autograd_line((await tutor.handle("/progress", member(1))).fields[-2].value)
    assert " 0%" in lapsed and "2/3 right" in lapsed  # recall drops, the earned accuracy stays visible


async def test_progress_of_another_member(tutor: Tutor, frozen: Clock) -> None:
    await answer(tutor, 2, 9, True, T0)
    reply = await tutor.handle("/progress <@2>", member(1, 9))
    assert reply.title == "Progress: <@2>"
    assert dict((f.name, f.value) for f in reply.fields)["Accuracy"] == "100% (1/1)"
    assert (await tutor.handle("/progress someone", member(1, 9))).tone == "error"


async def test_leaderboard_is_per_server_and_per_period(tutor: Tutor, frozen: Clock) -> None:
    last_week = T0 - dt.timedelta(days=8)
    for user_id, rights in ((1, 3), (2, 1), (3, 2)):
        for _ in range(rights):
            await answer(tutor, user_id, 100, True, T0)
    for _ in range(5):
        await answer(tutor, 2, 100, True, last_week)
        await answer(tutor, 4, 200, True, T0)  # another server

    week = await tutor.handle("/leaderboard", member(3, 100))
    assert [line.split()[1] for line in week.text.splitlines()] == ["<@1>", "<@3>", "<@2>"]
    assert "#2 of 3" in (week.footer or "")
    assert "<@4>" not in week.text

    all_time = await tutor.handle(week.choices[0].action, member(3, 100))
    assert all_time.choices[0].action == "/leaderboard week"
    assert [line.split()[1] for line in all_time.text.splitlines()] == ["<@2>", "<@1>", "<@3>"]
    assert "12 pts" in all_time.text.splitlines()[0]

    console = await tutor.handle("/leaderboard all", member(5))
    assert "Nobody" in console.text and "not on this board" in (console.footer or "")
    assert (await tutor.handle("/leaderboard month", member(5))).tone == "error"


async def test_timezone_setting(tutor: Tutor, frozen: Clock) -> None:
    done = await tutor.handle("/settings timezone asia/shanghai", member(1))
    assert "Asia/Shanghai" in done.text and "20:00" in done.text  # T0 is 12:00 UTC
    assert "Asia/Shanghai" in (await tutor.handle("/settings timezone", member(1))).text
    for bad in ("Mars/Olympus", "../../etc/passwd", "/etc/localtime"):
        assert (await tutor.handle(f"/settings timezone {bad}", member(1))).tone == "error", bad
    reply = await tutor.handle("/progress", member(1))
    assert "Asia/Shanghai" in (reply.footer or "")


async def test_one_right_answer_shows_on_day_one(tutor: Tutor, frozen: Clock) -> None:
    await answer(tutor, 3, None, True, T0)
    reply = await tutor.handle("/progress", member(3))
    mastery = next(f.value for f in reply.fields if f.name.startswith("Per category"))
    assert "1/1 right" in mastery


async def test_the_empty_state_explains_itself_without_an_empty_chart(tutor: Tutor, frozen: Clock) -> None:
    reply = await tutor.handle("/progress", member(4))
    assert "Nothing recorded yet" in reply.text and "/quiz" in reply.text
    assert reply.attachments == ()


async def test_a_chinese_chart_is_drawn_with_chinese_labels(tutor: Tutor, frozen: Clock) -> None:
    from bot.core.study.chart import ChartData, ChartLabels, cjk_font, render_png
    from bot.core.study.stats import DayCount

    if cjk_font() is None:
        pytest.skip("no CJK font installed here (make setup installs fonts-wqy-microhei)")
    days = [DayCount(738000 + i, 2, 1) for i in range(3)]
    labels = ChartLabels("每天答题", "各分类记忆率", "答对", "答错", {})
    png = render_png(ChartData(days, [], "进度", labels))
    assert png.startswith(PNG)
