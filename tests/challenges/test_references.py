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


def shown(value: object, framework: str) -> str:
    """How an example's result is written in the bank: str() of the value (TensorFlow: rounded numpy)."""
    if isinstance(value, tuple | list):
        return "(" + ", ".join(shown(v, framework) for v in value) + ")"
    if framework == "tensorflow":
        import numpy as np

        return _normal(str(np.round(np.asarray(value), 4)))
    return _normal(str(value))


def run_example(challenge, call: str) -> str:
    namespace: dict = {}
    if challenge.framework == "pytorch":
        import torch

        namespace["torch"] = torch
    else:
        import numpy as np
        import tensorflow as tf

        namespace.update(tf=tf, np=np)
    exec(compile(challenge.reference, f"{challenge.id}-reference", "exec"), namespace)
    return shown(eval(call, namespace), challenge.framework)


@pytest.mark.parametrize("challenge_id", IDS)
def test_examples_show_the_reference_result(challenge_id: str) -> None:
    challenge = BANK.challenges[challenge_id]
    for example in challenge.examples:
        assert run_example(challenge, example.call) == _normal(example.result), example.call
