"""Grade a submission to a challenge; the verdict is decided here, outside every sandbox.

1. The static policy (policy.py) refuses syntax errors, a missing entry point and forbidden calls.
2. A trusted *reference job* (the challenge's tests and reference solution, nothing of the
   member's) makes the cases from a fresh random seed and runs the reference on them.
3. The *member job* receives only those inputs, runs the submission on them and writes its
   outputs to out/result.json. It never sees the tests' source, the reference or its outputs.
4. Here, the member's outputs are compared with the reference's (compare.py). A missing or
   garbled result fails; whatever the job printed or however it exited does not matter.

Both jobs run on the executor's warm pools (a `Backend`: the sandbox itself, or the job queue).
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from executor.grading.compare import Tolerance, compare
from executor.grading.policy import scan
from executor.protocol import Limits, RunResult, Status

log = logging.getLogger(__name__)

Verdict = Literal[
    "accepted", "wrong_answer", "runtime_error", "time_limit", "memory_limit", "forbidden", "rejected"
]
VERDICTS: tuple[str, ...] = (
    "accepted",
    "wrong_answer",
    "runtime_error",
    "time_limit",
    "memory_limit",
    "forbidden",
    "rejected",
)
HARNESS = (Path(__file__).resolve().parent / "harness.py").read_text(encoding="utf-8")
RESULT_FILE = "result.json"
MAX_SUBMISSION = 20_000
REFERENCE_WALL_S = 60.0


class GraderError(RuntimeError):
    """The grader itself could not decide (reference failed, worker lost): not the member's fault."""


@dataclass(frozen=True, slots=True)
class Spec:
    """What the grader needs of a challenge (content's Challenge satisfies it)."""

    id: str
    framework: str  # pytorch | tensorflow
    entry: str
    signature: str
    tests: str
    reference: str
    atol: float = 1e-5
    rtol: float = 1e-5
    forbidden: tuple[str, ...] = ()
    forbidden_ops: tuple[str, ...] = ()
    performance: dict[str, Any] | None = None
    time_limit_s: float = 15.0
    memory_mb: int = 2048

    @classmethod
    def of(cls, challenge: Any) -> Spec:
        perf = challenge.performance
        return cls(
            id=challenge.id,
            framework=challenge.framework,
            entry=challenge.entry,
            signature=challenge.signature,
            tests=challenge.tests,
            reference=challenge.reference,
            atol=challenge.tolerance.atol,
            rtol=challenge.tolerance.rtol,
            forbidden=tuple(challenge.forbidden),
            forbidden_ops=tuple(challenge.forbidden_ops),
            performance=perf.model_dump() if perf is not None else None,
            time_limit_s=challenge.time_limit_s,
            memory_mb=challenge.memory_mb,
        )

    @property
    def pool(self) -> str:
        return "torch" if self.framework == "pytorch" else "tensorflow"


@dataclass(frozen=True, slots=True)
class TestOutcome:
    name: str
    ok: bool
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "message": self.message}


@dataclass(frozen=True, slots=True)
class Grade:
    challenge: str
    verdict: Verdict
    tests: tuple[TestOutcome, ...] = ()
    time_ms: float = 0.0
    detail: str = ""  # why, when no per-test outcome says it (syntax error, forbidden call, crash)
    output: str = ""  # what the member's job printed (their own prints and tracebacks)
    seed: int = 0

    @property
    def passed(self) -> int:
        return sum(t.ok for t in self.tests)

    @property
    def total(self) -> int:
        return len(self.tests)

    @property
    def accepted(self) -> bool:
        return self.verdict == "accepted"

    def to_dict(self) -> dict[str, Any]:
        return {
            "challenge": self.challenge,
            "verdict": self.verdict,
            "passed": self.passed,
            "total": self.total,
            "tests": [t.to_dict() for t in self.tests],
            "time_ms": round(self.time_ms, 1),
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Executed:
    result: RunResult
    files: dict[str, bytes] = field(default_factory=dict)


class Backend(Protocol):
    async def execute(self, code: str, pool: str, device: str, limits: Limits, name: str) -> Executed: ...


def build_script(
    spec: Spec, mode: str, source: str, payload: dict[str, Any], perf: bool = False, device: str = "cpu"
) -> str:
    """The job's script: constants the harness reads, then the harness itself."""
    values = {
        "MODE": mode,
        "FRAMEWORK": spec.framework,
        "DEVICE": device,
        "ENTRY": spec.entry,
        "SOURCE": source,
        "TESTS": spec.tests if mode == "reference" else "",
        "PAYLOAD": json.dumps(payload),
    }
    lines = ["import json as _preamble_json"]
    lines += [f"{name} = {json.dumps(value)}" for name, value in values.items()]
    lines.append(f"FORBIDDEN_OPS = _preamble_json.loads({json.dumps(json.dumps(list(spec.forbidden_ops)))})")
    perf_value = spec.performance if perf and mode == "member" else None
    lines.append(f"PERF = _preamble_json.loads({json.dumps(json.dumps(perf_value))})")
    return "\n".join(lines) + "\n" + HARNESS


def _limits(wall_s: float, memory_mb: int) -> Limits:
    return Limits(wall_s=wall_s, cpu_s=wall_s * 2, memory_mb=memory_mb)


def _report(executed: Executed) -> dict[str, Any] | None:
    raw = executed.files.get(RESULT_FILE)
    if raw is None:
        return None
    try:
        report = json.loads(raw)
    except ValueError:
        return None
    return report if isinstance(report, dict) else None


def _arg_names(spec: Spec) -> list[str]:
    try:
        tree = ast.parse(spec.signature.strip().rstrip(":") + ":\n    pass\n")
    except SyntaxError:
        return []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            names = [a.arg for a in node.args.args]
            return [n for n in names if n not in ("self", "ctx", "cls")]
    return []


async def reference_run(spec: Spec, backend: Backend, device: str, seed: int) -> dict[str, Any]:
    """The trusted job: cases from the seed and the reference's outputs on them."""
    code = build_script(spec, "reference", spec.reference, {"seed": seed}, device=device)
    executed = await backend.execute(
        code, spec.pool, device, _limits(REFERENCE_WALL_S, 4096), f"ref-{spec.id}"
    )
    report = _report(executed)
    problem = None
    if executed.result.status is not Status.OK or report is None:
        problem = f"{executed.result.status}: {executed.result.stderr[-800:]}"
    elif report.get("load_error"):
        problem = report["load_error"]
    else:
        bad = [r.get("error") or r.get("forbidden") for r in report.get("results", []) if "output" not in r]
        if bad:
            problem = str(bad[0])
    if problem or report is None:
        raise GraderError(f"the reference run of {spec.id} failed: {problem}")
    return report


async def grade(
    spec: Spec, code: str, backend: Backend, *, device: str = "cpu", seed: int | None = None
) -> Grade:
    """The verdict on `code`. Raises GraderError only when the grader itself could not run."""
    seed = secrets.randbits(31) if seed is None else seed
    if not code.strip():
        return Grade(spec.id, "rejected", detail="the submission is empty")
    if len(code) > MAX_SUBMISSION:
        return Grade(spec.id, "rejected", detail=f"the submission is longer than {MAX_SUBMISSION} characters")
    checked = scan(code, spec.entry, list(spec.forbidden))
    if checked.syntax_error:
        return Grade(spec.id, "rejected", detail=f"syntax error: {checked.syntax_error}")
    if not checked.defines_entry:
        return Grade(spec.id, "rejected", detail=f"define {spec.entry.split('.')[0]} as in: {spec.signature}")
    if checked.findings:
        return Grade(spec.id, "forbidden", detail="; ".join(str(f) for f in checked.findings[:5]))
    reference = await reference_run(spec, backend, device, seed)
    member_code = build_script(spec, "member", code, {"cases": reference["cases"]}, perf=True, device=device)
    executed = await backend.execute(
        member_code, spec.pool, device, _limits(spec.time_limit_s, spec.memory_mb), f"sub-{spec.id}"
    )
    return judge(spec, reference, executed, seed)


def judge(spec: Spec, reference: dict[str, Any], executed: Executed, seed: int = 0) -> Grade:
    """Compare the member job's report with the reference's; every path here is outside the sandbox."""
    result = executed.result
    output = (result.stdout + result.stderr)[-1500:]
    time_ms = result.duration_s * 1000
    status = result.status
    if status is Status.REJECTED:
        return Grade(spec.id, "rejected", detail=result.stderr.strip()[:500], seed=seed)
    if status is Status.TIMEOUT:
        return Grade(
            spec.id, "time_limit", detail=f"over {spec.time_limit_s:g} s", time_ms=time_ms, seed=seed
        )
    if status is Status.MEMORY_LIMIT:
        return Grade(spec.id, "memory_limit", detail=f"over {spec.memory_mb} MB", time_ms=time_ms, seed=seed)
    if status in (Status.WORKER_LOST, Status.CANCELLED):
        raise GraderError(f"the member's job ended as {status}: {result.stderr[-300:]}")
    report = _report(executed)
    if status is Status.OUTPUT_LIMIT:
        return Grade(spec.id, "runtime_error", detail="printed too much output", time_ms=time_ms, seed=seed)
    if report is None or report.get("mode") != "member":
        if status is Status.ERROR:
            return Grade(
                spec.id,
                "runtime_error",
                detail=_tail(result.stderr),
                time_ms=time_ms,
                output=output,
                seed=seed,
            )
        return Grade(
            spec.id,
            "wrong_answer",
            detail="no results were reported: did the code exit early or replace the results?",
            time_ms=time_ms,
            output=output,
            seed=seed,
        )
    if report.get("load_error"):
        return Grade(
            spec.id,
            "runtime_error",
            detail=str(report["load_error"])[:1500],
            time_ms=time_ms,
            output=output,
            seed=seed,
        )
    expected = reference["results"]
    got = report.get("results")
    if not isinstance(got, list) or len(got) != len(expected):
        return Grade(
            spec.id,
            "wrong_answer",
            detail="the results were incomplete or garbled",
            time_ms=time_ms,
            output=output,
            seed=seed,
        )
    tol = Tolerance(spec.atol, spec.rtol)
    names = _arg_names(spec)
    outcomes, forbidden, crashed = [], [], False
    for case, exp, mine in zip(reference["cases"], expected, got, strict=True):
        name = str(case.get("name", "case"))
        if not isinstance(mine, dict):
            outcomes.append(TestOutcome(name, False, "garbled result"))
            continue
        if mine.get("forbidden"):
            forbidden += [str(f) for f in mine["forbidden"]]
            outcomes.append(
                TestOutcome(name, False, f"called forbidden {', '.join(map(str, mine['forbidden']))}")
            )
            continue
        if "error" in mine:
            crashed = True
            outcomes.append(TestOutcome(name, False, str(mine["error"])[-600:]))
            continue
        problem = _case_problem(case, exp, mine, tol, names)
        outcomes.append(TestOutcome(name, problem is None, problem or ""))
    slow = False
    if spec.performance is not None and outcomes and all(o.ok for o in outcomes):
        perf = report.get("perf_ms")
        limit = float(spec.performance["max_ms"])
        if isinstance(perf, int | float) and perf <= limit:
            outcomes.append(TestOutcome("performance", True, f"{perf:.1f} ms (limit {limit:g} ms)"))
        else:
            slow = True
            why = (
                f"{perf:.1f} ms, over the limit of {limit:g} ms"
                if isinstance(perf, int | float)
                else str(report.get("perf_error") or "no timing reported")
            )
            outcomes.append(TestOutcome("performance", False, why))
    if forbidden:
        verdict: Verdict = "forbidden"
        detail = f"the runtime audit saw forbidden calls: {', '.join(sorted(set(forbidden)))}"
    elif crashed:
        verdict, detail = "runtime_error", ""
    elif all(o.ok for o in outcomes):
        verdict, detail = "accepted", ""
    elif slow and all(o.ok for o in outcomes if o.name != "performance"):
        verdict, detail = "time_limit", "correct, but slower than the performance test allows"
    else:
        verdict, detail = "wrong_answer", ""
    return Grade(spec.id, verdict, tuple(outcomes), time_ms, detail, output, seed)


def _case_problem(
    case: dict[str, Any], exp: dict[str, Any], mine: dict[str, Any], tol: Tolerance, names: list[str]
) -> str | None:
    if "output" not in mine:
        return "no output reported"
    problem = compare(exp["output"], mine["output"], tol)
    if problem:
        return problem
    if "grads" in exp:
        if "grads" not in mine:
            return "gradients could not be computed (is the output detached from the inputs?)"
        for key, e, g in zip(case.get("grad", []), exp["grads"], mine["grads"] + [None] * 99, strict=False):
            label = key if isinstance(key, str) else (names[key] if key < len(names) else f"input {key}")
            if e is None and g is None:
                continue
            if g is None:
                return f"gradient of {label}: none flowed back (is the output detached?)"
            problem = compare(e, g, Tolerance(tol.atol * 10, tol.rtol * 10), f"gradient of {label}")
            if problem:
                return problem
    if case.get("gradcheck") and mine.get("gradcheck") is not True:
        return "torch.autograd.gradcheck failed: backward does not match finite differences"
    return None


def _tail(text: str, lines: int = 12) -> str:
    kept = [line for line in text.strip().splitlines() if not line.startswith("[sandbox]")]
    return "\n".join(kept[-lines:])[-1500:]


class SandboxBackend:
    """Runs grading jobs straight on a `Sandbox` (its warm pools): the CLI, tests and benchmarks."""

    def __init__(self, sandbox: Any) -> None:
        self.sandbox = sandbox

    async def execute(self, code: str, pool: str, device: str, limits: Limits, name: str) -> Executed:
        from executor.protocol import RunSpec

        result = await self.sandbox.arun(
            RunSpec(code, framework=pool, device=device, limits=limits, name=name)
        )
        files = await asyncio.to_thread(_take_result_file, result)
        return Executed(result, files)


def _take_result_file(result: RunResult) -> dict[str, bytes]:
    """Read the result artifact and remove every artifact of the job from the host's results dir."""
    files = {}
    for artifact in result.artifacts:
        path = Path(artifact.path)
        try:
            if artifact.name == RESULT_FILE:
                files[artifact.name] = path.read_bytes()
        finally:
            path.unlink(missing_ok=True)
    if result.artifacts:
        with contextlib.suppress(OSError):
            Path(result.artifacts[0].path).parent.rmdir()
    return files


class QueueBackend:
    """Runs grading jobs through the executor's job queue, like /run (the bot)."""

    def __init__(self, client: Any, requester: str = "grader", guild: str | None = None) -> None:
        self.client = client
        self.requester = requester
        self.guild = guild

    async def execute(self, code: str, pool: str, device: str, limits: Limits, name: str) -> Executed:
        from executor.jobs import Job

        job = Job(
            id=f"{name}-{secrets.token_hex(8)}",
            code=code,
            framework=pool,
            device="cuda" if device == "cuda" else "cpu" if device == "cpu" else "auto",
            limits=limits,
            requester=self.requester,
            guild=self.guild,
            priority=1,
        )
        started = time.monotonic()
        job_result = await self.client.run(job, timeout=limits.wall_s + 120)
        log.debug("grading job %s took %.3f s", job.id, time.monotonic() - started)
        return Executed(
            job_result.result, {f.name: f.data for f in job_result.files if f.name == RESULT_FILE}
        )
