"""The end-of-interview report: score per question and category, time per answer, weakest topics."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.interview.store import Interview

WEAK_BELOW = 0.5  # a question where under half of the key points were covered schedules its topic


@dataclass(frozen=True, slots=True)
class QuestionScore:
    position: int
    topic_id: str
    covered: int
    points: int
    seconds: int | None

    @property
    def share(self) -> float:
        return self.covered / self.points if self.points else 0.0

    @property
    def weak(self) -> bool:
        return self.share < WEAK_BELOW


@dataclass(frozen=True, slots=True)
class Report:
    questions: tuple[QuestionScore, ...]
    by_category: tuple[tuple[str, float], ...]  # weakest first
    weakest: tuple[str, ...]  # topic ids, weakest first

    @property
    def score(self) -> float:
        return sum(q.share for q in self.questions) / len(self.questions) if self.questions else 0.0


def score_question(
    row_ticks: tuple[bool, ...], position: int, topic_id: str, seconds: int | None
) -> QuestionScore:
    return QuestionScore(position, topic_id, sum(row_ticks), len(row_ticks), seconds)


def build_report(interview: Interview, category_of: dict[str, str]) -> Report:
    """Only questions whose ticks were confirmed count (a stopped interview reports what was done)."""
    done = [a for a in interview.answers if a.confirmed]
    questions = tuple(score_question(a.ticks, a.position, a.topic_id, a.seconds) for a in done)
    shares: dict[str, list[float]] = {}
    for q in questions:
        shares.setdefault(category_of.get(q.topic_id, "?"), []).append(q.share)
    by_category = tuple(sorted(((c, sum(v) / len(v)) for c, v in shares.items()), key=lambda cv: cv[1]))
    weakest = tuple(q.topic_id for q in sorted(questions, key=lambda q: q.share) if q.weak)
    return Report(questions, by_category, weakest)
