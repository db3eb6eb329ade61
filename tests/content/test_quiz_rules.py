"""The length rule that keeps the right option from giving itself away, on hand-made questions."""

from content.quiz_rules import correct_is_uniquely_longest, topic_gives_itself_away
from content.schema import MultipleChoice


def _mcq(options: list[str], answer: int) -> MultipleChoice:
    return MultipleChoice.model_validate(
        {
            "question": {"zh": "哪一个？", "en": "Which one?"},
            "options": {"zh": options, "en": options},
            "answer": answer,
            "explanation": {"zh": "因为如此。", "en": "Because."},
        }
    )


def test_a_uniquely_longest_correct_option_is_flagged() -> None:
    assert correct_is_uniquely_longest(_mcq(["a", "bb", "the longest one", "c"], 2), "en")


def test_a_tie_or_a_longer_distractor_is_not_flagged() -> None:
    assert not correct_is_uniquely_longest(_mcq(["aaaa", "bbbb", "cc", "d"], 0), "en")
    assert not correct_is_uniquely_longest(_mcq(["a much longer distractor", "right", "x", "y"], 1), "en")


def test_a_topic_is_flagged_only_when_every_question_gives_itself_away() -> None:
    from content.loader import load_bank

    topic = next(iter(load_bank().topics.values()))
    giveaway = _mcq(["a", "b", "the longest one", "c"], 2)
    fair = _mcq(["a much longer distractor", "right", "x", "y"], 1)
    quiz = topic.quiz.model_copy(update={"mcq": [giveaway, giveaway]})
    assert topic_gives_itself_away(topic.model_copy(update={"quiz": quiz}), "en")
    quiz = topic.quiz.model_copy(update={"mcq": [giveaway, fair]})
    assert not topic_gives_itself_away(topic.model_copy(update={"quiz": quiz}), "en")


def test_the_bank_keeps_its_teaching_rules() -> None:
    """Every topic has key points, follow-ups and why_wrong lines, and few answers are the longest option."""
    from content.lint import bank_quiz_problems, teaching_problems
    from content.loader import load_bank

    bank = load_bank()
    problems = [p for tid, t in bank.topics.items() for p in teaching_problems(tid, t)]
    assert problems == []
    assert bank_quiz_problems(bank) == []
