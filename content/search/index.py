"""SearchIndex: build it from topics at start-up (and again on every content reload), then search,
suggest and look topics up. An index is immutable; a reload builds a new one and swaps the reference."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from content.schema import CATEGORIES, Topic
from content.search import suggest as autocomplete
from content.search.confidence import Evidence, is_confident
from content.search.document import FIELDS, Document, document
from content.search.errors import ErrorCatalogue, ErrorMatch, parse
from content.search.fuzzy import Speller
from content.search.models import Hit, Lang, SearchResponse, Suggestion
from content.search.normalize import as_text, normalize_query
from content.search.phrases import AliasIndex
from content.search.query import WeightedQuery, language, weigh
from content.search.rank import Postings, build_postings, coordinate, score
from content.search.scope import Scope, default_scope
from content.search.tokenize import spellings, terms, warm_up

log = logging.getLogger(__name__)

MAX_LIMIT = 100
OFF_TOPIC_SCORE = 3.0  # without an in-scope word, a best score below this means no topic fits
OFF_TOPIC_COVERAGE = 0.3  # or the best topic explains less than this share of the query
OFF_TOPIC_FOCUS = 0.5  # or less than this share of the query is what some topic is about (its focus terms)
FOCUS_FIELDS = ("title", "aliases", "summary", "errors")


def _default_rank(doc: Document) -> tuple[int, int, str]:
    """Order for empty or unmatched queries: basic topics first, then by category and id."""
    category = CATEGORIES.index(doc.category) if doc.category in CATEGORIES else len(CATEGORIES)
    return doc.level, category, doc.id


def _field_terms(doc: Document) -> dict[str, list[str]]:
    return {field.name: terms(doc.fields[field.name]) for field in FIELDS}


def _spellings(documents: Iterable[Document], vocabulary: Iterable[str]) -> dict[str, str]:
    """Every known spelling -> its index term: index terms themselves, and the surface words of topics."""
    known = {term: term for term in vocabulary}
    for doc in documents:
        for text in doc.fields.values():
            for word, term in spellings(text.lower()).items():
                known.setdefault(word, term)
    return known


@dataclass(frozen=True, slots=True)
class SearchIndex:
    documents: tuple[Document, ...]  # in default order: basic topics first
    topics: Mapping[str, Topic]
    postings: Postings
    speller: Speller
    vocabulary: autocomplete.Vocabulary
    labels: autocomplete.Labels
    aliases: AliasIndex
    errors: ErrorCatalogue
    scope: Scope
    focus: frozenset[str]  # terms of what topics are about: titles, aliases, summaries, errors
    build_seconds: float

    @classmethod
    def build(cls, topics: Iterable[Topic]) -> SearchIndex:
        """Index every topic (a later duplicate id replaces an earlier one). Anything shaped like a Topic
        works: the benchmark indexes stand-in records."""
        started = time.perf_counter()
        warm_up()
        by_id = {topic.id: topic for topic in topics}
        documents = tuple(sorted((document(t) for t in by_id.values()), key=_default_rank))
        field_terms = [_field_terms(doc) for doc in documents]
        postings = build_postings(field_terms, FIELDS)
        vocabulary = tuple(sorted(t for t in postings.spans if not t.startswith("~")))
        index = cls(
            documents=documents,
            topics=by_id,
            postings=postings,
            speller=Speller.build(_spellings(documents, vocabulary)),
            vocabulary=autocomplete.Vocabulary(vocabulary),
            labels=autocomplete.Labels.build(documents),
            aliases=AliasIndex.build(documents, postings),
            errors=ErrorCatalogue.build(by_id.values()),
            scope=default_scope(),
            focus=frozenset(t for terms in field_terms for name in FOCUS_FIELDS for t in terms[name]),
            build_seconds=time.perf_counter() - started,
        )
        log.info(
            "search index built: %d topics, %d terms in %.2f s",
            len(documents),
            len(vocabulary),
            index.build_seconds,
        )
        return index

    def __len__(self) -> int:
        return len(self.documents)

    def topic(self, topic_id: str) -> Topic | None:
        return self.topics.get(topic_id) if isinstance(topic_id, str) else None

    # ---- search ---------------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 5) -> SearchResponse:
        """Best topics first; never raises. At least min(limit, number of topics) hits."""
        try:
            return self._search(as_text(query), limit)
        except Exception:
            log.exception("search failed for %.80r; answering with the default list", query)
            return self._fallback(as_text(query), limit)

    def _wanted(self, limit: int) -> int:
        try:
            limit = int(limit)
        except (TypeError, ValueError):
            limit = 5
        return max(1, min(limit, MAX_LIMIT, len(self.documents))) if self.documents else 0

    def _search(self, raw: str, limit: int) -> SearchResponse:
        parsed = parse(raw)
        matched = self.errors.match(raw, parsed)
        # A pasted error is searched by its type, message and library functions, not its paths and code.
        text = normalize_query(parsed.search_text() if parsed is not None else raw)
        weighted = weigh(text, self.postings, self.speller)
        bm25, coverage = score(self.postings, weighted.terms)
        bonus = self.aliases.bonus(weighted.terms, len(self.documents))
        scores = coordinate(bm25 if bonus is None else bm25 + bonus, coverage)
        order = self._top(scores, self._wanted(limit))
        lang = _lang(weighted) if parsed is None else ("zh" if language(raw[:2000]) == "zh" else "en")
        if matched is not None:
            return self._error_response(raw, matched, scores, order, lang)
        off_topic = self._off_topic(text, weighted, scores, coverage, order)
        confident = not off_topic and self._confident(scores, coverage, order)
        hits = [self._hit(position, float(scores[position])) for position in order]
        return SearchResponse(raw, confident, hits, lang, off_topic=off_topic)

    def _error_response(
        self, raw: str, matched: ErrorMatch, scores: np.ndarray, order: list[int], lang: Lang
    ) -> SearchResponse:
        """A known error: its topic first and confident, the ranked topics after it."""
        position = self._positions[matched.topic_id]
        rest = [p for p in order if p != position][: max(len(order) - 1, 0)]
        # The listed error outranks any wording: its topic scores on top of the best other topic.
        lead = float(scores[position]) + (float(scores[rest[0]]) if rest else 0.0)
        hits = [self._hit(position, lead), *(self._hit(p, float(scores[p])) for p in rest)]
        return SearchResponse(raw, True, hits, lang, error=matched)

    def _off_topic(
        self, text: str, weighted: WeightedQuery, scores: np.ndarray, coverage: np.ndarray, order: list[int]
    ) -> bool:
        """Outside the bank: an off-topic subject and nothing specific tying the question to the bank;
        or nothing tying it at all, and no topic that explains a fair share of it, or a query mostly made
        of words that only turn up in passing (in long answers and code, not in what a topic is about)."""
        if not order:
            return False  # an empty bank: there is nothing to be off from
        verdict = self.scope.judge(text)
        if verdict.group is not None:
            return not verdict.strong
        if verdict.strong or verdict.weak:
            return False
        best, share = float(scores[order[0]]), float(coverage[order[0]])
        return best < OFF_TOPIC_SCORE or share < OFF_TOPIC_COVERAGE or self._focus(weighted) < OFF_TOPIC_FOCUS

    def _focus(self, weighted: WeightedQuery) -> float:
        """The share of the query's IDF mass in terms that some topic's title, aliases, summary or errors use."""
        total = inside = 0.0
        for term, weight in weighted.terms.items():
            mass = weight * self.postings.idf.get(term, self.postings.max_idf)
            total += mass
            inside += mass if term in self.focus else 0.0
        return inside / total if total > 0 else 0.0

    @property
    def _positions(self) -> dict[str, int]:
        return {doc.id: i for i, doc in enumerate(self.documents)}

    def _top(self, scores: np.ndarray, k: int) -> list[int]:
        """Positions of the k best scores, ties in default order."""
        if k <= 0:
            return []
        if len(scores) > 4 * k:
            candidates = np.argpartition(-scores, k - 1)[:k]
            threshold = scores[candidates].min()
            candidates = np.flatnonzero(scores >= threshold)
        else:
            candidates = np.arange(len(scores))
        ranked = candidates[np.lexsort((candidates, -scores[candidates]))]
        return [int(p) for p in ranked[:k]]

    def _confident(self, scores: np.ndarray, coverage: np.ndarray, order: list[int]) -> bool:
        if not order:
            return False
        best = float(scores[order[0]])
        second = float(np.partition(scores, -2)[-2]) if len(scores) > 1 else 0.0
        return is_confident(Evidence(best, second, float(coverage[order[0]])))

    def _hit(self, position: int, value: float) -> Hit:
        doc = self.documents[position]
        return Hit(doc.id, round(value, 4), doc.title_zh, doc.title_en)

    def _fallback(self, raw: str, limit: int) -> SearchResponse:
        try:
            lang: Lang = "zh" if language(raw[:1000]) == "zh" else "en"
            count = self._wanted(limit)
        except Exception:
            lang, count = "en", min(5, len(self.documents))
        hits = [self._hit(position, 0.0) for position in range(count)]
        return SearchResponse(raw, False, hits, lang)

    # ---- autocomplete ---------------------------------------------------------------------------------

    def suggest(self, prefix: str, limit: int = 25, lang: str = "en") -> list[Suggestion]:
        """Discord autocomplete choices for what has been typed so far; never raises."""
        try:
            return self._suggest(as_text(prefix), limit, lang)
        except Exception:
            log.exception("suggest failed for %.80r", prefix)
            return []

    def _suggest(self, raw: str, limit: int, lang: str) -> list[Suggestion]:
        count = max(0, min(int(limit), autocomplete.MAX_CHOICES, len(self.documents)))
        text = normalize_query(raw)
        shown: Lang = "zh" if lang == "zh" or language(text) == "zh" else "en"
        if not text:
            return [self._choice(position, shown) for position in range(count)]
        needle = text.lower()
        tiers = self.labels.tiers(needle) if autocomplete.worth_matching(needle) else {}
        scores = self._prefix_scores(text)
        tier = np.full(len(self.documents), 2, dtype=np.int8)
        if tiers:
            tier[list(tiers)] = list(tiers.values())
        order = np.lexsort((np.arange(len(scores)), -scores, tier))
        ranked = [int(p) for p in order[:count] if tier[p] < 2 or scores[p] > 0]
        return [self._choice(position, shown) for position in ranked]

    def _prefix_scores(self, text: str) -> np.ndarray:
        weighted = weigh(text, self.postings, self.speller)
        terms_ = dict(weighted.terms)
        stub = autocomplete.unfinished_word(text)
        if stub:
            for term in self.vocabulary.complete(stub):
                terms_.setdefault(term, 0.8)
        return score(self.postings, terms_)[0]

    def _choice(self, position: int, lang: Lang) -> Suggestion:
        doc = self.documents[position]
        title = doc.title_zh if lang == "zh" else doc.title_en
        return Suggestion(autocomplete.display_name(title), doc.id)


def _lang(weighted: WeightedQuery) -> Lang:
    return "zh" if weighted.lang == "zh" else "en"
