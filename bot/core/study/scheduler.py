"""FSRS scheduling with the `fsrs` library: one card state per member and topic.

Why per topic rather than per flashcard: a topic's multiple-choice questions and its flashcards test
one idea, and quiz and daily answers are about a topic, so they can only move a topic's memory
state. Most topics have one flashcard; where one has several, /review shows them in turn
(`reviews % len(cards)`), all feeding the same state.

How answers map to ratings: a wrong quiz or daily answer is `Rating.Again` (the topic comes back
within minutes), a right one `Rating.Good`. /review lets the member pick Again/Hard/Good/Easy.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from fsrs import Card, Rating, Scheduler

from bot.core.study.clock import as_utc

MAXIMUM_INTERVAL_DAYS = 365  # interview preparation: nothing waits more than a year


def make_scheduler(*, fuzz: bool = True) -> Scheduler:
    """The library's default parameters and steps; fuzzing spreads reviews that would fall on one day."""
    return Scheduler(maximum_interval=MAXIMUM_INTERVAL_DAYS, enable_fuzzing=fuzz)


SCHEDULER = make_scheduler()
PREVIEW = make_scheduler(fuzz=False)  # for the "Good · 3 d" labels: no randomness in what we show


def rating_for(correct: bool) -> Rating:
    return Rating.Good if correct else Rating.Again


def new_card(created: dt.datetime) -> Card:
    """A new card; the id is the creation time in ms, as the library does (it sleeps to keep ids apart)."""
    at = as_utc(created)
    return Card(card_id=int(at.timestamp() * 1000), due=at)


def card_from_json(text: str) -> Card:
    return Card.from_dict(json.loads(text))


def card_to_json(card: Card) -> str:
    return json.dumps(card.to_dict(), separators=(",", ":"))


def review(card: Card, rating: Rating, at: dt.datetime, scheduler: Scheduler = SCHEDULER) -> Card:
    reviewed, _log = scheduler.review_card(card, rating, review_datetime=as_utc(at))
    return reviewed


@dataclass(frozen=True, slots=True)
class Preview:
    rating: Rating
    interval: dt.timedelta


def previews(card: Card, at: dt.datetime) -> tuple[Preview, ...]:
    """What each of Again/Hard/Good/Easy would do to the card now (without fuzz)."""
    now = as_utc(at)
    return tuple(Preview(rating, review(card, rating, now, PREVIEW).due - now) for rating in Rating)


def retrievability(card: Card, at: dt.datetime) -> float:
    """FSRS's predicted chance of recalling the topic at `at`; 0 for a card never reviewed."""
    return float(SCHEDULER.get_card_retrievability(card, current_datetime=as_utc(at)))
