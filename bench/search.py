"""Topic search benchmark: accuracy on the development queries, latency, build time.

`python -m bench search` writes the section into docs/benchmarks.md. For a closer look while tuning,
`python -m bench.search --failures` prints every miss, and `--standin` fills the topics that have not been
written yet with stand-ins made from the syllabus (for development only; the report uses the real bank).
"""

from __future__ import annotations

import argparse
import logging
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

from bench.stats import percentile
from content.loader import load_bank
from content.search import SearchIndex
from content.search.tokenize import clear_caches

log = logging.getLogger("bench.search")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV_QUERIES = SHARED / "queries-dev.yaml"
SYLLABUS = SHARED / "syllabus.yaml"
LANGS = ("en", "zh-CN", "zh-TW", "mixed")
QUERY_SETS = ROOT / "bench" / "queries"
HELD_OUT = QUERY_SETS / "heldout.yaml"  # report only; never tuned on
# Each later held-out set was written after a change to the search, so it is the cleanest measure of it.
HELD_OUT_SETS = tuple(sorted(QUERY_SETS.glob("heldout*.yaml"), key=lambda p: (len(p.name), p.name)))
DEV_SETS = tuple(sorted(QUERY_SETS.glob("dev*.yaml"), key=lambda p: (len(p.name), p.name)))  # tuned on
RANKED_GROUPS = (*LANGS, "interview", "traceback")
OFF_TOPIC = "off-topic"
SYNTHETIC_TOPICS = 10_000


@dataclass(frozen=True, slots=True)
class DevQuery:
    q: str
    expect: str
    lang: str
    also: tuple[str, ...] = ()

    @property
    def accepted(self) -> frozenset[str]:
        return frozenset((self.expect, *self.also))


@dataclass(frozen=True, slots=True)
class Outcome:
    query: DevQuery
    ranked: tuple[str, ...]
    confident: bool

    @property
    def top1(self) -> bool:
        return bool(self.ranked) and self.ranked[0] in self.query.accepted

    @property
    def top3(self) -> bool:
        return any(topic in self.query.accepted for topic in self.ranked[:3])


@dataclass(frozen=True, slots=True)
class Accuracy:
    outcomes: tuple[Outcome, ...]
    skipped: int  # dev queries whose expected topic is not in the bank

    def subset(self, lang: str) -> Accuracy:
        return Accuracy(tuple(o for o in self.outcomes if o.query.lang == lang), 0)

    @property
    def n(self) -> int:
        return len(self.outcomes)

    def rate(self, attribute: str) -> float:
        return sum(getattr(o, attribute) for o in self.outcomes) / self.n if self.n else float("nan")

    @property
    def confident_precision(self) -> float:
        confident = [o for o in self.outcomes if o.confident]
        return sum(o.top1 for o in confident) / len(confident) if confident else float("nan")


@dataclass(frozen=True, slots=True)
class Latency:
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)

    def cell(self) -> str:
        """p50 / p99 wall clock, and p99 of the thread's CPU time (unaffected by other processes)."""
        return (
            f"{statistics.median(self.wall_ms):.2f} / {percentile(self.wall_ms, 0.99):.2f} ms "
            f"(CPU p99 {percentile(self.cpu_ms, 0.99):.2f} ms)"
        )


# ---- inputs ----------------------------------------------------------------------------------------------


def load_dev_queries(path: Path = DEV_QUERIES) -> list[DevQuery]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [DevQuery(r["q"], r["expect"], r["lang"], tuple(r.get("also") or ())) for r in rows]


def _bilingual(zh: Any, en: Any) -> SimpleNamespace:
    return SimpleNamespace(zh=zh, en=en)


def standin_topics(missing: Iterable[str], syllabus: Path = SYLLABUS) -> list[SimpleNamespace]:
    """Topic-shaped records built from the syllabus brief (English facts only, no aliases)."""
    wanted = set(missing)
    records = []
    for entry in yaml.safe_load(syllabus.read_text(encoding="utf-8")) or []:
        if entry["id"] not in wanted:
            continue
        facts = entry.get("key_facts") or []
        records.append(
            SimpleNamespace(
                id=entry["id"],
                category=entry["category"],
                level=entry["level"],
                title=_bilingual(entry["title_zh"], entry["title_en"]),
                summary=_bilingual(entry["title_zh"], facts[0] if facts else entry["title_en"]),
                answer=_bilingual(entry["title_zh"], " ".join(facts)),
                aliases=_bilingual([], []),
                pitfalls=_bilingual([], [entry.get("seed_errors") or ""]),
            )
        )
    return records


# ---- synthetic bank ------------------------------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[。！？.!?\n])")


def _perturb(text: str, rng: random.Random, donor: Sequence[str]) -> str:
    """Drop and reorder sentences, and swap some words for words from other topics."""
    sentences = [s for s in _SENTENCE.split(text) if s.strip() and rng.random() > 0.2] or [text]
    rng.shuffle(sentences)
    words = " ".join(sentences).split(" ")
    return " ".join(rng.choice(donor) if donor and rng.random() < 0.1 else w for w in words)


def _record_texts(topic: Any) -> dict[str, tuple[str, str]]:
    return {
        name: (getattr(topic, name).zh, getattr(topic, name).en) for name in ("title", "summary", "answer")
    }


def synthetic_topics(pool: Sequence[Any], count: int, seed: int = 7) -> list[SimpleNamespace]:
    """`count` topic-shaped records: perturbed copies of the pool's topics with new ids."""
    rng = random.Random(seed)
    texts = [_record_texts(t) for t in pool]
    donor = [w for t in texts for zh, en in t.values() for w in (zh + " " + en).split(" ") if w]
    records = []
    for i in range(count):
        base, parts = pool[i % len(pool)], texts[i % len(pool)]
        fields = {
            name: _bilingual(_perturb(zh, rng, donor), _perturb(en, rng, donor))
            for name, (zh, en) in parts.items()
        }
        aliases = getattr(base, "aliases", None)
        records.append(
            SimpleNamespace(
                id=f"{base.id}-syn{i:05d}",
                category=base.category,
                level=base.level,
                aliases=_bilingual(list(getattr(aliases, "zh", [])), list(getattr(aliases, "en", []))),
                **fields,
            )
        )
    return records


# ---- quality on the grouped query sets -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Judged:
    """One grouped query (`bench/queries/*.yaml`) and what the search made of it."""

    group: str
    accepted: frozenset[str]  # empty for an off-topic question
    ranked: tuple[str, ...]
    confident: bool
    off_topic: bool
    error: bool  # a known error message was recognised

    @property
    def top1(self) -> bool:
        return bool(self.ranked) and self.ranked[0] in self.accepted

    @property
    def top3(self) -> bool:
        return bool(self.accepted & set(self.ranked[:3]))


def judge_set(index: SearchIndex, path: Path) -> list[Judged]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    judged = []
    for row in rows:
        response = index.search(row["q"], limit=5)
        accepted = frozenset((row["expect"], *(row.get("also") or ()))) if row.get("expect") else frozenset()
        judged.append(
            Judged(
                row["group"],
                accepted,
                tuple(h.id for h in response.hits),
                response.confident,
                response.off_topic,
                response.error is not None,
            )
        )
    return judged


def quality_table(judged: Sequence[Judged]) -> str:
    """Per group: top-1, top-3, confident share and precision when confident; off-topic questions are
    right when answered "not in the bank" and never confident."""
    rows = [
        "| group | n | top-1 | top-3 | confident | top-1 when confident | in-scope said off-topic |",
        "|---|---|---|---|---|---|---|",
    ]
    for group in (*RANKED_GROUPS, "all in scope"):
        part = [j for j in judged if j.accepted and (j.group == group or group == "all in scope")]
        if not part:
            continue
        confident = [j for j in part if j.confident]
        extra = ""
        if group == "traceback":
            extra = f" (error recognised {sum(j.error for j in part)}/{len(part)})"
        rows.append(
            f"| {group}{extra} | {len(part)} | {_pct(_share(part, 'top1'))} | {_pct(_share(part, 'top3'))} | "
            f"{_pct(len(confident) / len(part))} | {_pct(_share(confident, 'top1'))} | "
            f"{sum(j.off_topic for j in part)} |"
        )
    off = [j for j in judged if not j.accepted]
    if off:
        said = sum(j.off_topic and not j.confident for j in off)
        rows.append(
            f"| off-topic | {len(off)} | - | - | {_pct(sum(j.confident for j in off) / len(off))} | - | - |"
        )
        rows.append("")
        rows.append(
            f'Off-topic questions answered "not in the bank": {said} of {len(off)} ({_pct(said / len(off))}).'
        )
    confident = [j for j in judged if j.confident]
    rows.append(
        f"Calibration over the whole set: {len(confident)} confident answers, "
        f"{_pct(sum(j.top1 for j in confident) / len(confident) if confident else float('nan'))} of them right "
        f"(an off-topic question answered confidently counts as wrong)."
    )
    return "\n".join(rows)


def _share(items: Sequence[Judged], attribute: str) -> float:
    return sum(getattr(j, attribute) for j in items) / len(items) if items else float("nan")


def error_catalogue_note(index: SearchIndex) -> str:
    topics = {k.topic_id for k in index.errors.known}
    return f"{len(index.errors.known)} error patterns in {len(topics)} topics (`errors:` in the topic files)."


# ---- measurements --------------------------------------------------------------------------------------


def evaluate(index: SearchIndex, queries: Sequence[DevQuery]) -> Accuracy:
    present = [q for q in queries if index.topic(q.expect) is not None]
    outcomes = []
    for query in present:
        response = index.search(query.q, limit=5)
        outcomes.append(Outcome(query, tuple(h.id for h in response.hits), response.confident))
    return Accuracy(tuple(outcomes), len(queries) - len(present))


def timed(call: Callable[[str], Any], inputs: Sequence[str], rounds: int) -> Latency:
    """Time every input `rounds` times, each as if never seen: token caches are cleared before each call."""
    for text in inputs:  # load lazy tables once
        call(text)
    latency = Latency()
    for _ in range(rounds):
        for text in inputs:
            clear_caches()
            wall, cpu = time.perf_counter(), time.thread_time()
            call(text)
            latency.cpu_ms.append((time.thread_time() - cpu) * 1000.0)
            latency.wall_ms.append((time.perf_counter() - wall) * 1000.0)
    return latency


def keystrokes(queries: Sequence[DevQuery], step: int = 3) -> list[str]:
    """What autocomplete sees while the dev queries are typed."""
    return [q.q[:end] for q in queries for end in range(1, len(q.q) + 1, step)]


def build_timed(topics: Sequence[Any]) -> tuple[SearchIndex, float]:
    started = time.perf_counter()
    index = SearchIndex.build(topics)
    return index, time.perf_counter() - started


# ---- report --------------------------------------------------------------------------------------------


def _pct(value: float) -> str:
    return "n/a" if value != value else f"{100 * value:.1f}%"


def accuracy_table(accuracy: Accuracy) -> str:
    rows = ["| queries | n | top-1 | top-3 | confident | top-1 when confident |", "|---|---|---|---|---|---|"]
    for label, part in (("all", accuracy), *((lang, accuracy.subset(lang)) for lang in LANGS)):
        rows.append(
            f"| {label} | {part.n} | {_pct(part.rate('top1'))} | {_pct(part.rate('top3'))} | "
            f"{_pct(part.rate('confident'))} | {_pct(part.confident_precision)} |"
        )
    return "\n".join(rows)


def misses(accuracy: Accuracy) -> list[str]:
    return [
        f"- `{o.query.q}` ({o.query.lang}): expected `{o.query.expect}`, got "
        f"{', '.join(f'`{t}`' for t in o.ranked[:3])}"
        for o in accuracy.outcomes
        if not o.top1
    ]


def _latency_column(
    topics: Sequence[Any], queries: Sequence[DevQuery], rounds: int, step: int, *, rebuild: bool
) -> tuple[SearchIndex, float, float | None, Latency, Latency]:
    """Build an index over `topics` (and, with `rebuild`, again as on a content reload) and time search
    and suggest on it."""
    index, first_build = build_timed(topics)
    again = build_timed(topics)[1] if rebuild else None
    search = timed(index.search, [q.q for q in queries], rounds)
    suggest = timed(index.suggest, keystrokes(queries, step), 1)
    return index, first_build, again, search, suggest


def run() -> str:
    from bench.__main__ import stamp

    queries = load_dev_queries()
    bank = load_bank()
    topics = list(bank.topics.values())
    pool = topics + standin_topics(_syllabus_ids() - set(bank.topics))
    columns = {f"real bank ({len(topics)})": (topics, 10, 3, True)}
    if len(pool) > len(topics):
        columns[f"real + stand-ins ({len(pool)})"] = (pool, 10, 3, True)
    columns[f"synthetic ({SYNTHETIC_TOPICS:,})"] = (synthetic_topics(pool, SYNTHETIC_TOPICS), 3, 5, False)
    measured = {
        name: _latency_column(t, queries, rounds, step, rebuild=again)
        for name, (t, rounds, step, again) in columns.items()
    }
    accuracy = evaluate(measured[next(iter(measured))][0], queries)

    header = "| measurement | " + " | ".join(measured) + " |"
    rule = "|---|" + "---|" * len(measured)
    cells = list(measured.values())
    lines = [
        "## Topic search",
        "",
        stamp(),
        f"Bank at measurement: **{len(topics)} of 110 topics**; {accuracy.n} of {len(queries)} development "
        f"queries (`../shared/queries-dev.yaml`) have their expected topic in the bank and are scored; "
        f"{accuracy.skipped} are skipped until their topics land. A hit is `expect` or any id in `also`.",
        "",
        accuracy_table(accuracy),
        "",
        header,
        rule,
        "| search p50 / p99 | " + " | ".join(c[3].cell() for c in cells) + " |",
        "| suggest per keystroke p50 / p99 | " + " | ".join(c[4].cell() for c in cells) + " |",
        "| index build, first in process | " + " | ".join(f"{c[1]:.2f} s" for c in cells) + " |",
        "| index build, again (reload) | "
        + " | ".join("-" if c[2] is None else f"{c[2]:.2f} s" for c in cells)
        + " |",
        "",
        "Latency: every development query, one thread, token caches cleared before each call so every query "
        "is timed as if never seen (10 rounds; 3 at 10,000 topics); suggest replays the queries as typed, "
        "every third (fifth) keystroke. Wall-clock times include interference from other processes on the "
        "machine; the CPU-time p99 does not. The first build in a process includes loading jieba's "
        "dictionary (about 1.5 s). " + _synthetic_note(len(pool) > len(topics)),
        "",
        "Misses at top-1:",
        "",
        *(misses(accuracy) or ["- none"]),
        "",
        *_quality_section(measured[next(iter(measured))][0]),
    ]
    return "\n".join(lines) + "\n"


def _quality_section(index: SearchIndex) -> list[str]:
    """Quality tables on the grouped query sets: all held-out sets together (the headline), each alone
    (each written after the change before it, the last one the cleanest), and the dev set."""
    judged = {path: judge_set(index, path) for path in (*HELD_OUT_SETS, *DEV_SETS) if path.exists()}
    held = [path for path in HELD_OUT_SETS if path in judged]
    lines = ["### Quality on grouped query sets", ""]
    if held:
        names = ", ".join(f"`{path.name}`" for path in held)
        lines += [
            f"**Held-out, never tuned on** ({names} under `bench/queries/`, together). Each set was written "
            "after the change before it and only reported on; the last sets are the cleanest measure of the "
            "last changes:",
            "",
            quality_table([j for path in held for j in judged[path]]),
            "",
        ]
    for path in (*held, *DEV_SETS):
        if path in judged:
            title = "Development (tuned on)" if path in DEV_SETS else "Held-out"
            lines += [
                f"**{title}**: `{path.relative_to(ROOT)}`: {_described(path)}",
                "",
                quality_table(judged[path]),
                "",
            ]
    lines += [
        error_catalogue_note(index) + " A traceback counts as right when its topic comes first; "
        "`error recognised` counts those matched to a listed error, which answer with its meaning and fix.",
    ]
    return lines


def _described(path: Path) -> str:
    """A query set's opening comment, up to its `Fields:` line, as one sentence or two."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#") or line.lstrip("# ").startswith("Fields"):
            break
        words.append(line.lstrip("# ").strip())
    return " ".join(w for w in words if w)


def _synthetic_note(with_standins: bool) -> str:
    copied = "copied with sentences dropped and shuffled and a tenth of the words swapped for words of other topics."
    if not with_standins:
        return f"The synthetic topics are the real topics {copied}"
    return (
        "Stand-ins are topic-shaped records made from the syllabus brief (titles and key facts, no aliases) "
        f"for topics not yet written; the synthetic topics are the real topics and stand-ins {copied}"
    )


def _syllabus_ids() -> set[str]:
    return {e["id"] for e in yaml.safe_load(SYLLABUS.read_text(encoding="utf-8")) or []}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--standin", action="store_true", help="fill missing topics from the syllabus")
    parser.add_argument("--failures", action="store_true", help="print every top-1 miss")
    parser.add_argument(
        "--queries", type=Path, default=DEV_QUERIES, help="another query file of the same form"
    )
    parser.add_argument(
        "--grouped",
        type=Path,
        default=None,
        help="a grouped set (bench/queries/dev.yaml) for the quality table",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    queries = load_dev_queries(args.queries)
    bank = load_bank()
    topics: list[Any] = list(bank.topics.values())
    if args.standin:
        topics += standin_topics(_syllabus_ids() - set(bank.topics))
    index = SearchIndex.build(topics)
    if args.grouped is not None:
        judged = judge_set(index, args.grouped)
        sys.stdout.write(quality_table(judged) + "\n")
        if args.failures:
            for j, row in zip(judged, yaml.safe_load(args.grouped.read_text(encoding="utf-8")), strict=True):
                if (j.accepted and not j.top1) or (not j.accepted and not j.off_topic):
                    sys.stdout.write(
                        f"{j.group:10} {'C' if j.confident else '-'} {row['q'][:90]} -> {j.ranked[:3]}\n"
                    )
        return 0
    accuracy = evaluate(index, queries)
    sys.stdout.write(f"{len(bank.topics)} real topics, {len(index)} indexed, {accuracy.n} queries scored\n")
    sys.stdout.write(accuracy_table(accuracy) + "\n")
    if args.failures:
        for outcome in accuracy.outcomes:
            mark = "ok " if outcome.top1 else ("top3" if outcome.top3 else "MISS")
            sys.stdout.write(
                f"{mark} {'C' if outcome.confident else '-'} {outcome.query.q} -> "
                f"{' '.join(outcome.ranked[:3])} (want {outcome.query.expect})\n"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
