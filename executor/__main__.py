"""`python -m executor run (--code-file F | --demo ID) [--framework F] [--timeout S] [--json]`.

Each subcommand registers itself with `add_*_parser(sub)` and sets `func`; the queue's `worker`
and `submit` join the same CLI when their module is installed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

from executor.protocol import FRAMEWORKS, MAX_WALL_S, Limits, RunResult, RunSpec, Status

log = logging.getLogger("executor.cli")

# Exit status of `run`: the job's own exit code when it ran; these when it did not.
EXIT_REJECTED = 2
EXIT_NOT_RUN = 3


def add_run_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run one snippet or demo in the sandbox and print its result")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--code-file", type=Path, help="a Python file to run")
    source.add_argument("--demo", help="a demo id from content/demos/")
    p.add_argument(
        "--framework",
        choices=[*FRAMEWORKS, "pytorch"],
        default=None,
        help="the warm pool to use (default: the demo's, or python)",
    )
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        help=f"wall-time limit in seconds (default: the demo's, or 30; at most {MAX_WALL_S:g})",
    )
    p.add_argument(
        "--results-dir",
        type=Path,
        default=None,
        help="where artifacts from ./out/ are copied (default: a new temp dir)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object with the whole result")
    p.set_defaults(func=run_main)


def job_spec(args: argparse.Namespace) -> RunSpec:
    if args.demo:
        from executor.demos import load_demo

        code, framework, timeout = load_demo(args.demo)
        name = args.demo
    else:
        code, framework, timeout = args.code_file.read_text(encoding="utf-8"), "python", 30
        name = args.code_file.stem
    return RunSpec(
        code=code,
        framework=args.framework or framework,
        device=args.device,
        limits=Limits(wall_s=args.timeout or timeout),
        name=name,
    )


def run_main(args: argparse.Namespace) -> int:
    from executor.host import gpu_nodes
    from executor.sandbox import Sandbox, SandboxUnavailable, pin_first_gpu

    try:
        spec = job_spec(args)
    except (OSError, KeyError, ValueError) as exc:
        log.error("%s", exc)
        return EXIT_REJECTED
    if spec.device == "cuda":
        pin_first_gpu(gpu_nodes())
    results_dir = args.results_dir or Path(tempfile.mkdtemp(prefix="backprop-run-"))
    try:
        # --device cuda pins a GPU as a worker does: CUDA_VISIBLE_DEVICES, else the first (pin_first_gpu).
        gpu = os.environ.get("CUDA_VISIBLE_DEVICES") if spec.device == "cuda" else None
        with Sandbox(results_dir=results_dir, gpu=gpu) as sandbox:
            result = sandbox.run(spec)
    except SandboxUnavailable as exc:
        log.error("cannot sandbox on this host: %s", exc)
        return EXIT_NOT_RUN
    show(result, as_json=args.json)
    return exit_status(result)


def show(result: RunResult, *, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        return
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    log.info(
        "status %s, exit code %s, %.3f s on %s%s",
        result.status,
        result.exit_code,
        result.duration_s,
        result.device,
        ", output truncated" if result.truncated else "",
    )
    for artifact in result.artifacts:
        log.info("artifact %s (%d bytes): %s", artifact.name, artifact.size, artifact.path)


def exit_status(result: RunResult) -> int:
    if result.status is Status.REJECTED:
        return EXIT_REJECTED
    if result.exit_code is None:
        return EXIT_NOT_RUN
    return result.exit_code if result.exit_code >= 0 else 128 - result.exit_code


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m executor", description="Backprop's code executor")
    p.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    sub = p.add_subparsers(dest="command", required=True)
    add_run_parser(sub)
    from executor.doctor import add_doctor_parser

    add_doctor_parser(sub)
    try:
        from executor.cli_queue import add_submit_parser, add_worker_parser
    except ImportError as exc:  # the queue's extra dependencies are not installed
        log.debug("queue subcommands unavailable: %s", exc)
    else:
        add_worker_parser(sub)
        add_submit_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    log.setLevel(logging.DEBUG if args.verbose else logging.INFO)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
