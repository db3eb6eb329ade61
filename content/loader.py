"""Load the topic bank from YAML and report every problem with its file and field."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from content.schema import Topic
from executor.demos import BadHeader, read_header

log = logging.getLogger(__name__)

# libyaml's parser when present: the bank loads several times faster than with the pure-Python one.
YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

CONTENT_DIR = Path(__file__).resolve().parent
TOPICS_DIR = CONTENT_DIR / "topics"
DEMOS_DIR = CONTENT_DIR / "demos"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the bank, located by file and field."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Demo:
    """A runnable demo script: `content/demos/<id>.py` with a `# framework: ...` header."""

    id: str
    path: Path
    framework: str
    timeout_s: int
    source: str


@dataclass(slots=True)
class Bank:
    topics: dict[str, Topic] = field(default_factory=dict)
    demos: dict[str, Demo] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(CONTENT_DIR.parent))
    except ValueError:
        return str(path)


def _field_name(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def load_topic(path: Path) -> tuple[Topic | None, list[Problem]]:
    """Parse and validate one topic file."""
    name = _relative(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YamlLoader)  # CSafeLoader: safe, in C
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return None, [Problem(name, where, f"broken YAML: {getattr(exc, 'problem', exc)}")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(name, "", f"cannot read: {exc}")]
    if not isinstance(raw, dict):
        return None, [Problem(name, "", "expected a mapping of fields at the top level")]
    try:
        topic = Topic.model_validate(raw)
    except ValidationError as exc:
        return None, [Problem(name, _field_name(err["loc"]), err["msg"]) for err in exc.errors()]
    problems = []
    if path.stem != topic.id:
        problems.append(Problem(name, "id", f"id {topic.id!r} does not match the file name"))
    if path.parent.name != topic.category:
        problems.append(Problem(name, "category", f"file lies under {path.parent.name}/"))
    return topic, problems


def parse_demo(path: Path) -> tuple[Demo | None, list[Problem]]:
    name = _relative(path)
    source = path.read_text(encoding="utf-8")
    try:
        header = read_header(source)
    except BadHeader as exc:
        return None, [Problem(name, "header", str(exc))]
    return Demo(path.stem, path, header.framework, header.timeout_s, source), []


def load_bank(topics_dir: Path = TOPICS_DIR, demos_dir: Path = DEMOS_DIR) -> Bank:
    """Load every topic and demo; problems are collected, never raised."""
    bank = Bank()
    for path in sorted(topics_dir.glob("*/*.yaml")):
        topic, problems = load_topic(path)
        bank.problems.extend(problems)
        if topic is None:
            continue
        if topic.id in bank.topics:
            bank.problems.append(
                Problem(_relative(path), "id", f"duplicate id, also in {_relative(bank.paths[topic.id])}")
            )
            continue
        bank.topics[topic.id] = topic
        bank.paths[topic.id] = path
    for path in sorted(demos_dir.glob("*.py")):
        demo, problems = parse_demo(path)
        bank.problems.extend(problems)
        if demo is not None:
            bank.demos[demo.id] = demo
    log.info(
        "content loaded: %d topics, %d demos, %d problems",
        len(bank.topics),
        len(bank.demos),
        len(bank.problems),
    )
    return bank
