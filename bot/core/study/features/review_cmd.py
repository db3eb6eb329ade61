"""`/review`: the member's due flashcards, one at a time: front, "Show answer", then Again/Hard/Good/Easy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlite_utils
from fsrs import Card, Rating

from bot.core.categories import category_name
from bot.core.context import Lang, Request
from bot.core.features.topic_view import clip
from bot.core.i18n import t
from bot.core.replies import Choice, Field, Reply, Style, error
from bot.core.study import clock
from bot.core.study.actions import ReviewCard, parse_review
from bot.core.study.cards import StoredCard, due_cards, get_card, next_due
from bot.core.study.record import record_rating
from bot.core.study.scheduler import new_card, previews
from bot.core.study.timefmt import duration, when
from bot.core.study.transaction import immediate
from bot.core.study.zones import get_zone_name
from content.schema import Topic

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

DUE_WINDOW = 200  # due cards looked at per /review; the count shows "200+" beyond
RATING_STYLES: dict[Rating, Style] = {
    Rating.Again: "danger",
    Rating.Hard: "secondary",
    Rating.Good: "success",
    Rating.Easy: "primary",
}


@dataclass(frozen=True, slots=True)
class Queue:
    due: list[StoredCard]  # only cards whose topic is still in the bank
    next_due: dt.datetime | None
    has_cards: bool
    zone: str


def _queue(db: sqlite_utils.Database, user_id: int, known: frozenset[str], at: dt.datetime) -> Queue:
    due = [c for c in due_cards(db, user_id, at, DUE_WINDOW) if c.topic_id in known]
    has_cards = (
        db.execute("SELECT 1 FROM study_cards WHERE user_id = ? LIMIT 1", [user_id]).fetchone() is not None
    )
    return Queue(due, next_due(db, user_id, at), has_cards, get_zone_name(db, user_id))


async def _load_queue(tutor: Tutor, request: Request) -> Queue:
    known = frozenset(tutor.library.bank.topics)
    return await tutor.db.run(_queue, request.member.user_id, known, clock.now())


def card_index(topic: Topic, stored: StoredCard) -> int:
    """Topics with several flashcards show them in turn."""
    return stored.reviews % len(topic.quiz.cards)


async def review_command(tutor: Tutor, request: Request) -> Reply:
    lang = await tutor.reply_lang(request, request.lang)
    queue = await _load_queue(tutor, request)
    if not queue.due:
        return nothing_due(queue, lang)
    stored = queue.due[0]
    topic = tutor.library.topic(stored.topic_id)
    assert topic is not None  # _queue kept only known topics
    index = card_index(topic, stored)
    count = f"{len(queue.due)}+" if len(queue.due) >= DUE_WINDOW else str(len(queue.due))
    return Reply(
        title=t("review.title", lang, topic=topic.title.get(lang), count=count),
        text=topic.quiz.cards[index].front.get(lang),
        choices=(Choice(t("review.show", lang), ReviewCard(topic.id, index).show_action(), style="primary"),),
        footer=f"{category_name(topic.category, lang)} · {t('level', lang)} {topic.level}",
        meta={"topic": topic.id},
    )


def nothing_due(queue: Queue, lang: Lang) -> Reply:
    if not queue.has_cards:
        text = t("review.no_cards", lang)
    elif queue.next_due is None:
        text = t("review.nothing_due", lang)
    else:
        text = t("review.next_at", lang, when=when(queue.next_due, clock.now(), queue.zone, lang))
    return Reply(
        title=t("review.done_title", lang),
        text=text,
        tone="success",
        choices=(Choice(t("quiz.next", lang), "/quiz", style="primary"),),
    )


async def review_show_command(tutor: Tutor, request: Request) -> Reply:
    lang = await tutor.reply_lang(request, request.lang)
    wanted = parse_review(request.text, with_rating=False)
    topic = tutor.library.topic(wanted.topic_id) if wanted else None
    if wanted is None or topic is None or not 0 <= wanted.card_index < len(topic.quiz.cards):
        return error(t("review.bad_card", lang))
    stored = await tutor.db.run(get_card, request.member.user_id, topic.id)
    now = clock.now()
    card = stored.card if stored is not None else new_card(now)
    flashcard = topic.quiz.cards[wanted.card_index]
    return Reply(
        title=topic.title.get(lang),
        text=flashcard.front.get(lang),
        fields=(Field(t("review.answer", lang), clip(flashcard.back.get(lang), 1024)),),
        choices=rating_choices(wanted, card, now, lang),
        footer=t("review.rate_hint_any", lang),
        meta={"topic": topic.id},
    )


def rating_choices(wanted: ReviewCard, card: Card, at: dt.datetime, lang: Lang) -> tuple[Choice, ...]:
    return tuple(
        Choice(
            f"{t(f'review.rating.{p.rating.name.lower()}', lang)} · {duration(p.interval, lang)}",
            wanted.rate_action(p.rating),
            style=RATING_STYLES[p.rating],
        )
        for p in previews(card, at)
    )


@dataclass(frozen=True, slots=True)
class Rated:
    counted: bool
    due: dt.datetime | None  # the card's next due time (or the current one when not counted)
    zone: str


def _rate(
    db: sqlite_utils.Database,
    user_id: int,
    guild_id: int | None,
    topic_id: str,
    rating: Rating,
    at: dt.datetime,
) -> Rated:
    """Only a due card can be rated: a second click on the same buttons does not review it twice."""
    with immediate(db):
        zone = get_zone_name(db, user_id)
        stored = get_card(db, user_id, topic_id)
        if stored is None or stored.due > at:
            return Rated(False, stored.due if stored else None, zone)
        recorded = record_rating(db, user_id, guild_id, topic_id, rating, "review", at)
        return Rated(True, recorded.card.due, zone)


async def review_rate_command(tutor: Tutor, request: Request) -> Reply:
    lang = await tutor.reply_lang(request, request.lang)
    wanted = parse_review(request.text, with_rating=True)
    topic = tutor.library.topic(wanted.topic_id) if wanted else None
    if wanted is None or wanted.rating is None or topic is None:
        return error(t("review.bad_card", lang))
    now = clock.now()
    rated = await tutor.db.run(
        _rate, request.member.user_id, request.member.guild_id, topic.id, wanted.rating, now
    )
    queue = await _load_queue(tutor, request)
    next_text = when(rated.due, now, rated.zone, lang) if rated.due else "—"
    key = "review.rated" if rated.counted else "review.not_due"
    text = t(key, lang, topic=topic.title.get(lang), when=next_text)
    if queue.due:
        choices = (Choice(t("review.next_card", lang, count=len(queue.due)), "/review", style="primary"),)
    else:
        text += "\n" + nothing_due(queue, lang).text
        choices = (Choice(t("quiz.next", lang), "/quiz"),)
    return Reply(
        title=t("review.done_title" if not queue.due else "review.saved", lang),
        text=text,
        choices=choices,
        tone="success" if rated.counted else "info",
        meta={"topic": topic.id},
    )
