"""The content bank: schema, syllabus coverage, listing, and the loader's error reports."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from content.lint import lint
from content.loader import load_bank, load_topic
from content.syllabus import load_syllabus
from tests.conftest import REPO

BANK = load_bank()
SYLLABUS = load_syllabus()


def test_every_topic_file_loads_cleanly() -> None:
    assert [str(p) for p in BANK.problems] == []


def test_lint_is_clean_against_the_syllabus() -> None:
    problems = lint(BANK, SYLLABUS, require_all=True)
    assert [str(p) for p in problems] == []


def test_every_syllabus_topic_is_written() -> None:
    assert sorted(set(SYLLABUS) - set(BANK.topics)) == []


@pytest.mark.parametrize("topic_id", sorted(BANK.topics))
def test_topic_is_complete(topic_id: str) -> None:
    topic = BANK.topics[topic_id]
    entry = SYLLABUS[topic_id]
    assert len(topic.quiz.mcq) >= 2 and len(topic.quiz.cards) >= 1
    assert (topic.demo is not None) == entry.demo
    assert (topic.misconception is not None) or not entry.seed_errors
    assert topic.code, "every topic has at least one verified snippet"


def test_list_json_has_one_object_per_topic() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "content", "list", "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["id"] for r in rows} == set(BANK.topics)
    for row in rows:
        assert set(row) == {
            "id",
            "category",
            "level",
            "languages",
            "mcq",
            "cards",
            "demo",
            "has_misconception",
        }
        assert row["languages"] == ["zh", "en"]


def test_broken_yaml_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "fundamentals" / "broken.yaml"
    path.parent.mkdir()
    path.write_text("id: broken\ntitle: {zh: [unclosed\n", encoding="utf-8")
    topic, problems = load_topic(path)
    assert topic is None
    assert len(problems) == 1
    assert "broken.yaml" in problems[0].file
    assert problems[0].field.startswith("line ")
    assert "broken YAML" in problems[0].message


def test_schema_errors_name_the_field(tmp_path: Path) -> None:
    source = (REPO / "content/topics/fundamentals/dynamic-vs-static-graph.yaml").read_text(encoding="utf-8")
    path = tmp_path / "fundamentals" / "dynamic-vs-static-graph.yaml"
    path.parent.mkdir()
    path.write_text(
        source.replace("answer: 1", "answer: 7", 1).replace("level: 1", "level: nine", 1), encoding="utf-8"
    )
    topic, problems = load_topic(path)
    assert topic is None
    fields = {p.field for p in problems}
    assert "level" in fields
    assert "quiz.mcq[0].answer" in fields


def test_the_lint_command_reports_problems_and_fails(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "content", "lint"], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert result.returncode == 0, result.stdout
    assert "clean" in result.stdout
