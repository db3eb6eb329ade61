"""Issue 20, item 7: status lines without question marks, wording without buttons, readable
/forget-me counts, and no leaderboard points for a wrong answer."""

from __future__ import annotations

import sqlite3

from bot.core.features.demo import status_text
from bot.core.study.record import record_answer
from bot.core.tutor import Tutor
from bot.storage.migrations import MIGRATIONS, apply_migrations
from executor.jobs import JobEvent
from tests.study.conftest import T0, Clock, member

RAW_TABLES = ("study_", "privacy_tokens", "daily_answers", "members")


def test_status_lines_show_known_values_or_leave_them_out() -> None:
    for lang in ("zh", "en"):
        for event in (JobEvent("j", "queued"), JobEvent("j", "running")):
            assert "?" not in status_text(event, lang)
    assert "#2" in status_text(JobEvent("j", "queued", position=2), "en")
    assert "第 2 位" in status_text(JobEvent("j", "queued", position=2), "zh")
    assert "cpu" in status_text(JobEvent("j", "running", device="cpu"), "en")


async def test_wording_names_no_buttons(tutor: Tutor, frozen: Clock) -> None:
    for lang in ("zh", "en"):
        who = member(7)
        await tutor.handle(f"/settings language {lang}", who)
        card = await tutor.handle("/review-show autograd-basics 0", who)
        await tutor.handle("/quiz", who)  # a pending question to count
        confirm = await tutor.handle("/forget-me", who)
        for text in (card.footer or "", confirm.text, (await tutor.handle("/forget-me what", who)).text):
            assert "button" not in text.lower() and "按钮" not in text, text


async def test_forget_me_counts_rows_with_readable_labels(tutor: Tutor, frozen: Clock) -> None:
    who = member(8, 3)
    await tutor.handle("/settings language en", who)
    question = await tutor.handle("/quiz", who)
    await tutor.handle(question.choices[0].action, who)
    await tutor.handle("/quiz", who)
    english = await tutor.handle("/forget-me", who)
    assert "unanswered questions: 1" in english.text and "recorded answers: 1" in english.text
    await tutor.handle("/settings language zh", who)
    chinese = await tutor.handle("/forget-me", who)
    assert "未作答的题目 1 道" in chinese.text and "答题记录 1 条" in chinese.text
    for text in (english.text, chinese.text):
        assert not any(raw in text for raw in RAW_TABLES), text


async def test_a_wrong_answer_scores_no_points(tutor: Tutor, frozen: Clock) -> None:
    await tutor.db.run(record_answer, 1, 100, "autograd-basics", False, "quiz", T0)
    await tutor.db.run(record_answer, 2, 100, "autograd-basics", True, "quiz", T0)
    await tutor.db.run(record_answer, 2, 100, "autograd-basics", False, "quiz", T0)
    board = await tutor.handle("/leaderboard all", member(1, 100))
    lines = board.text.splitlines()
    assert "<@2>" in lines[0] and "2 pts" in lines[0] and "answered 2" in lines[0]
    assert "<@1>" in lines[1] and "0 pts" in lines[1]
    assert "none for a wrong one" in (board.footer or "")


def test_migration_8_takes_back_the_points_wrong_answers_scored() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    apply_migrations(conn, tuple(m for m in MIGRATIONS if m.version < 8))
    conn.execute(
        "INSERT INTO study_scores (guild_id, period, user_id, points, answers, correct) "
        "VALUES (1, 'all', 1, 5, 4, 1), (1, 'all', 2, 4, 2, 2)"
    )
    apply_migrations(conn)
    assert conn.execute("SELECT user_id, points FROM study_scores ORDER BY user_id").fetchall() == [
        (1, 2),
        (2, 4),
    ]
