"""CUDA-ready spares, tested without a GPU: a stand-in preparation ("record") in the spare.

On a GPU worker a waiting spare's job process initialises CUDA before its request arrives. Here
the same step only records when and in which process it ran, which is what these tests check: it
ran before the request was submitted, in the job's own process (its own pid namespace, not the
spare's init), and never in the pool process, which must stay safe to fork.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from executor.inside.devprep import READY_COMM
from executor.protocol import RunSpec, Status
from executor.sandbox import Sandbox

from .conftest import REASON, needs_sandbox

pytestmark = needs_sandbox

SHOW_NAME = "print(open('/proc/self/comm').read().strip())"


@pytest.fixture(scope="module")
def box(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    if REASON is not None:
        pytest.skip(REASON)
    sandbox = Sandbox(results_dir=tmp_path_factory.mktemp("spares"), spare_prepare="record")
    sandbox.warm(["python"])
    yield sandbox
    sandbox.close()


def run_when_prepared(box: Sandbox, code: str, device: str = "cuda") -> tuple[float, object]:
    pool = box.pool("python")
    assert pool.wait_prepared_spare(180), "no prepared spare appeared"
    submitted = time.time()
    return submitted, box.run(RunSpec(code, framework="python", device=device))


def test_the_spare_prepares_before_the_request_in_the_jobs_own_process(box: Sandbox) -> None:
    submitted, result = run_when_prepared(box, SHOW_NAME)
    assert result.status is Status.OK, result.stderr
    prepared = result.prepared
    assert prepared is not None and prepared["kind"] == "record"
    assert prepared["at"] + prepared["seconds"] < submitted  # done before the request existed
    pool = box.pool("python")
    assert prepared["pid_ns"] != pool.info["pid_ns"]  # not the pool: a pid namespace of its own
    assert prepared["pid"] != 1  # nor the job's init (pid 1 there): the process that runs the code
    assert result.stdout.strip() != READY_COMM  # the job sees its usual process name


def test_the_pool_itself_never_prepares(box: Sandbox) -> None:
    run_when_prepared(box, "pass")
    status = box.pool("python").status()
    assert status["op"] == "status"
    assert status["prepared"] is None


def test_each_job_gets_a_spare_prepared_afresh(box: Sandbox) -> None:
    _, first = run_when_prepared(box, "pass")
    _, second = run_when_prepared(box, "pass")
    assert first.prepared and second.prepared
    assert first.prepared["pid_ns"] != second.prepared["pid_ns"]
    assert first.prepared["at"] < second.prepared["at"]


def test_cpu_jobs_and_lazy_cuda_jobs_get_a_plain_spare(box: Sandbox) -> None:
    _, cpu = run_when_prepared(box, "print('cpu')", device="cpu")
    assert cpu.status is Status.OK and cpu.prepared is None
    _, lazy = run_when_prepared(box, "# cuda: lazy\nprint('lazy')")
    assert lazy.status is Status.OK and lazy.stdout == "lazy\n"
    assert lazy.prepared is None


def test_a_fork_after_cuda_error_gets_a_hint(box: Sandbox) -> None:
    code = (
        "import sys\n"
        "print('RuntimeError: Cannot re-initialize CUDA in forked subprocess. To use CUDA with "
        "multiprocessing, you must use the spawn start method', file=sys.stderr)\n"
        "sys.exit(1)\n"
    )
    result = box.run(RunSpec(code, framework="python", device="cuda"))
    assert result.status is Status.ERROR
    assert "spawn" in result.stderr and "# cuda: lazy" in result.stderr
