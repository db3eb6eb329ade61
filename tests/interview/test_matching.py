"""Pre-ticking key points from a free-text answer, in both languages."""

from bot.core.interview.matching import auto_ticks, is_specific
from tests.interview.conftest import POINTS


def test_an_english_answer_covers_points_by_stemmed_terms() -> None:
    assert auto_ticks("Buffers move with the model and are saved in the state dict", POINTS) == [True, True]


def test_a_chinese_answer_covers_points_and_mixes_api_names() -> None:
    assert auto_ticks("用 register_buffer 注册的缓冲区会保存到 state_dict 里", POINTS) == [True, True]


def test_traditional_chinese_is_matched_like_simplified() -> None:
    assert auto_ticks("用 register_buffer 註冊緩衝區", POINTS)[0]


def test_an_unrelated_answer_covers_nothing() -> None:
    assert auto_ticks("I do not know, maybe use a bigger learning rate", POINTS) == [False, False]


def test_one_generic_word_is_not_enough() -> None:
    assert auto_ticks("it gets saved somewhere", POINTS) == [False, False]


def test_specific_terms() -> None:
    assert is_specific("state_dict") and is_specific("moves with .to") and is_specific("随模型移动")
    assert not is_specific("buffer") and not is_specific("保存")
