"""`/export-my-data` (a JSON file of every row about you) and `/forget-me` (deletes them, after a confirmation)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from bot.core.context import Lang, Request
from bot.core.i18n import t, tn
from bot.core.replies import Attachment, Choice, Reply, error
from bot.core.study import clock
from bot.core.study.privacy import cancel_token, export_member, forget_member, issue_token, row_counts

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

NOTES = {
    "times": "*_ts columns are unix seconds; *_utc repeats them as ISO 8601",
    "days": "study_days.day and study_answers.local_day count days in your time zone; *_date spells them out",
    "cards": "study_cards.card is the FSRS memory state of the topic (py-fsrs Card.to_dict)",
    "scores": "study_scores.period is 'all' or an ISO week (UTC); guild_id 0 is the console or direct messages",
}
DAY_COLUMNS = ("day", "local_day")


def readable(row: dict) -> dict:
    """The stored row plus spelled-out times and dates, and the card state as an object."""
    out = dict(row)
    for key, value in row.items():
        if key.endswith("_ts") and isinstance(value, int):
            out[key.removesuffix("_ts") + "_utc"] = clock.from_ts(value).isoformat()
        elif key in DAY_COLUMNS and isinstance(value, int):
            out[key + "_date"] = dt.date.fromordinal(value).isoformat()
        elif key == "card" and isinstance(value, str):
            out[key] = json.loads(value)
    return out


async def export_command(tutor: Tutor, request: Request) -> Reply:
    lang = await tutor.reply_lang(request, request.lang)
    user_id = request.member.user_id
    stored = await tutor.db.run(export_member, user_id)
    tables = {name: [readable(row) for row in rows] for name, rows in stored.items()}
    document = {
        "member_id": user_id,
        "exported_at": clock.now().isoformat(),
        "notes": NOTES,
        "tables": tables,
    }
    data = json.dumps(document, ensure_ascii=False, indent=1).encode()
    rows = sum(len(r) for r in tables.values())
    return Reply(
        title=t("privacy.export_title", lang),
        text=tn("privacy.export_text", lang, rows, rows=rows),
        attachments=(Attachment(f"backprop-data-{user_id}.json", data, t("privacy.export_title", lang)),),
        tone="success",
        ephemeral=True,
    )


async def forget_command(tutor: Tutor, request: Request) -> Reply:
    lang = await tutor.reply_lang(request, request.lang)
    words = request.text.split()
    user_id = request.member.user_id
    if not words:
        return await _ask_confirmation(tutor, user_id, lang)
    if words == ["cancel"]:
        await tutor.db.run(cancel_token, user_id)
        return Reply(text=t("privacy.cancelled", lang), ephemeral=True)
    if len(words) == 2 and words[0] == "confirm":
        deleted = await tutor.db.run(forget_member, user_id, words[1], clock.now())
        if deleted is None:
            return error(t("privacy.bad_token", lang))
        return Reply(
            title=t("privacy.forgotten_title", lang),
            text=tn("privacy.forgotten", lang, sum(deleted.values()), rows=sum(deleted.values())),
            tone="success",
            ephemeral=True,
            meta={"forgotten": str(user_id)},  # adapters delete what they keep about the member too
        )
    if words == ["confirm"]:
        return error(t("privacy.bad_token", lang))
    return error(t("privacy.usage_any", lang))


TABLE_LABELS = {
    "members": "settings",
    "study_cards": "cards",
    "study_answers": "answers",
    "study_days": "days",
    "study_scores": "scores",
    "study_pending": "pending",
    "privacy_tokens": "tokens",
    "daily_answers": "daily",
}


def _counted(table: str, count: int, lang: Lang) -> str:
    """`study_pending 3` as `3 unanswered questions`: a label in the member's language."""
    label = TABLE_LABELS.get(table)
    if label is None:  # a table a later feature added: its name, readable
        return t("privacy.count.other", lang, name=table.replace("_", " "), count=count)
    return t(f"privacy.count.{label}", lang, count=count)


async def _ask_confirmation(tutor: Tutor, user_id: int, lang: Lang) -> Reply:
    counts = await tutor.db.run(row_counts, user_id)
    token = await tutor.db.run(issue_token, user_id, clock.now())
    separator = "、" if lang == "zh" else ", "
    summary = separator.join(_counted(name, count, lang) for name, count in counts.items() if count) or "—"
    return Reply(
        title=t("privacy.confirm_title", lang),
        text=t("privacy.confirm_text_any", lang, summary=summary),
        choices=(
            Choice(t("privacy.yes", lang), f"/forget-me confirm {token}", style="danger", owner_only=True),
            Choice(t("privacy.no", lang), "/forget-me cancel", owner_only=True),
        ),
        tone="error",
        ephemeral=True,
    )
