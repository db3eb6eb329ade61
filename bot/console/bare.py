"""Bare words typed in the console: a command name without its slash, or a letter answering a quiz.

Anything else without a slash still goes to `/ask`; these two would only find unrelated topics.
"""

from __future__ import annotations

import string

from bot.core.context import Lang
from bot.core.i18n import t
from bot.core.registry import Registry
from bot.core.replies import Choice, Reply

ANSWER_PREFIXES = ("/quiz-answer ", "/daily-answer ")


def answer_letter(line: str, last_choices: tuple[Choice, ...]) -> str | None:
    """`B` (or `b`) right after a question: the action of its second answer."""
    word = line.strip()
    if len(word) != 1 or word.upper() not in string.ascii_uppercase:
        return None
    answers = [c.action for c in last_choices if c.action.startswith(ANSWER_PREFIXES)]
    index = string.ascii_uppercase.index(word.upper())
    return answers[index] if index < len(answers) else None


def command_hint(line: str, commands: Registry, lang: Lang) -> Reply | None:
    """`help` or `review` alone: ask whether the member meant the command, instead of searching."""
    word = line.strip().lower()
    if not word or " " in word or word.startswith(("/", "!")):
        return None
    command = commands.get(word)
    if command is None or command.hidden:
        return None
    return Reply(
        text=t("console.did_you_mean_command", lang, command=f"/{command.name}", word=line.strip()),
        choices=(
            Choice(f"/{command.name}", f"/{command.name}", style="primary"),
            Choice(t("console.search_instead", lang), f"/ask {line.strip()}"),
        ),
    )
