"""`/ask`: search the bank; answer when confident, otherwise offer "did you mean"."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from bot.core.context import Lang, Request
from bot.core.features.topic_view import clip, code_reply, topic_reply
from bot.core.i18n import t
from bot.core.replies import Choice, Reply, error
from bot.core.script import TRADITIONAL, has_traditional, to_traditional
from content.schema import Topic
from content.search import SearchResponse

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

MAX_QUERY = 4000  # a Discord message: room for a pasted traceback
OFF_TOPIC_SUGGESTIONS = 3  # an off-topic question is offered at most this many topics
_HAN = re.compile(r"[\u3400-\u9fff]")


def query_lang(query: str, fallback: Lang) -> Lang:
    """Answer in the language asked: any Chinese character means Chinese, plain Latin text English."""
    if _HAN.search(query):
        return "zh"
    return "en" if re.search(r"[A-Za-z]", query) else fallback


async def ask_command(tutor: Tutor, request: Request) -> Reply:
    """The answer, in Traditional characters when the question was written in them."""
    reply = await _answer(tutor, request)
    return to_traditional(reply) if has_traditional(request.text) else reply


async def _answer(tutor: Tutor, request: Request) -> Reply:
    query = request.text.strip()
    if not query:
        return error(t("ask.usage", request.lang))
    if len(query) > MAX_QUERY:
        return error(t("ask.too_long", request.lang, length=len(query), limit=MAX_QUERY))
    exact = tutor.library.topic(query)
    if exact is not None:  # autocomplete sends the chosen topic's id
        return topic_reply(exact, await tutor.reply_lang(request, request.lang))
    response = tutor.library.search(query, limit=5)
    # A pasted error is in the library's English: answer in the member's language unless they wrote Chinese.
    guess = (
        request.lang
        if response.error is not None and not _HAN.search(query)
        else query_lang(query, request.lang)
    )
    lang = await tutor.reply_lang(request, guess)
    if not response.hits:
        return error(t("ask.no_results", lang))
    if response.error is not None:
        explained = _error_reply(tutor, response, lang)
        if explained is not None:
            return explained
    if response.off_topic:
        return _off_topic_reply(response, lang)
    if response.confident:
        topic = tutor.library.topic(response.hits[0].id)
        if topic is not None:
            return topic_reply(topic, lang)
    options = _hit_choices(response, lang)
    return Reply(
        title=t("ask.did_you_mean", lang),
        text=t("ask.did_you_mean_text", lang),
        select=options,
        select_placeholder=t("ask.did_you_mean", lang),
        tone="suggestions",
    )


def _hit_choices(response: SearchResponse, lang: Lang) -> tuple[Choice, ...]:
    return tuple(
        Choice(
            label=clip(hit.title_zh if lang == "zh" else hit.title_en, 100),
            action=f"/topic {hit.id} {lang}",
            description=hit.id,
        )
        for hit in response.hits
    )


def _error_reply(tutor: Tutor, response: SearchResponse, lang: Lang) -> Reply | None:
    """A recognised error: what it means and how to fix it first, then the topic that explains it."""
    match = response.error
    topic = tutor.library.topic(match.topic_id) if match is not None else None
    if topic is None or match is None or match.index >= len(topic.errors):
        return None
    entry = topic.errors[match.index]
    lead = "\n\n".join(
        (
            t("ask.error_means", lang, means=entry.means.get(lang)),
            t("ask.error_fix", lang, fix=entry.fix.get(lang)),
            t("ask.error_topic", lang, title=topic.title.get(lang)),
            topic.summary.get(lang),
        )
    )
    reply = topic_reply(topic, lang)
    return dataclasses.replace(
        reply,
        title=clip(t("ask.error_title", lang, error_type=entry.type), 256),
        text=lead,
        meta={**reply.meta, "error": f"{topic.id}:{match.index}"},
    )


def _off_topic_reply(response: SearchResponse, lang: Lang) -> Reply:
    """Outside the bank: say so, and offer the closest topics only as suggestions."""
    text = t("ask.off_topic_text", lang)
    scored = [hit for hit in response.hits if hit.score > 0][:OFF_TOPIC_SUGGESTIONS]
    if scored:
        text += "\n" + t("ask.off_topic_closest", lang)
    return Reply(
        title=t("ask.off_topic_title", lang),
        text=text,
        select=_hit_choices(dataclasses.replace(response, hits=scored), lang),
        select_placeholder=t("ask.did_you_mean", lang),
        tone="suggestions",
        meta={"off_topic": "1"},
    )


def _topic_and_lang(tutor: Tutor, request: Request) -> tuple[Topic | None, Lang | None]:
    """Arguments `ID [zh|zh-hant|en]`: buttons carry the language of the answer they came from."""
    words = request.text.split()
    topic = tutor.library.topic(words[0]) if words else None
    lang: Lang | None = None
    if len(words) > 1 and words[1] in ("zh", TRADITIONAL, "en"):
        lang = "en" if words[1] == "en" else "zh"
    return topic, lang


def _traditional(request: Request) -> bool:
    words = request.text.split()
    return len(words) > 1 and words[1] == TRADITIONAL


def _unknown(request: Request) -> Reply:
    return error(t("topic.unknown", request.lang, topic_id=clip(request.text.strip(), 80)))


async def topic_command(tutor: Tutor, request: Request) -> Reply:
    topic, lang = _topic_and_lang(tutor, request)
    if topic is None:
        return _unknown(request)
    return _script(request, topic_reply(topic, lang or await tutor.reply_lang(request, request.lang)))


async def code_command(tutor: Tutor, request: Request) -> Reply:
    topic, lang = _topic_and_lang(tutor, request)
    if topic is None:
        return _unknown(request)
    return _script(request, code_reply(topic, lang or await tutor.reply_lang(request, request.lang)))


async def related_command(tutor: Tutor, request: Request) -> Reply:
    topic, lang = _topic_and_lang(tutor, request)
    if topic is None:
        return _unknown(request)
    lang = lang or await tutor.reply_lang(request, request.lang)
    related = [tutor.library.topic(other) for other in topic.related]
    options = tuple(
        Choice(clip(r.title.get(lang), 100), f"/topic {r.id} {lang}", description=r.id)
        for r in related
        if r is not None
    )
    if not options:
        return _script(request, Reply(text=t("topic.no_related", lang), ephemeral=True))
    return _script(
        request,
        Reply(
            title=f"{t('topic.related', lang)}: {topic.title.get(lang)}",
            select=options,
            select_placeholder=t("topics.pick_topic", lang),
        ),
    )


def _script(request: Request, reply: Reply) -> Reply:
    """Keep answering in Traditional characters when the button came from a Traditional answer."""
    return to_traditional(reply) if _traditional(request) else reply
