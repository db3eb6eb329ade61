"""Topic search, text handling: normalisation (full-width, Traditional script, case) and tokens."""

from __future__ import annotations

import pytest

from content.search.english import stem
from content.search.normalize import fold, normalize_query
from content.search.script import simplify_query
from content.search.tokenize import Kind, terms, tokenize


def _terms(text: str) -> set[str]:
    return set(terms(normalize_query(text)))


def test_full_width_forms_become_ascii() -> None:
    assert normalize_query("ＰｙＴｏｒｃｈ　ｔｏｒｃｈ．ｎｏ＿ｇｒａｄ（）") == "PyTorch torch.no_grad()"


def test_case_does_not_matter() -> None:
    assert _terms("DATALOADER NUM_WORKERS Adam") == _terms("dataloader num_workers adam")
    assert fold("ＣＵＤＡ Out Of Memory") == "cuda out of memory"


def test_traditional_script_and_taiwan_words_become_simplified() -> None:
    assert normalize_query("為什麼初始化") == "为什么初始化"
    assert normalize_query("程式的記憶體一直漲") == "程序的内存一直涨"
    assert _terms("顯存不足時怎麼辦") == _terms("显存不足时怎么办")


@pytest.mark.parametrize(
    "text", ["为什么说计算图每次都不一样", "变长序列拼批次", "梯度累加时每个小批次的损失"]
)
def test_simplified_text_is_left_alone(text: str) -> None:
    # OpenCC's Taiwan converter rewrites some Simplified words (什么 -> 什幺, 序列 -> 串行); it must not run here.
    assert simplify_query(text) == text


def test_control_characters_and_spaces_are_cleaned() -> None:
    assert normalize_query("  a\x00b\u200b  c\t\n d ") == "a b c d"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one hot with scatter_", {"scatter_", "scatter"}),
        ("torch.no_grad()", {"torch.no_grad", "no_grad", "grad", "torch"}),
        (
            "torch.backends.cudnn.benchmark = True",
            {"torch.backends.cudnn.benchmark", "cudnn.benchmark", "cudnn"},
        ),
        ("clip_grad_norm_", {"clip_grad_norm_", "clip", "grad", "norm"}),
        ("define-by-run graphs", {"define-by-run", "run", "graph"}),
    ],
)
def test_identifiers_stay_whole_and_yield_parts(text: str, expected: set[str]) -> None:
    assert expected <= _terms(text)


def test_identifier_kinds() -> None:
    kinds = {t.term: t.kind for t in tokenize(normalize_query("call torch.no_grad here"))}
    assert kinds["torch.no_grad"] is Kind.IDENT
    assert kinds["no_grad"] is Kind.IDENT
    assert kinds["grad"] is Kind.PART


def test_camel_case_names_yield_their_parts() -> None:
    assert {"gradscaler", "grad", "scaler"} <= _terms("GradScaler")
    assert {"reducelronplateau", "plateau", "lr"} <= _terms("ReduceLROnPlateau")
    assert "tensor" not in _terms("TensorBoard")  # product names are not split


def test_stopwords_drop_but_code_keeps_them() -> None:
    assert "what" not in _terms("what is the difference")
    assert "to" in _terms("x.to(device)")


def test_stemming_joins_inflections() -> None:
    assert stem("traces") == stem("traced") == stem("tracing") == stem("trace")
    assert stem("gradients") == stem("gradient")
    assert stem("batches") == "batch" and stem("bias") == "bias" and stem("class") == "class"


def test_chinese_gets_bigrams_and_skips_stopwords() -> None:
    found = _terms("显存爆了怎么办")
    assert {"显存", "存爆"} <= found
    assert "怎么" not in found and "么办" not in found


def test_synonyms_meet_in_one_concept() -> None:
    for text in ("显存爆了", "CUDA out of memory", "OOM"):
        assert "~oom" in _terms(text), text
    assert "~gpu-memory" in _terms("VRAM") & _terms("显存")
