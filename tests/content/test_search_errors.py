"""Error messages and tracebacks: parsing, matching the bank's `errors:`, triggers, and off-topic honesty."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from content.check import CheckItem, judge, subprocess_runner
from content.schema import ErrorEntry
from content.search import SearchIndex
from content.search.errors import parse

TRACEBACK = (
    'Traceback (most recent call last):   File "/home/amy/proj/train_amy.py", line 42, in <module>     '
    'out = amys_classifier(batch_x_amy)   File "/home/amy/.venv/lib/python3.11/site-packages/torch/nn/'
    'modules/module.py", line 1751, in _wrapped_call_impl     return self._call_impl(*args, **kwargs)   '
    'File "/home/amy/.venv/lib/python3.11/site-packages/torch/nn/modules/linear.py", line 125, in forward'
    "     return F.linear(input, self.weight, self.bias) RuntimeError: mat1 and mat2 shapes cannot be "
    "multiplied (64x2048 and 512x10)"
)


def test_a_traceback_reduces_to_type_message_and_library_functions() -> None:
    parsed = parse(TRACEBACK)
    assert parsed is not None and parsed.traceback
    assert parsed.exc_type == "RuntimeError"
    assert parsed.message == "mat1 and mat2 shapes cannot be multiplied (64x2048 and 512x10)"
    assert "_wrapped_call_impl" in parsed.functions and "<module>" not in parsed.functions
    text = parsed.search_text()
    for noise in ("amy", "/home", "train_amy", "batch_x_amy", "line 42"):
        assert noise not in text


def test_plain_questions_are_not_errors() -> None:
    assert parse("what does retain_graph keep") is None
    assert parse("显存爆了怎么办") is None


def test_a_pasted_traceback_is_answered_by_its_error(search_index: SearchIndex) -> None:
    response = search_index.search(TRACEBACK)
    assert response.error is not None and response.confident
    assert response.hits[0].id == response.error.topic_id == "nn-module-basics"
    entry = search_index.topic("nn-module-basics").errors[response.error.index]
    assert entry.type == "RuntimeError" and "mat1 and mat2" in entry.pattern
    scores = [h.score for h in response.hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("IndexError: Target 10 is out of bounds.", "training-loop-basics"),
        (
            "RuntimeError: Expected to have finished reduction in the prior iteration before starting a new one.",
            "ddp-training-setup",
        ),
        (
            'ValueError: Input 0 of layer "dense" is incompatible with the layer: expected axis -1 of input shape '
            "to have value 4, but received input with shape (2, 5)",
            "keras-model-vs-nn-module",
        ),
        (
            "Cannot batch tensors with different shapes in component 0. First element had shape [3] and element 1 "
            "had shape [2].",
            "tf-data-pipeline",
        ),
        ("RuntimeError: Input type (double) and bias type (float) should be the same", "to-vs-type"),
        ("RuntimeError: expected scalar type Double but found Float", "to-vs-type"),
        (
            "Input type (torch.cuda.DoubleTensor) and weight type (torch.cuda.FloatTensor) should be the same",
            "to-vs-type",
        ),
        (
            "Input type (torch.cuda.FloatTensor) and weight type (torch.FloatTensor) should be the same",
            "device-agnostic-code",
        ),
        (
            "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!",
            "device-agnostic-code",
        ),
    ],
)
def test_the_common_errors_have_a_topic_that_explains_them(
    search_index: SearchIndex, message: str, topic: str
) -> None:
    response = search_index.search(message)
    assert response.error is not None, message
    assert response.hits[0].id == topic


def test_the_same_stack_error_inside_a_dataloader_points_to_collate_fn(search_index: SearchIndex) -> None:
    plain = (
        "RuntimeError: stack expects each tensor to be equal size, but got [3] at entry 0 and [2] at entry 1"
    )
    framed = (
        'File "/v/site-packages/torch/utils/data/_utils/collate.py", line 214, in collate_tensor_fn ' + plain
    )
    assert search_index.search(plain).hits[0].id == "cat-stack-chunk-pad"
    assert search_index.search(framed).hits[0].id == "collate-fn"


def test_every_listed_error_is_bilingual_and_the_dtype_messages_are_aliases(
    search_index: SearchIndex,
) -> None:
    entries = [e for topic in search_index.topics.values() for e in topic.errors]
    assert len(entries) >= 25
    assert sum(e.trigger is not None for e in entries) >= 20
    aliases = search_index.topic("to-vs-type").aliases.en
    assert "Input type (double) and bias type (float) should be the same" in aliases
    assert "expected scalar type Double but found Float" in aliases


@pytest.mark.parametrize("pattern", ["(unclosed bracket", "(?:maybe)?(?:not)?"])
def test_the_schema_refuses_broken_or_empty_matching_patterns(pattern: str) -> None:
    with pytest.raises(ValidationError):
        ErrorEntry.model_validate(
            {
                "type": "RuntimeError",
                "pattern": pattern,
                "means": {"zh": "意思", "en": "meaning"},
                "fix": {"zh": "修复", "en": "fix"},
            }
        )


def _judged(source: str, pattern: str):
    item = CheckItem("t errors[0]", "python", source, None, 30, raises=("ValueError", pattern))
    return judge(item, subprocess_runner(item))


def test_check_passes_a_trigger_only_when_it_raises_the_listed_message() -> None:
    raising = 'raise ValueError("shapes 3 and 4 differ")'
    assert _judged(raising, r"shapes \d+ and \d+ differ") is None
    reworded = _judged(raising, r"sizes \d+ and \d+")
    assert reworded is not None and "no longer matches" in reworded.reason
    quiet = _judged("print('fine')", r"shapes")
    assert quiet is not None and "without error" in quiet.reason
    other = _judged('raise KeyError("shapes 3")', r"shapes \d")
    assert other is not None and "not as ValueError" in other.reason


@pytest.mark.parametrize(
    "query",
    [
        "copy.deepcopy",
        "the GIL",
        "how much salary for ML engineer",
        "你好",
        "tell me a joke",
        "SELECT * FROM users WHERE id = 1 OR 1=1; DROP TABLE users",
        "怎么用正则表达式匹配邮箱",
    ],
)
def test_off_topic_questions_are_never_answered_confidently(search_index: SearchIndex, query: str) -> None:
    response = search_index.search(query)
    assert response.off_topic and not response.confident


@pytest.mark.parametrize(
    "query",
    ["what is autograd", "微調 BERT 的學習率大概設多少", "如何进行模型的多GPU训练?", "显存爆了怎么办"],
)
def test_in_scope_questions_are_not_called_off_topic(search_index: SearchIndex, query: str) -> None:
    assert not search_index.search(query).off_topic


def test_an_unlisted_python_error_is_not_in_the_bank(search_index: SearchIndex) -> None:
    for message in ("ModuleNotFoundError: No module named 'pandas'", "KeyError: 'name'"):
        response = search_index.search(message)
        assert response.error is None and response.off_topic and not response.confident, message


def test_an_unlisted_tensor_error_still_searches_the_bank(search_index: SearchIndex) -> None:
    response = search_index.search(
        "RuntimeError: Boolean value of Tensor with more than one value is ambiguous"
    )
    assert response.error is None and not response.off_topic


def test_a_reshape_to_the_wrong_size_is_explained(search_index: SearchIndex) -> None:
    response = search_index.search("RuntimeError: shape '[64, -1]' is invalid for input of size 100")
    assert response.error is not None and response.hits[0].id == "view-reshape-resize"
