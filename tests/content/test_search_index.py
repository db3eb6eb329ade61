"""Topic search over the real bank: ranking, typos, confidence, JSON shape, robustness, autocomplete."""

from __future__ import annotations

import json

import pytest

from content.search import Hit, SearchIndex, SearchResponse, Suggestion


def _rank(index: SearchIndex, query: str, topic_id: str, limit: int = 5) -> int | None:
    ids = [h.id for h in index.search(query, limit=limit).hits]
    return ids.index(topic_id) if topic_id in ids else None


def _need(index: SearchIndex, *topic_ids: str) -> None:
    missing = [t for t in topic_ids if index.topic(t) is None]
    if missing:
        pytest.skip(f"topics not written yet: {', '.join(missing)}")


# ---- ranking ---------------------------------------------------------------------------------------------


def test_every_title_finds_its_topic(search_index: SearchIndex) -> None:
    """Asking a topic's own question, in either language, finds it first (at least 95% of the time)."""
    docs = search_index.documents
    first = sum(_rank(search_index, q, d.id) == 0 for d in docs for q in (d.title_en, d.title_zh))
    assert first >= 0.95 * 2 * len(docs)


def test_aliases_find_their_topic(search_index: SearchIndex) -> None:
    docs = search_index.documents
    ranks = [_rank(search_index, alias, d.id) for d in docs for alias in d.aliases]
    assert sum(r is not None and r < 3 for r in ranks) >= 0.85 * len(ranks)


def test_identifier_query(search_index: SearchIndex) -> None:
    _need(search_index, "gather-scatter", "no-grad-inference-mode")
    assert _rank(search_index, "scatter_", "gather-scatter") == 0
    assert _rank(search_index, "torch.no_grad", "no-grad-inference-mode") == 0


@pytest.mark.parametrize(
    ("typo", "topic_id"),
    [
        ("pytroch retain_grpah", "requires-grad-grad-fn-retain-graph"),
        ("distilation", "knowledge-distillation"),
        ("reproducability", "reproducibility"),
        ("gradeint acumulation", "grad-accumulation"),
    ],
)
def test_typos_are_tolerated(search_index: SearchIndex, typo: str, topic_id: str) -> None:
    _need(search_index, topic_id)
    assert _rank(search_index, typo, topic_id, limit=3) is not None


def test_spelling_correction_uses_index_words(search_index: SearchIndex) -> None:
    assert [c.term for c in search_index.speller.correct("pytroch")][:1] == ["pytorch"]
    assert search_index.speller.correct("qzxv") == []


def test_traditional_query_matches_simplified_text(search_index: SearchIndex) -> None:
    _need(search_index, "reproducibility")
    assert _rank(search_index, "訓練結果怎麼樣才能復現", "reproducibility") == 0


# ---- confidence ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["qzxv wplkj trsk", "asdfghjkl", "🙂🙂🙂", "今天天气怎么样", "???", ""])
def test_gibberish_is_not_confident(search_index: SearchIndex, query: str) -> None:
    response = search_index.search(query)
    assert not response.confident
    assert len(response.hits) == min(5, len(search_index))


def test_a_clear_question_is_confident(search_index: SearchIndex) -> None:
    docs = search_index.documents
    confident = sum(search_index.search(d.title_en).confident for d in docs)
    assert confident >= 0.8 * len(docs)


# ---- the response ----------------------------------------------------------------------------------------


def test_json_shape(search_index: SearchIndex) -> None:
    response = search_index.search("autograd 是怎么算梯度的", limit=5)
    payload = response.to_json()
    assert set(payload) == {"query", "confident", "results", "error", "off_topic"}
    assert payload["error"] is None and payload["off_topic"] is False
    assert payload["query"] == "autograd 是怎么算梯度的"
    assert isinstance(payload["confident"], bool)
    assert len(payload["results"]) == min(5, len(search_index))
    for row in payload["results"]:
        assert set(row) == {"id", "title", "score"} and isinstance(row["score"], float)
        assert search_index.topic(row["id"]) is not None
    scores = [r["score"] for r in payload["results"]]
    assert scores == sorted(scores, reverse=True)
    assert response.lang == "zh" and payload["results"][0]["title"] == response.hits[0].title_zh
    json.dumps(payload, ensure_ascii=False)


def test_query_language_picks_the_title(search_index: SearchIndex) -> None:
    response = search_index.search("how does autograd work")
    assert response.lang == "en"
    assert response.to_json()["results"][0]["title"] == response.hits[0].title_en


def test_values_are_frozen(search_index: SearchIndex) -> None:
    hit = search_index.search("autograd").hits[0]
    assert isinstance(hit, Hit)
    with pytest.raises(AttributeError):
        hit.score = 0.0  # type: ignore[misc]


def test_topic_lookup(search_index: SearchIndex) -> None:
    first = search_index.documents[0].id
    assert search_index.topic(first).id == first
    assert search_index.topic("no-such-topic") is None


def test_rebuild_is_deterministic(search_index: SearchIndex) -> None:
    again = SearchIndex.build(search_index.topics.values())
    for query in ("显存爆了怎么办", "torch.no_grad vs inference_mode", "pytroch"):
        assert again.search(query, limit=10) == search_index.search(query, limit=10)


def test_empty_bank() -> None:
    empty = SearchIndex.build([])
    assert empty.search("anything") == SearchResponse("anything", False, [], "en")
    assert empty.suggest("any") == [] and empty.suggest("") == []


# ---- hostile input ---------------------------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "\n\t",
    "a" * 10_000,
    "显存" * 5_000,
    "🔥" * 300,
    "\x00\x01\x02\x7f",
    "\ud800\udfff broken surrogates",
    "'; DROP TABLE topics; --",
    "((((((",
    "\\",
    "*?+[",
    "%s %d {0}",
    "\u202e\u200b\ufeff",
    "ﷺ" * 50,
    "torch." * 500,
    "_" * 200,
    "-" * 200,
    "." * 200,
    "c++" * 100,
    "1" * 1000,
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_never_raises(search_index: SearchIndex, query: str) -> None:
    response = search_index.search(query)
    assert len(response.hits) == min(5, len(search_index))
    json.dumps(response.to_json())
    for choice in search_index.suggest(query):
        assert 1 <= len(choice.name) <= 100


@pytest.mark.parametrize("value", [None, b"\xff\xfe binary \x00 junk", 12345, 3.5, ["list"]])
def test_non_string_input_never_raises(search_index: SearchIndex, value: object) -> None:
    response = search_index.search(value)  # type: ignore[arg-type]
    assert len(response.hits) == min(5, len(search_index))
    assert isinstance(search_index.suggest(value), list)  # type: ignore[arg-type]


@pytest.mark.parametrize("limit", [-3, 0, 1, 7, 10_000, "5", None])
def test_odd_limits(search_index: SearchIndex, limit: object) -> None:
    hits = search_index.search("gradient", limit=limit).hits  # type: ignore[arg-type]
    assert 1 <= len(hits) <= min(100, len(search_index))
    if isinstance(limit, int) and limit >= 1:
        assert len(hits) == min(limit, len(search_index), 100)


# ---- autocomplete ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix", ["", "g", "gr", "grad", "梯", "显存", "torch.", "how do i", "zzzz", "x" * 500]
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_suggest_limits(search_index: SearchIndex, prefix: str, lang: str) -> None:
    choices = search_index.suggest(prefix, lang=lang)
    assert len(choices) <= 25
    for choice in choices:
        assert isinstance(choice, Suggestion)
        assert 1 <= len(choice.name) <= 100
        assert search_index.topic(choice.value) is not None
    assert len({c.value for c in choices}) == len(choices)


def test_suggest_default_list(search_index: SearchIndex) -> None:
    choices = search_index.suggest("")
    assert len(choices) == min(25, len(search_index))
    assert search_index.suggest("", limit=3) == choices[:3]


def test_suggest_finds_a_title_by_its_start(search_index: SearchIndex) -> None:
    for doc in search_index.documents[:20]:
        prefix = doc.title_en[:12]
        assert doc.id in [c.value for c in search_index.suggest(prefix)], prefix


def test_suggest_language(search_index: SearchIndex) -> None:
    doc = search_index.documents[0]
    assert search_index.suggest(doc.id, lang="zh")[0].name == doc.title_zh[:100]
    assert search_index.suggest(doc.id, lang="en")[0].name == doc.title_en[:100]
