"""`/demo` without a demo's exact name: a paged list, a filter by category or word, near names.

`/demo` lists every demo, PAGE_SIZE at a time; `/demo autograd` or `/demo checkpoint` keeps those
whose category, framework, name or one-line summary match; `page N` anywhere turns the page.
A word that matches nothing gets the demos whose names are close to it, or a plain "none match".
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.context import Lang
from bot.core.features.topic_view import clip
from bot.core.i18n import t
from bot.core.replies import Choice, Reply
from content.loader import Bank, Demo

PAGE_SIZE = 20  # with the two page turns, within a Discord select's 25 options
SIMILAR_CUTOFF = 70  # rapidfuzz ratio (0-100): typos pass, unrelated words do not
_PAGE = re.compile(r"\bpage\s+(\d+)\b", re.I)


@dataclass(frozen=True, slots=True)
class DemoEntry:
    id: str
    summary: str
    category: str | None
    framework: str

    def haystack(self) -> str:
        return " ".join((self.id, self.summary, self.category or "", self.framework)).lower()


@dataclass(frozen=True, slots=True)
class DemoQuery:
    words: tuple[str, ...]
    page: int


def parse_query(text: str) -> DemoQuery:
    match = _PAGE.search(text)
    page = int(match[1]) if match else 1
    rest = _PAGE.sub(" ", text) if match else text
    return DemoQuery(tuple(w.lower() for w in rest.split()), max(1, page))


def summary_of(demo: Demo) -> str:
    """The first line of the demo's docstring."""
    try:
        doc = ast.get_docstring(ast.parse(demo.source)) or ""
    except SyntaxError:
        doc = ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


_ENTRIES: dict[int, tuple[DemoEntry, ...]] = {}


def entries(bank: Bank) -> tuple[DemoEntry, ...]:
    """Every demo with its summary and its topic's category, computed once per loaded bank."""
    found = _ENTRIES.get(id(bank))
    if found is None:
        categories = {topic.demo: topic.category for topic in bank.topics.values() if topic.demo}
        found = tuple(
            DemoEntry(d.id, summary_of(d), categories.get(d.id), d.framework)
            for d in sorted(bank.demos.values(), key=lambda d: d.id)
        )
        _ENTRIES[id(bank)] = found
    return found


def matching(all_entries: tuple[DemoEntry, ...], words: tuple[str, ...]) -> list[DemoEntry]:
    """Demos matching every word (a category matches exactly; other words as substrings)."""
    found = []
    for entry in all_entries:
        hay = entry.haystack()
        if all(word == entry.category or word in hay for word in words):
            found.append(entry)
    return found


def similar(all_entries: tuple[DemoEntry, ...], name: str, limit: int = 5) -> list[str]:
    ids = [e.id for e in all_entries]
    return [
        m[0] for m in process.extract(name, ids, scorer=fuzz.ratio, limit=limit, score_cutoff=SIMILAR_CUTOFF)
    ]


def list_reply(bank: Bank, query: DemoQuery, lang: Lang) -> Reply:
    """The page of demos the query asks for; near names or "none match" when nothing matches."""
    all_entries = entries(bank)
    found = matching(all_entries, query.words)
    wanted = " ".join(query.words)
    if not found:
        close = similar(all_entries, wanted.replace(" ", "-"))
        key = "demo.unknown_similar" if close else "demo.unknown_none"
        return Reply(
            text=t(key, lang, name=clip(wanted, 60)),
            tone="error",
            select=tuple(Choice(c, f"/demo {c}") for c in close),
            ephemeral=True,
        )
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(query.page, pages)
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    prefix = f"/demo {wanted} " if wanted else "/demo "
    nav = []
    if page > 1:
        nav.append(Choice(t("demo.page_previous", lang), f"{prefix}page {page - 1}"))
    if page < pages:
        nav.append(Choice(t("demo.page_next", lang), f"{prefix}page {page + 1}", style="primary"))
    heading = t("demo.list_filtered" if wanted else "demo.list_all", lang, count=len(found), words=wanted)
    listed = tuple(
        Choice(
            clip(e.id, 100),
            f"/demo {e.id}",
            description=clip(" · ".join(p for p in (e.category, e.summary) if p), 100) or None,
        )
        for e in shown
    )
    return Reply(
        title=t("demo.pick", lang),
        text=f"{heading}\n{t('demo.filter_hint', lang)}",
        # The page turns sit after the demos, so the console numbers the demos from 1.
        select=listed + tuple(nav),
        select_placeholder=t("demo.pick", lang),
        footer=t("demo.page_of", lang, page=page, pages=pages),
    )
