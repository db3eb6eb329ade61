"""Parsing `/challenge ...` in one place: the command registry port only needs this function."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ACTIONS = ("list", "start", "submit", "hint", "giveup", "board")
_FENCE = re.compile(r"```[ \t]*(?:python|py)?[ \t]*\n?(.*?)```", re.S | re.I)


@dataclass(frozen=True, slots=True)
class ChallengeArgs:
    action: str  # one of ACTIONS, or "" when the action word is unknown
    challenge_id: str = ""
    code: str = ""
    filters: tuple[str, ...] = field(default_factory=tuple)  # list: topic/category, level, framework words
    page: int = 1
    word: str = ""  # the unknown action word, for the error


def parse_challenge_args(text: str) -> ChallengeArgs:
    """`list [filters] [page N]` (the default), `start ID`, `submit ID <code>`, `hint ID`, `giveup ID`, `board`.

    Submitted code is the first ``` fenced block after the id, or everything after the id."""
    match = re.match(r"\s*(\S*)(.*)", text, re.S)
    head, rest = (match.group(1), match.group(2)) if match else ("", "")
    action = head.lower() if head else "list"
    if action == "give-up":
        action = "giveup"
    if action not in ACTIONS:
        if head and not _FENCE.search(text):  # `/challenge pytorch 2` lists with filters
            return _list_args(text.split())
        return ChallengeArgs("", word=head[:40])
    if action == "list":
        return _list_args(rest.split())
    if action == "board":
        return ChallengeArgs("board")
    match = re.match(r"\s*([^\s`]*)(.*)", rest, re.S)
    challenge_id, remainder = (match.group(1).lower(), match.group(2)) if match else ("", "")
    if action == "giveup":
        return ChallengeArgs(action, challenge_id, code=remainder.strip())  # `confirm`
    if action != "submit":
        return ChallengeArgs(action, challenge_id)
    return ChallengeArgs(action, challenge_id, code=extract_code(remainder))


def extract_code(text: str) -> str:
    match = _FENCE.search(text)
    if match:
        return match.group(1).strip("\n")
    return text.strip().strip("`").strip("\n")


def _list_args(words: list[str]) -> ChallengeArgs:
    filters, page = [], 1
    i = 0
    while i < len(words):
        word = words[i].lower()
        if word in ("page", "p", "页") and i + 1 < len(words) and words[i + 1].isdigit():
            page = max(1, int(words[i + 1]))
            i += 2
            continue
        filters.append(word)
        i += 1
    return ChallengeArgs("list", filters=tuple(filters), page=page)
