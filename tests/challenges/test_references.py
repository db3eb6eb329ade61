"""Every challenge's reference solution passes its own hidden tests through the real grader, and
every public example shows what the reference really returns."""

from __future__ import annotations

import pytest

from content.challenge_loader import load_challenges
from executor.grading import SandboxBackend, Spec, grade

BANK = load_challenges()
IDS = sorted(BANK.challenges)


def test_the_bank_loads_clean_with_enough_challenges() -> None:
    assert not BANK.problems, BANK.problems
    frameworks = [c.framework for c in BANK.challenges.values()]
    assert len(IDS) >= 30
    assert frameworks.count("tensorflow") >= 6
    for required in (
        "conv2d-from-scratch",
        "scaled-dot-product-attention",
        "stable-log-softmax",
        "swish-autograd-function",
        "layernorm-from-scratch",
        "cross-entropy-label-smoothing",
    ):
        assert required in BANK.challenges


@pytest.mark.parametrize("challenge_id", IDS)
async def test_reference_is_accepted(challenge_id: str, backend: SandboxBackend) -> None:
    challenge = BANK.challenges[challenge_id]
    result = await grade(Spec.of(challenge), challenge.reference, backend, seed=12345)
    failing = [t for t in result.tests if not t.ok]
    assert result.verdict == "accepted", (result.detail, failing)
    assert result.total >= 5


def _normal(text: str) -> str:
    return " ".join(text.replace("\n", " ").split())


@pytest.mark.parametrize("challenge_id", IDS)
def test_examples_show_the_reference_result(challenge_id: str) -> None:
    challenge = BANK.challenges[challenge_id]
    namespace: dict = {}
    if challenge.framework == "pytorch":
        import torch

        namespace["torch"] = torch
    else:
        import numpy as np
        import tensorflow as tf

        namespace.update(tf=tf, np=np)
    exec(compile(challenge.reference, f"{challenge_id}-reference", "exec"), namespace)
    for example in challenge.examples:
        got = eval(example.call, namespace)
        if challenge.framework == "tensorflow":
            got = np.round(np.asarray(got), 4)
        assert _normal(str(got)) == _normal(example.result), example.call
