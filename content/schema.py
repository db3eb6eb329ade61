"""The topic schema: what one YAML file in ``content/topics/<category>/<id>.yaml`` must hold.

Limits are chosen so every field fits where Discord shows it: a summary in a chat reply, the answer
in an embed description (4,096), explanations and card backs in an embed field (1,024), option texts
in a button label (80), titles and aliases in an autocomplete choice (100).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

LANGS = ("zh", "en")
CATEGORIES = (
    "fundamentals",
    "tensors",
    "autograd",
    "modules",
    "data",
    "training",
    "optimization",
    "debugging",
    "performance",
    "distributed",
    "deployment",
    "quantization-compression",
    "tensorflow",
    "advanced-topics",
)
Framework = Literal["pytorch", "tensorflow"]
# What a code snippet runs on; maps onto the executor's pools (torch, tensorflow, python).
SnippetFramework = Literal["pytorch", "tensorflow", "python"]

TOPIC_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HAN = re.compile(r"[\u4e00-\u9fff]")

TITLE_MAX = 100
SUMMARY_MAX = 300  # Chinese packs about twice as much into a character as English
SUMMARY_EN_MAX = 600
ANSWER_MAX = 3500
ALIAS_MAX = 100
PITFALL_MAX = 300
MISCONCEPTION_MAX = 600
QUESTION_MAX = 300
OPTION_MAX = 80
EXPLANATION_MAX = 1000
CARD_FRONT_MAX = 300
CARD_BACK_MAX = 1000
CODE_MAX = 1800
KEY_POINT_MAX = 220
WHY_WRONG_MAX = 300
FOLLOW_UP_Q_MAX = 300
FOLLOW_UP_A_MAX = 600
ERROR_NOTE_MAX = 400
ERROR_PATTERN_MAX = 300


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _bounded(limit: int) -> type[str]:
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limit)]  # type: ignore[return-value]


def _require_chinese(value: str) -> str:
    if not _HAN.search(value):
        raise ValueError("the zh text has no Chinese characters")
    return value


def _no_fences(value: str) -> str:
    if "```" in value:
        raise ValueError("put code in `code:` snippets, where `content check` runs it, not in ``` fences")
    return value


class BilingualText(_Strict):
    """What every bilingual text offers; `_text` makes one class per length limit."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _text(limit: int, en_limit: int | None = None) -> type[BilingualText]:
    """A bilingual text; the English limit is the same unless given."""
    zh_type = _bounded(limit)
    en_type = _bounded(en_limit or limit)

    class Text(BilingualText):
        zh: zh_type  # type: ignore[valid-type]
        en: en_type  # type: ignore[valid-type]

        _zh_is_chinese = field_validator("zh")(_require_chinese)
        _fenceless = field_validator("zh", "en")(_no_fences)

    Text.__name__ = Text.__qualname__ = f"Text{limit}"
    return Text


if TYPE_CHECKING:  # for the type checker, every text is a BilingualText
    Title = BilingualText
    Summary = BilingualText
    Answer = BilingualText
    Pitfall = BilingualText
    MisconceptionText = BilingualText
    Question = BilingualText
    Explanation = BilingualText
    CardFront = BilingualText
    CardBack = BilingualText
    Caption = BilingualText
else:
    Title = _text(TITLE_MAX)
    Summary = _text(SUMMARY_MAX, SUMMARY_EN_MAX)
    Answer = _text(ANSWER_MAX)
    Pitfall = _text(PITFALL_MAX)
    MisconceptionText = _text(MISCONCEPTION_MAX)
    Question = _text(QUESTION_MAX)
    Explanation = _text(EXPLANATION_MAX)
    CardFront = _text(CARD_FRONT_MAX)
    CardBack = _text(CARD_BACK_MAX)
    Caption = _text(TITLE_MAX)


class Aliases(_Strict):
    """Words students actually type: API names, abbreviations, symptoms."""

    zh: list[_bounded(ALIAS_MAX)] = Field(min_length=1)  # type: ignore[valid-type]
    en: list[_bounded(ALIAS_MAX)] = Field(min_length=1)  # type: ignore[valid-type]


class Pitfalls(_Strict):
    zh: list[_bounded(PITFALL_MAX)] = Field(min_length=1)  # type: ignore[valid-type]
    en: list[_bounded(PITFALL_MAX)] = Field(min_length=1)  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _same_count(self) -> Pitfalls:
        if len(self.zh) != len(self.en):
            raise ValueError(f"zh has {len(self.zh)} pitfalls but en has {len(self.en)}")
        return self


class Misconception(_Strict):
    """A wrong belief that circulates (the syllabus's seed_errors) and its correction."""

    wrong: MisconceptionText  # type: ignore[valid-type]
    right: MisconceptionText  # type: ignore[valid-type]


class Snippet(_Strict):
    """A short code block; `content check` runs it and looks for `expect` in its output."""

    framework: SnippetFramework
    caption: Caption  # type: ignore[valid-type]
    source: Annotated[str, StringConstraints(min_length=1, max_length=CODE_MAX)]
    expect: _bounded(200)  # type: ignore[valid-type]
    timeout_s: int = Field(default=30, ge=1, le=60)


class Options(_Strict):
    zh: list[_bounded(OPTION_MAX)] = Field(min_length=4, max_length=4)  # type: ignore[valid-type]
    en: list[_bounded(OPTION_MAX)] = Field(min_length=4, max_length=4)  # type: ignore[valid-type]


class WhyWrong(_Strict):
    """One line per wrong option, in option order, skipping the correct one."""

    zh: list[_bounded(WHY_WRONG_MAX)] = Field(min_length=3, max_length=3)  # type: ignore[valid-type]
    en: list[_bounded(WHY_WRONG_MAX)] = Field(min_length=3, max_length=3)  # type: ignore[valid-type]


class MultipleChoice(_Strict):
    question: Question  # type: ignore[valid-type]
    options: Options
    answer: int = Field(ge=0, le=3, description="index of the correct option")
    explanation: Explanation  # type: ignore[valid-type]
    why_wrong: WhyWrong | None = None

    @model_validator(mode="after")
    def _distinct_options(self) -> MultipleChoice:
        for lang in LANGS:
            opts = getattr(self.options, lang)
            if len(set(opts)) != len(opts):
                raise ValueError(f"options.{lang} repeats an option")
        return self


class Card(_Strict):
    front: CardFront  # type: ignore[valid-type]
    back: CardBack  # type: ignore[valid-type]


class Quiz(_Strict):
    mcq: list[MultipleChoice] = Field(min_length=2)
    cards: list[Card] = Field(min_length=1)


if TYPE_CHECKING:
    KeyPointText = BilingualText
    FollowUpQuestion = BilingualText
    FollowUpAnswer = BilingualText
else:
    KeyPointText = _text(KEY_POINT_MAX)
    FollowUpQuestion = _text(FOLLOW_UP_Q_MAX)
    FollowUpAnswer = _text(FOLLOW_UP_A_MAX)


class Terms(_Strict):
    """Words or short phrases whose presence in a free-text answer signals that a key point is covered."""

    zh: list[_bounded(40)] = Field(default_factory=list)  # type: ignore[valid-type]
    en: list[_bounded(40)] = Field(default_factory=list)  # type: ignore[valid-type]


class Evidence(_Strict):
    """A runnable check of a key point: `content check` runs it and looks for `expect` in its output."""

    framework: SnippetFramework
    source: Annotated[str, StringConstraints(min_length=1, max_length=CODE_MAX)]
    expect: _bounded(200)  # type: ignore[valid-type]
    timeout_s: int = Field(default=30, ge=1, le=60)


class KeyPoint(_Strict):
    """A short checkable claim an interviewer listens for; backed by a runnable check or a cited source."""

    zh: _bounded(KEY_POINT_MAX)  # type: ignore[valid-type]
    en: _bounded(KEY_POINT_MAX)  # type: ignore[valid-type]
    terms: Terms = Field(default_factory=Terms)
    check: Evidence | None = None
    cite: _bounded(300) | None = None  # type: ignore[valid-type]

    _zh_is_chinese = field_validator("zh")(_require_chinese)

    @model_validator(mode="after")
    def _has_evidence(self) -> KeyPoint:
        if self.check is None and self.cite is None:
            raise ValueError(
                "a key point needs a runnable `check` or a `cite` of the library's docs or source"
            )
        return self


class FollowUp(_Strict):
    """The question an interviewer would ask next, with a short model answer."""

    question: FollowUpQuestion  # type: ignore[valid-type]
    answer: FollowUpAnswer  # type: ignore[valid-type]


if TYPE_CHECKING:
    ErrorNote = BilingualText
else:
    ErrorNote = _text(ERROR_NOTE_MAX)
EXCEPTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")


class ErrorTrigger(_Strict):
    """Code that raises the error on a CPU; `content check` runs it and matches the pattern against it."""

    framework: SnippetFramework
    source: Annotated[str, StringConstraints(min_length=1, max_length=CODE_MAX)]
    timeout_s: int = Field(default=30, ge=1, le=60)


class ErrorEntry(_Strict):
    """An error message this topic explains: the installed libraries' exact wording as a regex."""

    type: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    pattern: Annotated[str, StringConstraints(min_length=8, max_length=ERROR_PATTERN_MAX)]
    means: ErrorNote  # type: ignore[valid-type]
    fix: ErrorNote  # type: ignore[valid-type]
    trigger: ErrorTrigger | None = None

    @field_validator("type")
    @classmethod
    def _exception_name(cls, value: str) -> str:
        if not EXCEPTION_NAME.match(value):
            raise ValueError(
                "type must be an exception class name such as RuntimeError or torch.OutOfMemoryError"
            )
        return value

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            compiled = re.compile(value)
        except re.error as exc:
            raise ValueError(f"pattern is not a valid regular expression: {exc}") from exc
        if compiled.search(""):
            raise ValueError("pattern matches the empty string")
        return value

    @property
    def short_type(self) -> str:
        return self.type.rsplit(".", 1)[-1]


class Topic(_Strict):
    id: str
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    level: int = Field(ge=1, le=3)
    frameworks: list[Framework] = Field(min_length=1)
    title: Title  # type: ignore[valid-type]
    summary: Summary  # type: ignore[valid-type]
    answer: Answer  # type: ignore[valid-type]
    aliases: Aliases
    pitfalls: Pitfalls
    misconception: Misconception | None = None
    code: list[Snippet] = Field(default_factory=list)
    quiz: Quiz
    related: list[str] = Field(default_factory=list)
    demo: str | None = None
    key_points: list[KeyPoint] = Field(default_factory=list, max_length=6)
    follow_ups: list[FollowUp] = Field(default_factory=list, max_length=3)
    errors: list[ErrorEntry] = Field(default_factory=list, max_length=8)

    @field_validator("id")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not TOPIC_ID.match(value):
            raise ValueError("id must be kebab-case: lowercase letters, digits and single hyphens")
        return value

    @model_validator(mode="after")
    def _not_self_related(self) -> Topic:
        if self.id in self.related:
            raise ValueError("related lists the topic itself")
        if len(set(self.related)) != len(self.related):
            raise ValueError("related repeats an id")
        return self
