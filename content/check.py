"""`python -m content check`: run every code snippet and demo and check what it prints."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from content.loader import Bank

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CheckItem:
    """One piece of code to run: a topic's snippet or a demo."""

    name: str
    framework: str
    source: str
    expect: str | None
    timeout_s: int
    device: str = "cpu"  # "cuda": run with the GPU visible (TensorFlow's stay on the CPU)
    raises: tuple[str, str] | None = None  # (exception type, message pattern) an error trigger must show


@dataclass(frozen=True, slots=True)
class RunOutcome:
    ok: bool
    output: str


@dataclass(frozen=True, slots=True)
class CheckFailure:
    item: CheckItem
    reason: str

    def __str__(self) -> str:
        return f"{self.item.name}: {self.reason}"


Runner = Callable[[CheckItem], RunOutcome]


def item_device(framework: str, device: str) -> str:
    """TensorFlow's code is checked on the CPU even on a GPU run (its GPU build is not installed)."""
    return "cpu" if framework == "tensorflow" else device


def error_items(topic_id: str, topic: object) -> list[CheckItem]:
    """The topic's listed errors that can be triggered on a CPU: each must still raise its message."""
    return [
        CheckItem(
            f"{topic_id} errors[{i}]",
            entry.trigger.framework,
            entry.trigger.source,
            None,
            entry.trigger.timeout_s,
            raises=(entry.type, entry.pattern),
        )
        for i, entry in enumerate(getattr(topic, "errors", None) or ())
        if entry.trigger is not None
    ]


def items_of(
    bank: Bank,
    only: Iterable[str] | None = None,
    *,
    demos: bool = True,
    device: str = "cpu",
    errors_only: bool = False,
) -> list[CheckItem]:
    wanted = set(only) if only else None
    items: list[CheckItem] = []
    for topic_id, topic in bank.topics.items():
        if wanted and topic_id not in wanted:
            continue
        items.extend(error_items(topic_id, topic))
        if errors_only:
            continue
        for i, snippet in enumerate(topic.code):
            items.append(
                CheckItem(
                    f"{topic_id} code[{i}]",
                    snippet.framework,
                    snippet.source,
                    snippet.expect,
                    snippet.timeout_s,
                    item_device(snippet.framework, device),
                )
            )
        for i, point in enumerate(topic.key_points):
            if point.check is not None:
                items.append(
                    CheckItem(
                        f"{topic_id} key_points[{i}]",
                        point.check.framework,
                        point.check.source,
                        point.check.expect,
                        point.check.timeout_s,
                        item_device(point.check.framework, device),
                    )
                )
        if demos and topic.demo and topic.demo in bank.demos:
            demo = bank.demos[topic.demo]
            items.append(
                CheckItem(
                    f"{topic_id} demo {demo.id}",
                    demo.framework,
                    demo.source,
                    None,
                    demo.timeout_s,
                    item_device(demo.framework, device),
                )
            )
    return items


def subprocess_runner(item: CheckItem) -> RunOutcome:
    """Run the code as a script file (so multiprocessing's spawn can re-import it) in a fresh
    interpreter in a scratch directory (the fallback runner)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD", "BACKPROP"))}
    env.update(PYTHONUNBUFFERED="1", MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="2")
    if item.device != "cuda":
        env["CUDA_VISIBLE_DEVICES"] = ""
    with tempfile.TemporaryDirectory(prefix="backprop-check-") as workdir:
        script = os.path.join(workdir, "main.py")
        with open(script, "w", encoding="utf-8") as handle:
            handle.write(item.source)
        try:
            proc = subprocess.run(
                [sys.executable, script],
                cwd=workdir,
                env=env,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=item.timeout_s * 3,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return RunOutcome(False, f"timed out after {item.timeout_s * 3} s")
    output = proc.stdout + proc.stderr
    return RunOutcome(
        proc.returncode == 0, output if proc.returncode == 0 else f"exit {proc.returncode}\n{output[-3000:]}"
    )


def sandbox_runner(gpu: bool = False) -> Runner:
    """Run in the executor's sandbox (warm pools, no network), as the bot runs demos; with `gpu`,
    the sandbox pins a GPU as a GPU worker does (CUDA_VISIBLE_DEVICES, else GPU 0)."""
    import atexit

    from executor.protocol import Limits, RunSpec
    from executor.sandbox import Sandbox

    sandbox = Sandbox(
        gpu=(os.environ.get("CUDA_VISIBLE_DEVICES") or "0") if gpu else None,
        prepared_spares=min(4, os.cpu_count() or 1),
    )
    atexit.register(sandbox.close)
    if gpu and not sandbox.gpu:
        log.warning("no GPU found: the code asked to run on cuda runs on the CPU")
    elif gpu:
        log.warning("checking on GPU %s; %s", sandbox.gpu, sandbox.fence.describe())

    def run(item: CheckItem) -> RunOutcome:
        spec = RunSpec(
            code=item.source,
            framework=item.framework,
            device=item.device,
            limits=Limits(wall_s=min(item.timeout_s * 2, 120)),
            name=item.name,
        )
        result = sandbox.run(spec)
        if result.ok:
            return RunOutcome(True, result.stdout)
        return RunOutcome(
            False,
            f"{result.status} (exit {result.exit_code})\n{result.stdout[-1500:]}\n{result.stderr[-2500:]}",
        )

    return run


def default_runner(gpu: bool = False) -> Runner:
    """The executor's sandbox where this host can run it; a plain subprocess otherwise."""
    try:
        return sandbox_runner(gpu)
    except Exception as exc:  # e.g. SandboxUnavailable: no bubblewrap or namespaces here
        log.warning("checking in plain subprocesses, the sandbox is unavailable: %s", exc)
        return subprocess_runner


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def judge_raises(item: CheckItem, outcome: RunOutcome) -> CheckFailure | None:
    """An error trigger passes when it fails with the listed exception type and message pattern."""
    assert item.raises is not None
    exc_type, pattern = item.raises
    output = _ANSI.sub("", outcome.output)
    if outcome.ok:
        return CheckFailure(item, f"expected {exc_type} matching {pattern!r}, but it ran without error")
    if re.search(pattern, output) is None:
        return CheckFailure(item, f"the error no longer matches {pattern!r}; got:\n{output.strip()[-1500:]}")
    short = exc_type.rsplit(".", 1)[-1]
    if re.search(rf"\b{re.escape(short)}\b", output) is None:
        return CheckFailure(
            item, f"the message matches, but not as {exc_type}; got:\n{output.strip()[-1500:]}"
        )
    return None


def judge(item: CheckItem, outcome: RunOutcome) -> CheckFailure | None:
    if item.raises is not None:
        return judge_raises(item, outcome)
    if not outcome.ok:
        return CheckFailure(item, outcome.output.strip()[-2000:] or "failed")
    if item.expect is not None and item.expect not in outcome.output:
        return CheckFailure(item, f"output lacks {item.expect!r}; got:\n{outcome.output.strip()[-1500:]}")
    return None


def run_checks(
    items: list[CheckItem], runner: Runner | None = None, jobs: int | None = None
) -> list[CheckFailure]:
    if not items:
        return []
    runner = runner or default_runner(gpu=any(item.device == "cuda" for item in items))
    jobs = jobs or max(1, os.cpu_count() or 1)

    def one(item: CheckItem) -> CheckFailure | None:
        failure = judge(item, runner(item))
        if failure:  # at once, so a run cut short still shows what failed
            log.warning("FAIL %s", failure)
        else:
            log.info("ok %s", item.name)
        return failure

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return [f for f in pool.map(one, items) if f is not None]
