"""Which question to ask: topics that are due first, then ones never seen, then any; options shuffled."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from bot.core.study.cards import StoredCard
from bot.core.study.clock import as_utc
from content.schema import Topic


@dataclass(frozen=True, slots=True)
class Question:
    topic: Topic
    mcq_index: int
    order: tuple[int, ...]  # order[shown position] = index of the option in the topic file


def pick_topic(
    topics: list[Topic], cards: dict[str, StoredCard], at: dt.datetime, rng: random.Random
) -> Topic:
    now = as_utc(at)
    due = [t for t in topics if t.id in cards and cards[t.id].due <= now]
    unseen = [t for t in topics if t.id not in cards]
    return rng.choice(due or unseen or topics)


def pick_question(topic: Topic, rng: random.Random) -> Question:
    mcq_index = rng.randrange(len(topic.quiz.mcq))
    order = list(range(len(topic.quiz.mcq[mcq_index].options.en)))
    rng.shuffle(order)
    return Question(topic, mcq_index, tuple(order))
