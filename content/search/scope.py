"""Is a question inside the bank's scope? Word lists in `content/scope.yaml` say what signals an
off-topic question (general Python, other software, careers, chit-chat, uncovered subjects) and what ties
a question to the bank: strongly (a framework, an API, a domain concept of `content/synonyms.yaml`) or
weakly (general words such as "model"). The search's own evidence (how much of the query the best topic
explains) does the rest, in `SearchIndex`."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from content.search.english import stem
from content.search.tokenize import HAN, concept_tokens

SCOPE_FILE = Path(__file__).resolve().parent.parent / "scope.yaml"
_WORD = re.compile(r"[a-z0-9#+]+")


def _words(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower())]


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a question names: an off-topic group, and words that tie it to the bank."""

    group: str | None  # the first off-topic group named, if any
    strong: bool  # a framework, API or domain concept the bank covers (outside any off-topic phrase)
    weak: bool  # a general deep-learning word ("model", "训练") outside any off-topic phrase


@dataclass(frozen=True, slots=True)
class Scope:
    latin_out: dict[tuple[str, ...], str]  # stemmed words of a phrase -> its group
    han_out: dict[str, str]
    strong_latin: frozenset[str]
    strong_han: tuple[str, ...]
    weak_latin: frozenset[str]
    weak_han: tuple[str, ...]
    generic_concepts: frozenset[str]

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
        in_scope = raw.get("in_scope") or {}
        strong_latin, strong_han = _split(in_scope.get("strong") or ())
        weak_latin, weak_han = _split(in_scope.get("weak") or ())
        generic = frozenset(str(g) for g in raw.get("generic_concepts") or ())
        return cls(latin_out, han_out, strong_latin, strong_han, weak_latin, weak_han, generic)

    def judge(self, text: str) -> Verdict:
        """Read a normalised query. Words inside an off-topic phrase ("diffusion model", "resume" in
        "write a good resume") do not tie it to the bank."""
        low = text.lower()
        matches = list(_WORD.finditer(low))
        words = [stem(m.group()) for m in matches]
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
        rest = list(low)
        for match, is_used in zip(matches, used, strict=True):
            if is_used:
                rest[match.start() : match.end()] = " " * (match.end() - match.start())
        remaining = "".join(rest)
        for phrase, found in self.han_out.items():
            if phrase in remaining:
                group = group or found
                remaining = remaining.replace(phrase, " " * len(phrase))
        kept = {w for w, u in zip(words, used, strict=True) if not u}
        concepts = {t.term[1:] for t in concept_tokens(remaining)}
        strong = bool(kept & self.strong_latin) or any(w in remaining for w in self.strong_han)
        strong = strong or bool(concepts - self.generic_concepts)
        weak = bool(kept & self.weak_latin) or any(w in remaining for w in self.weak_han)
        return Verdict(group, strong, weak)


def _split(words: Iterable[object]) -> tuple[frozenset[str], tuple[str, ...]]:
    latin: set[str] = set()
    han: list[str] = []
    for word in map(str, words):
        if HAN.search(word):
            han.append(word)
        else:
            latin.update(_words(word))
    return frozenset(latin), tuple(han)


@functools.cache
def default_scope() -> Scope:
    return Scope.load()
