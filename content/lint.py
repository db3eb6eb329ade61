"""`python -m content lint`: the bank against its schema and the syllabus."""

from __future__ import annotations

from content.loader import Bank, Problem, _relative
from content.syllabus import SyllabusEntry


def lint(bank: Bank, syllabus: dict[str, SyllabusEntry], *, require_all: bool = True) -> list[Problem]:
    """Every problem: loader errors, syllabus mismatches and, with require_all, missing topics."""
    problems = list(bank.problems)
    for topic_id, topic in bank.topics.items():
        name = _relative(bank.paths[topic_id])
        entry = syllabus.get(topic_id)
        if entry is None:
            problems.append(Problem(name, "id", "not in the syllabus"))
            continue
        if topic.category != entry.category:
            problems.append(Problem(name, "category", f"syllabus says {entry.category!r}"))
        if topic.level != entry.level:
            problems.append(Problem(name, "level", f"syllabus says {entry.level}"))
        if sorted(topic.frameworks) != sorted(entry.frameworks):
            problems.append(Problem(name, "frameworks", f"syllabus says {list(entry.frameworks)}"))
        if entry.demo and not topic.demo:
            problems.append(Problem(name, "demo", "the syllabus wants a runnable demo"))
        if entry.seed_errors and topic.misconception is None:
            problems.append(Problem(name, "misconception", "the syllabus lists seed errors to correct"))
        known = bank.topics if require_all else bank.topics.keys() | syllabus.keys()
        for i, other in enumerate(topic.related):
            if other not in known:
                problems.append(Problem(name, f"related[{i}]", f"unknown topic id {other!r}"))
        if topic.demo is not None and topic.demo not in bank.demos:
            problems.append(Problem(name, "demo", f"no demo file content/demos/{topic.demo}.py"))
        if not topic.code:
            problems.append(Problem(name, "code", "at least one verified snippet is needed"))
    if require_all:
        for topic_id, entry in syllabus.items():
            if topic_id not in bank.topics:
                problems.append(
                    Problem(f"content/topics/{entry.category}/{topic_id}.yaml", "", "syllabus topic missing")
                )
    return problems
