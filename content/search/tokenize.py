"""Normalised text -> search terms, the same way for topics and for queries.

* Code identifiers stay whole (`torch.no_grad`, `scatter_`, `cudnn.benchmark`, `define-by-run`) and also
  yield their dotted tails and their parts, so `no_grad` and "no grad" both find `torch.no_grad()`.
* camelCase names yield their parts (`GradScaler` -> grad, scaler).
* English words are lower-cased, stemmed lightly, stopwords dropped (kept where written as code: `.to()`).
* Chinese runs are segmented with jieba; stopword segments split a run, and every run piece yields its
  character bigrams, plus jieba words of three or more characters and single-character words.
* Phrases of the synonym groups add a concept term (`~oom`) shared by every way of saying the idea.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

import jieba

from content.search.english import is_stopword, stem, word_set
from content.search.script import simplify_query
from content.search.synonyms import GROUPS

log = logging.getLogger(__name__)


class Kind(StrEnum):
    WORD = "word"  # an English word or number
    IDENT = "ident"  # a whole code identifier
    PART = "part"  # a piece of an identifier or camelCase name
    BIGRAM = "bigram"  # two adjacent Chinese characters inside one jieba word
    SPAN = "span"  # two adjacent Chinese characters across a jieba word boundary
    HAN_WORD = "han_word"  # a jieba word of three or more characters
    HAN_CHAR = "han_char"  # a one-character Chinese word
    CONCEPT = "concept"  # a synonym group


@dataclass(frozen=True, slots=True)
class Token:
    term: str
    kind: Kind
    surface: str = ""  # the word as written, when `term` is its stem (for spelling correction)


CONCEPT_PREFIX = "~"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN = re.compile(r"[A-Za-z0-9_]+(?:[.\-][A-Za-z0-9_]+)*")
_ALNUM = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_CAMEL_HINT = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]")
# Product names whose camelCase parts mean nothing on their own.
_NO_SPLIT = word_set(
    "pytorch tensorflow tensorboard deepspeed torchserve tensorrt executorch mlflow pytorch3d onnxruntime "
    "github numpy scipy pypi torchvision torchaudio torchtext"
)
ZH_STOPWORDS = word_set(
    """
    的 了 是 吗 呢 吧 啊 呀 嘛 哦 么 着 过 地 得 和 与 及 或 或者 还是 要 会 能 能够 可以 可 我 你 他 她 它 我们 你们 他们
    这 那 这个 那个 这些 那些 这样 那样 这里 那里 个 一个 一些 一下 还 都 就 也 把 被 用 到 对 给 从 让 在 有 没 没有 不
    时 时候 中 里 里面 上 下 之 其 其中 等 并 而 但 但是 又 很 太 更 最 该 应该 需要 怎么 怎么办 怎样 怎么样 为什么 为何
    如何 什么 哪些 哪个 哪里 哪 啥 咋 干啥 请问 问题 区别 不同 有何 何时 是否 是不是 有没有 一般 通常 到底 究竟 比如 例如
    以及 如果 那么 因为 所以 然后 之后 之前 一样 自己 直接 一直 已经 还有 只 只有 就是 而且 并且 怎么回事 除了 还能 能不能
    可不可以 会不会 要不要 大概 多少 能干 干嘛 进行 使用 利用 采用 差别 差异 差在哪
    """
)


# "too big", "too small", ...: jieba's dictionary would glue the adjective to the word after it.
_DEGREE_PHRASES = ("太大", "太小", "太高", "太低", "太多", "太少", "太快", "太长", "太短")


@functools.cache
def _segmenter() -> jieba.Tokenizer:
    """A private jieba dictionary (the global one may be shared with other code), with domain words."""
    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    # jieba's default cache, /tmp/jieba.cache, belongs to whoever ran first: another user cannot
    # replace it and logs a traceback. One cache per uid (in the temp dir) avoids that.
    segmenter.cache_file = f"jieba.uid{os.getuid()}.cache"
    segmenter.initialize()
    for phrases in GROUPS.values():
        for phrase in phrases:
            if HAN.fullmatch(phrase):
                segmenter.add_word(phrase)
    for phrase in _DEGREE_PHRASES:  # else "太大会" splits as 太 + 大会 ("conference")
        segmenter.add_word(phrase, freq=100_000)
    return segmenter


@dataclass(frozen=True, slots=True)
class PhraseTables:
    """Synonym phrases: English ones keyed by their stemmed words, Chinese ones matched as substrings."""

    latin: dict[str, tuple[str, ...]]
    first_words: dict[str, int]  # first stemmed word -> most words in a phrase starting with it
    han: dict[str, tuple[tuple[str, str], ...]]  # first character -> (phrase, concept)


@functools.cache
def _phrase_tables() -> PhraseTables:
    latin: dict[str, list[str]] = {}
    han: dict[str, list[tuple[str, str]]] = {}
    for group, phrases in GROUPS.items():
        concept = CONCEPT_PREFIX + group
        for phrase in phrases:
            if HAN.search(phrase):
                han.setdefault(phrase[0], []).append((phrase, concept))
                continue
            words = [stem(w) for w in _ALNUM.findall(phrase.lower().replace("c++", "cpp"))]
            if words:
                latin.setdefault(" ".join(words), []).append(concept)
    first_words: dict[str, int] = {}
    for key in latin:
        first, length = key.split(" ")[0], key.count(" ") + 1
        first_words[first] = max(first_words.get(first, 0), length)
    return PhraseTables(
        latin={k: tuple(dict.fromkeys(v)) for k, v in latin.items()},
        first_words=first_words,
        han={c: tuple(v) for c, v in han.items()},
    )


def clear_caches() -> None:
    """Forget memoised tokens (benchmarks use it to time queries as if never seen before)."""
    _latin_chunk.cache_clear()
    _han_run.cache_clear()


def warm_up() -> None:
    """Load jieba's dictionary, the script tables and the phrase tables now, not on the first query."""
    _segmenter()
    _phrase_tables()
    simplify_query("為什麼")


def _word(word: str, kind: Kind, *, code: bool = False) -> Token | None:
    if not code and is_stopword(word):
        return None
    if word.isdigit() and len(word) == 1:
        return None
    return Token(stem(word), kind, word)


def _camel_parts(raw: str) -> Iterator[Token]:
    for segment in re.split(r"[._\-]", raw):
        if not _CAMEL_HINT.search(segment) or segment.lower() in _NO_SPLIT:
            continue
        for part in _CAMEL.findall(segment):
            token = _word(part.lower(), Kind.PART)
            if token is not None:
                yield token


def _identifier(low: str) -> Iterator[Token]:
    """A name with dots, underscores or hyphens: the whole name, its dotted tails, its pieces."""
    whole = low.strip(".-")
    yield Token(whole, Kind.IDENT)
    dotted = whole.split(".")
    for start in range(1, len(dotted) - 1):
        yield Token(".".join(dotted[start:]), Kind.PART)
    is_code = len(dotted) > 1 or "_" in whole  # hyphenated prose (on-device) drops its stopwords
    for segment in dotted:
        pieces = [p for p in re.split(r"[_\-]", segment) if p]
        if len(dotted) > 1 and len(pieces) > 1:
            yield Token(segment, Kind.IDENT)
        for piece in pieces:
            token = _word(piece, Kind.PART, code=is_code)
            if token is not None:
                yield token


@functools.lru_cache(maxsize=262144)
def _latin_chunk(raw: str, code: bool) -> tuple[Token, ...]:
    """Tokens of one Latin chunk; `code` when written as code (`.to`, `view(`), which keeps stopwords."""
    low = raw.lower()
    if "." in low or "_" in low or "-" in low:
        tokens = list(_identifier(low))
    else:
        token = _word(low, Kind.WORD, code=code)
        tokens = [token] if token is not None else []
    tokens.extend(_camel_parts(raw))
    return tuple(tokens)


def latin_tokens(text: str) -> Iterator[Token]:
    for match in LATIN.finditer(text):
        start, end = match.span()
        code = (start > 0 and text[start - 1] == ".") or (end < len(text) and text[end] == "(")
        yield from _latin_chunk(match.group(), code)


def _han_pieces(run: str) -> Iterator[list[str]]:
    """jieba words of a Chinese run, grouped into pieces separated by stopwords."""
    piece: list[str] = []
    for word in _segmenter().cut(run, HMM=False):
        if word in ZH_STOPWORDS:
            if piece:
                yield piece
            piece = []
        else:
            piece.append(word)
    if piece:
        yield piece


@functools.lru_cache(maxsize=131072)
def _han_run(run: str) -> tuple[Token, ...]:
    tokens: list[Token] = []
    for words in _han_pieces(run):
        joined = "".join(words)
        if len(joined) == 1:
            tokens.append(Token(joined, Kind.HAN_CHAR))
            continue
        word_of = [n for n, word in enumerate(words) for _ in word]
        tokens.extend(
            Token(joined[i : i + 2], Kind.BIGRAM if word_of[i] == word_of[i + 1] else Kind.SPAN)
            for i in range(len(joined) - 1)
        )
        for word in words:
            if len(word) >= 3:
                tokens.append(Token(word, Kind.HAN_WORD))
            elif len(word) == 1:
                tokens.append(Token(word, Kind.HAN_CHAR))
    return tuple(tokens)


def han_tokens(text: str) -> Iterator[Token]:
    for match in HAN.finditer(text):
        yield from _han_run(match.group())


def concept_tokens(low: str) -> Iterator[Token]:
    tables = _phrase_tables()
    words = [stem(w) for w in _ALNUM.findall(low)]
    for i in [i for i, word in enumerate(words) if word in tables.first_words]:
        for n in range(1, min(tables.first_words[words[i]], len(words) - i) + 1):
            for concept in tables.latin.get(" ".join(words[i : i + n]), ()):
                yield Token(concept, Kind.CONCEPT)
    for char in tables.han.keys() & set(low):
        for phrase, concept in tables.han[char]:
            for _ in range(low.count(phrase)):
                yield Token(concept, Kind.CONCEPT)


def tokenize(text: str, *, concepts: bool = True) -> list[Token]:
    """Normalised text (see `normalize`) -> tokens; case does not matter."""
    tokens = list(latin_tokens(text))
    tokens.extend(han_tokens(text))
    if concepts:
        tokens.extend(concept_tokens(text.lower()))
    return tokens


def terms(text: str) -> list[str]:
    return [token.term for token in tokenize(text)]


_SURFACE = re.compile(r"[a-z][a-z]{4,}")


def spellings(text: str) -> dict[str, str]:
    """English words of a lower-cased text, each mapped to its index term (its stem)."""
    return {word: stem(word) for word in _SURFACE.findall(text) if not is_stopword(word)}
