"""`/leaderboard [week|all]`: this server's top members, and where the asking member stands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.context import Lang, Request
from bot.core.i18n import t
from bot.core.replies import Choice, Reply, error
from bot.core.study import clock
from bot.core.study.leaderboard import Board, Period, Standing, load_board
from bot.core.study.record import guild_key

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

PERIODS: dict[str, Period] = {
    "": "week",
    "week": "week",
    "weekly": "week",
    "本周": "week",
    "all": "all",
    "all-time": "all",
    "全部": "all",
}
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}


def leaderboard_args(text: str) -> dict[str, object]:
    """`week` (the default), `all`, or one of their aliases."""
    return {"period": PERIODS.get(text.strip().lower(), text.strip())}


async def leaderboard_command(tutor: Tutor, request: Request) -> Reply:
    lang = request.lang
    period = PERIODS.get(str(request.arg("period") or "").strip().lower())
    if period is None:
        return error(t("leaderboard.usage", lang))
    member = request.member
    board = await tutor.db.run(load_board, guild_key(member.guild_id), period, member.user_id, clock.now())
    return board_reply(board, request, lang)


def board_reply(board: Board, request: Request, lang: Lang) -> Reply:
    lines = [_line(s, request, lang) for s in board.top] or [t("leaderboard.empty", lang)]
    mine = board.mine
    footer = (
        t("leaderboard.mine_right_only", lang, rank=mine.rank, members=board.members, points=mine.points)
        if mine
        else t("leaderboard.not_ranked_right_only", lang)
    )
    other: Period = "all" if board.period == "week" else "week"
    return Reply(
        title=t(f"leaderboard.title.{board.period}", lang),
        text="\n".join(lines),
        footer=footer,
        choices=(Choice(t(f"leaderboard.switch.{other}", lang), f"/leaderboard {other}"),),
    )


def _line(standing: Standing, request: Request, lang: Lang) -> str:
    rank = MEDALS.get(standing.rank, f"{standing.rank}.")
    accuracy = round(100 * standing.correct / standing.answers) if standing.answers else 0
    return t(
        "leaderboard.line",
        lang,
        rank=rank,
        who=_name(standing.user_id, request, lang),
        points=standing.points,
        answers=standing.answers,
        accuracy=accuracy,
    )


def _name(user_id: int, request: Request, lang: Lang) -> str:
    if request.member.guild_id is not None:
        return f"<@{user_id}>"
    return t("leaderboard.you", lang) if user_id == request.member.user_id else f"#{user_id}"
