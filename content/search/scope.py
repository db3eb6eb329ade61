"""Is a question inside the bank's scope? Word lists in `content/scope.yaml` say what signals an
off-topic question (general Python, other software, careers, chit-chat, uncovered subjects) and what ties
a question to the bank; the search's own evidence (how much of the query the best topic explains) does
the rest, in `SearchIndex`."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from content.search.english import stem
from content.search.tokenize import HAN

SCOPE_FILE = Path(__file__).resolve().parent.parent / "scope.yaml"
_WORD = re.compile(r"[a-z0-9#+]+")


def _words(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower())]


@dataclass(frozen=True, slots=True)
class Scope:
    latin_out: dict[tuple[str, ...], str]  # stemmed words of a phrase -> its group
    han_out: dict[str, str]
    latin_in: frozenset[str]
    han_in: tuple[str, ...]
    generic_concepts: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path = SCOPE_FILE) -> Scope:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        latin_out: dict[tuple[str, ...], str] = {}
        han_out: dict[str, str] = {}
        for group, phrases in (raw.get("out_of_scope") or {}).items():
            for phrase in phrases:
                phrase = str(phrase)
                if HAN.search(phrase):
                    han_out[phrase] = group
                elif words := tuple(_words(phrase)):
                    latin_out[words] = group
        latin_in, han_in = set(), []
        for word in raw.get("in_scope") or ():
            word = str(word)
            if HAN.search(word):
                han_in.append(word)
            else:
                latin_in.update(_words(word))
        generic = frozenset(str(g) for g in raw.get("generic_concepts") or ())
        return cls(latin_out, han_out, frozenset(latin_in), tuple(han_in), generic)

    def names_concept(self, terms: Iterable[str]) -> bool:
        """Whether the query's terms hold a domain synonym group (`~lr`), not a generic one (`~slow`)."""
        return any(t.startswith("~") and t[1:] not in self.generic_concepts for t in terms)

    def judge(self, text: str) -> tuple[str | None, bool]:
        """(the off-topic group a normalised query names, or None; whether it names in-scope words).
        In-scope words inside an off-topic phrase ("diffusion model") do not count."""
        low = text.lower()
        words = _words(low)
        used = [False] * len(words)
        group = None
        longest = max((len(k) for k in self.latin_out), default=0)
        for i in range(len(words)):
            for n in range(min(longest, len(words) - i), 0, -1):
                found = self.latin_out.get(tuple(words[i : i + n]))
                if found is not None:
                    group = group or found
                    used[i : i + n] = [True] * n
                    break
        rest = low
        for phrase, found in self.han_out.items():
            if phrase in rest:
                group = group or found
                rest = rest.replace(phrase, " ")
        anchored = any(w in self.latin_in and not u for w, u in zip(words, used, strict=True))
        anchored = anchored or any(word in rest for word in self.han_in)
        return group, anchored


@functools.cache
def default_scope() -> Scope:
    return Scope.load()
