"""`python -m content lint`: the bank against its schema and the syllabus."""

from __future__ import annotations

from content.loader import Bank, Problem, _relative
from content.quiz_rules import LONGEST_SHARE_MAX, longest_share, topic_gives_itself_away
from content.schema import LANGS, Topic
from content.syllabus import SyllabusEntry


def teaching_problems(name: str, topic: Topic) -> list[Problem]:
    """What a topic lacks for mock interviews and for quizzes that teach."""
    problems = []
    if not 3 <= len(topic.key_points) <= 6:
        problems.append(
            Problem(name, "key_points", f"3 to 6 key points are needed, found {len(topic.key_points)}")
        )
    if len(topic.follow_ups) != 2:
        problems.append(
            Problem(name, "follow_ups", f"2 follow-up questions are needed, found {len(topic.follow_ups)}")
        )
    for i, mcq in enumerate(topic.quiz.mcq):
        if mcq.why_wrong is None:
            problems.append(Problem(name, f"quiz.mcq[{i}].why_wrong", "one line per wrong option is needed"))
    for lang in LANGS:
        if topic_gives_itself_away(topic, lang):
            problems.append(
                Problem(name, "quiz.mcq", f"in every question the correct {lang} option is the longest one")
            )
    return problems


def bank_quiz_problems(bank: Bank) -> list[Problem]:
    """The strict bank-wide rule: few questions may be answerable by picking the longest option."""
    problems = []
    for lang in LANGS:
        longest, total = longest_share(bank.topics.values(), lang)
        if total and longest / total > LONGEST_SHARE_MAX:
            problems.append(
                Problem(
                    "content/topics",
                    "quiz.mcq",
                    f"the correct {lang} option is the uniquely longest in {longest} of {total} questions "
                    f"({longest / total:.0%}; at most {LONGEST_SHARE_MAX:.0%})",
                )
            )
    return problems


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
        problems.extend(teaching_problems(name, topic))
    if require_all:
        problems.extend(bank_quiz_problems(bank))
    if require_all:
        for topic_id, entry in syllabus.items():
            if topic_id not in bank.topics:
                problems.append(
                    Problem(f"content/topics/{entry.category}/{topic_id}.yaml", "", "syllabus topic missing")
                )
    return problems
