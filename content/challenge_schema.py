"""The challenge schema: what one YAML file in ``content/challenges/<id>.yaml`` must hold.

A challenge asks a member to implement one function (or class) in PyTorch or TensorFlow. Its
`tests` are Python source defining `cases(rng)`, run only by the grader's trusted reference job;
`reference` is the model solution, shown after a solve or a give-up. Neither ever reaches the
member's sandboxed job (see executor/grading/).
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from content.schema import TOPIC_ID, BilingualText, _require_chinese

ChallengeFramework = Literal["pytorch", "tensorflow"]
ENTRY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")
DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")

TITLE_MAX = 100
STATEMENT_MAX = 1500
HINT_MAX = 400
SOURCE_MAX = 8000


def _bounded(limit: int) -> type[str]:
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limit)]  # type: ignore[return-value]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _bilingual(limit: int) -> type[BilingualText]:
    class Text(BilingualText):
        zh: _bounded(limit)  # type: ignore[valid-type]
        en: _bounded(limit)  # type: ignore[valid-type]

        _zh_is_chinese = field_validator("zh")(_require_chinese)

    Text.__name__ = Text.__qualname__ = f"ChallengeText{limit}"
    return Text


if TYPE_CHECKING:  # for the type checker, every text is a BilingualText
    ChallengeTitle = BilingualText
    Statement = BilingualText
    Hint = BilingualText
else:
    ChallengeTitle = _bilingual(TITLE_MAX)
    Statement = _bilingual(STATEMENT_MAX)
    Hint = _bilingual(HINT_MAX)


class Example(_Strict):
    """A public example: a call and what the reference returns for it (checked by the tests)."""

    call: _bounded(300)  # type: ignore[valid-type]
    result: _bounded(600)  # type: ignore[valid-type]


class Performance(_Strict):
    """An optional speed test: inputs made inside the member's job from shapes, timed there."""

    args: list[list[int] | int | float | bool | None] = Field(min_length=1)
    kwargs: dict[str, int | float | bool | None] = Field(default_factory=dict)
    max_ms: float = Field(gt=0, le=10_000)


class Tolerance(_Strict):
    atol: float = Field(default=1e-5, ge=0)
    rtol: float = Field(default=1e-5, ge=0)


def _python(source: str, what: str) -> str:
    try:
        ast.parse(source)
    except SyntaxError as exc:
        raise ValueError(f"{what} is not valid Python: line {exc.lineno}: {exc.msg}") from exc
    return source


class Challenge(_Strict):
    id: str
    framework: ChallengeFramework
    topic: str
    level: int = Field(ge=1, le=3)
    title: ChallengeTitle  # type: ignore[valid-type]
    statement: Statement  # type: ignore[valid-type]
    signature: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    entry: str = Field(description="what the grader calls: a function name or Class.method")
    hints: list[Hint] = Field(default_factory=list, max_length=2)  # type: ignore[valid-type]
    examples: list[Example] = Field(min_length=1, max_length=3)
    tests: Annotated[str, StringConstraints(min_length=1, max_length=SOURCE_MAX)]
    reference: Annotated[str, StringConstraints(min_length=1, max_length=SOURCE_MAX)]
    tolerance: Tolerance = Field(default_factory=Tolerance)
    forbidden: list[str] = Field(default_factory=list, description="dotted names the AST scan refuses")
    forbidden_ops: list[str] = Field(
        default_factory=list, description="torch function / aten op names the runtime audit refuses"
    )
    performance: Performance | None = None
    time_limit_s: float = Field(default=15.0, gt=0, le=60)
    memory_mb: int = Field(default=2048, ge=256, le=4096)

    @field_validator("id", "topic")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not TOPIC_ID.match(value):
            raise ValueError("must be kebab-case: lowercase letters, digits and single hyphens")
        return value

    @field_validator("entry")
    @classmethod
    def _entry(cls, value: str) -> str:
        if not ENTRY.match(value):
            raise ValueError("entry must be a name or Class.method")
        return value

    @field_validator("forbidden")
    @classmethod
    def _dotted(cls, values: list[str]) -> list[str]:
        for value in values:
            if not DOTTED.match(value):
                raise ValueError(f"{value!r} is not a dotted name")
        return values

    @field_validator("tests")
    @classmethod
    def _tests(cls, source: str) -> str:
        _python(source, "tests")
        if not any(isinstance(n, ast.FunctionDef) and n.name == "cases" for n in ast.parse(source).body):
            raise ValueError("tests must define cases(rng)")
        return source

    @field_validator("reference")
    @classmethod
    def _reference(cls, source: str) -> str:
        return _python(source, "reference")

    @model_validator(mode="after")
    def _signature_matches(self) -> Challenge:
        top = self.entry.split(".")[0]
        if not re.search(rf"\b(def|class)\s+{re.escape(top)}\b", self.signature):
            raise ValueError(f"the signature does not define {top!r}")
        names = {
            n.name for n in ast.parse(self.reference).body if isinstance(n, ast.FunctionDef | ast.ClassDef)
        }
        if top not in names:
            raise ValueError(f"the reference does not define {top!r}")
        return self

    @property
    def pool(self) -> str:
        """The executor pool that runs it."""
        return "torch" if self.framework == "pytorch" else "tensorflow"
