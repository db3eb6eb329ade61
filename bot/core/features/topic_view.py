"""How one topic becomes a reply: summary, paged answer, pitfalls, misconception, next steps."""

from __future__ import annotations

from bot.core.categories import category_name
from bot.core.context import Lang
from bot.core.i18n import t
from bot.core.replies import Choice, Field, Reply
from content.schema import Topic

PAGE_CHARS = 1400
FIELD_CHARS = 1024


def paginate(text: str, limit: int = PAGE_CHARS) -> tuple[str, ...]:
    """Split markdown at paragraph boundaries (then lines) into pages of at most `limit` characters."""
    pages: list[str] = []
    current = ""
    for block in _blocks(text, limit):
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                pages.append(current)
            current = block
    if current:
        pages.append(current)
    return tuple(pages) or ("",)


def _blocks(text: str, limit: int) -> list[str]:
    blocks: list[str] = []
    for paragraph in text.strip().split("\n\n"):
        if len(paragraph) <= limit:
            blocks.append(paragraph)
            continue
        for line in paragraph.splitlines():
            while len(line) > limit:
                blocks.append(line[:limit])
                line = line[limit:]
            blocks.append(line)
    return blocks


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def topic_reply(topic: Topic, lang: Lang) -> Reply:
    fields = [
        Field(
            t("topic.pitfalls", lang),
            clip("\n".join(f"• {p}" for p in getattr(topic.pitfalls, lang)), FIELD_CHARS),
        )
    ]
    if topic.misconception is not None:
        wrong = topic.misconception.wrong.get(lang)
        right = topic.misconception.right.get(lang)
        fields.append(
            Field(
                t("topic.misconception", lang),
                clip(
                    f"❌ {t('topic.wrong', lang)}: {wrong}\n✅ {t('topic.right', lang)}: {right}", FIELD_CHARS
                ),
            )
        )
    return Reply(
        title=topic.title.get(lang),
        text=topic.summary.get(lang),
        pages=paginate(topic.answer.get(lang)),
        fields=tuple(fields),
        choices=topic_choices(topic, lang),
        footer=f"{topic.id} · {category_name(topic.category, lang)} · {t('level', lang)} {topic.level} · {', '.join(topic.frameworks)}",
        tone="answer",
        meta={"topic": topic.id},
    )


def topic_choices(topic: Topic, lang: Lang) -> tuple[Choice, ...]:
    choices = []
    if topic.code:
        choices.append(Choice(t("topic.code", lang), f"/code {topic.id} {lang}"))
    if topic.demo:
        choices.append(Choice(t("topic.demo", lang), f"/demo {topic.demo}", style="success"))
    if topic.related:
        choices.append(Choice(t("topic.related", lang), f"/related {topic.id} {lang}"))
    choices.append(Choice(t("topic.quiz", lang), f"/quiz topic:{topic.id}", style="primary"))
    return tuple(choices)


def code_reply(topic: Topic, lang: Lang) -> Reply:
    if not topic.code:
        return Reply(text=t("topic.no_code", lang), ephemeral=True)
    language = {"pytorch": "python", "tensorflow": "python", "python": "python"}
    pages = tuple(
        f"**{snippet.caption.get(lang)}** ({snippet.framework})\n```{language[snippet.framework]}\n"
        f"{snippet.source.rstrip()}\n```"
        for snippet in topic.code
    )
    return Reply(
        title=f"{t('topic.code', lang)}: {topic.title.get(lang)}",
        pages=pages,
        tone="answer",
        meta={"topic": topic.id},
    )
