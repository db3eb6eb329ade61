"""The command line behind a daily post's buttons: `/daily-answer <post id> <shown option>`.

Everything an answer needs rides in it (the post row holds the rest), so buttons keep working after a
restart. On Discord the same two numbers form the button's custom id (`daily:<post>:<option>`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMMAND = "daily-answer"
_ACTION = re.compile(rf"^/{COMMAND} (\d{{1,18}}) (\d)$")


@dataclass(frozen=True, slots=True)
class DailyAnswer:
    post_id: int
    shown: int  # the button's position; the post's option order maps it to the topic's option

    def action(self) -> str:
        return f"/{COMMAND} {self.post_id} {self.shown}"


def parse_answer_text(text: str) -> DailyAnswer | None:
    """The arguments after the command name: `<post id> <shown option>`."""
    return parse_answer_action(f"/{COMMAND} {text.strip()}")


def parse_answer_action(action: str) -> DailyAnswer | None:
    match = _ACTION.match(action.strip())
    return DailyAnswer(int(match[1]), int(match[2])) if match else None
