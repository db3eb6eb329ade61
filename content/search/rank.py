"""Field-weighted BM25 over an inverted index held in numpy arrays.

Each term's posting list stores, per topic, the sum over fields of `field weight x BM25 saturation`,
already multiplied by the term's IDF, so a query is a handful of vectorised adds.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from content.search.document import Field

K1 = 1.2
COORDINATION = 0.5  # final score = BM25 x coverage ** COORDINATION: topics that explain more of the query win


@dataclass(frozen=True, slots=True)
class Postings:
    """The inverted index: `spans[term] = (start, stop)` into `docs` and `weights`."""

    n_docs: int
    spans: dict[str, tuple[int, int]]
    docs: np.ndarray
    weights: np.ndarray
    idf: dict[str, float]

    def __contains__(self, term: str) -> bool:
        return term in self.spans

    def df(self, term: str) -> int:
        start, stop = self.spans.get(term, (0, 0))
        return stop - start

    @property
    def max_idf(self) -> float:
        return _idf(self.n_docs, 0)


def _idf(n_docs: int, df: int) -> float:
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def _saturation(tf: int, length: int, avg: float, b: float) -> float:
    return tf * (K1 + 1.0) / (tf + K1 * (1.0 - b + b * length / avg))


def build_postings(docs: Sequence[Mapping[str, Sequence[str]]], fields: Sequence[Field]) -> Postings:
    """docs[i][field name] = that field's terms -> Postings."""
    vocab: dict[str, int] = {}
    term_ids, doc_ids, values = array("i"), array("i"), array("f")
    for field in fields:
        lengths = [len(doc.get(field.name, ())) for doc in docs]
        avg = max(sum(lengths) / max(len(docs), 1), 1.0)
        for doc_id, doc in enumerate(docs):
            for term, tf in Counter(doc.get(field.name, ())).items():
                term_ids.append(vocab.setdefault(term, len(vocab)))
                doc_ids.append(doc_id)
                values.append(field.weight * _saturation(tf, lengths[doc_id], avg, field.b))
    return _assemble(
        vocab,
        np.frombuffer(term_ids, np.int32),
        np.frombuffer(doc_ids, np.int32),
        np.frombuffer(values, np.float32),
        len(docs),
    )


def _assemble(
    vocab: dict[str, int], term_ids: np.ndarray, doc_ids: np.ndarray, values: np.ndarray, n_docs: int
) -> Postings:
    """Sum the fields of each (term, doc) pair, sort by term, and fold in the IDF."""
    keys = term_ids.astype(np.int64) * max(n_docs, 1) + doc_ids
    unique, inverse = np.unique(keys, return_inverse=True)
    summed = np.bincount(inverse, weights=values).astype(np.float32)
    terms_sorted = (unique // max(n_docs, 1)).astype(np.int32)
    docs_sorted = (unique % max(n_docs, 1)).astype(np.int32)
    counts = np.bincount(terms_sorted, minlength=len(vocab))
    starts = np.concatenate(([0], np.cumsum(counts)))
    idf_by_id = np.array([_idf(n_docs, int(c)) for c in counts], dtype=np.float32)
    summed *= idf_by_id[terms_sorted]
    spans, idf = {}, {}
    for term, tid in vocab.items():
        spans[term] = (int(starts[tid]), int(starts[tid + 1]))
        idf[term] = float(idf_by_id[tid])
    return Postings(n_docs, spans, docs_sorted, summed, idf)


def score(postings: Postings, query: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Query term weights -> (BM25 score per topic, matched share of the query's IDF mass per topic)."""
    scores = np.zeros(postings.n_docs, dtype=np.float32)
    matched = np.zeros(postings.n_docs, dtype=np.float32)
    total = 0.0
    for term, weight in query.items():
        idf = postings.idf.get(term, postings.max_idf)
        total += weight * idf
        span = postings.spans.get(term)
        if span is None:
            continue
        docs = postings.docs[span[0] : span[1]]
        scores[docs] += weight * postings.weights[span[0] : span[1]]
        matched[docs] += weight * idf
    if total > 0:
        matched /= total
    return scores, matched


def coordinate(scores: np.ndarray, coverage: np.ndarray, power: float | None = None) -> np.ndarray:
    """Reward topics that match more of the query: BM25 times a power of the matched share."""
    power = COORDINATION if power is None else power
    if power == 0:
        return scores
    return scores * np.power(np.clip(coverage, 0.0, 1.0), power, dtype=np.float32)
