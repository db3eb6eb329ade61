"""Which question a server gets on a date: a topic it has not had in the last 60 days, within its filters.

The choice is a pure function of the server, the date, the candidate topics and the server's history:
the random generator is seeded with (server, date). So `/daily preview` shows exactly the question the
scheduler will plan, and a plan repeated after a crash chooses the same one.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from content.schema import Topic

REPEAT_AFTER_DAYS = 60


@dataclass(frozen=True, slots=True)
class DailyQuestion:
    topic_id: str
    mcq_index: int
    order: tuple[int, ...]  # order[shown position] = index of the option in the topic file


def fresh_topics(topics: list[Topic], last_shown: dict[str, dt.date], day: dt.date) -> list[Topic]:
    """Topics not posted on any of the REPEAT_AFTER_DAYS days before `day`; when every candidate was,
    the ones posted longest ago."""
    fresh = [t for t in topics if t.id not in last_shown or (day - last_shown[t.id]).days > REPEAT_AFTER_DAYS]
    if fresh or not topics:
        return fresh
    oldest = min(last_shown[t.id] for t in topics)
    return [t for t in topics if last_shown[t.id] == oldest]


def pick_question(
    topics: list[Topic], last_shown: dict[str, dt.date], guild_id: int, day: dt.date
) -> DailyQuestion | None:
    pool = sorted(fresh_topics(topics, last_shown, day), key=lambda t: t.id)
    if not pool:
        return None
    rng = random.Random(f"daily:{guild_id}:{day.isoformat()}")
    topic = rng.choice(pool)
    mcq_index = rng.randrange(len(topic.quiz.mcq))
    order = list(range(len(topic.quiz.mcq[mcq_index].options.en)))
    rng.shuffle(order)
    return DailyQuestion(topic.id, mcq_index, tuple(order))
