"""`python -m bot challenge list [--json]` and `python -m bot challenge grade ID --code-file F [--device cpu|cuda] [--json]`.

`grade` runs the same grader as `/challenge submit`, on a sandbox of its own (warm pools are
started once for the run). Exit status: 0 accepted, 1 any other verdict, 2 bad usage or the grader
could not run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from content.challenge_loader import load_challenges


def add_parser(sub: argparse._SubParsersAction) -> None:
    challenge = sub.add_parser("challenge", help="list coding challenges or grade a file against one")
    actions = challenge.add_subparsers(dest="challenge_command", required=True)
    listing = actions.add_parser("list", help="every challenge")
    listing.add_argument(
        "--json", action="store_true", help="a JSON list of {id, title, level, framework, topic}"
    )
    grading = actions.add_parser("grade", help="grade a solution file in the sandbox")
    grading.add_argument("challenge_id", metavar="ID")
    grading.add_argument("--code-file", type=Path, required=True)
    grading.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    grading.add_argument(
        "--json", action="store_true", help="one JSON object with the verdict and every test"
    )


def run_challenge_cli(args: argparse.Namespace) -> int:
    bank = load_challenges()
    if args.challenge_command == "list":
        rows = [
            {"id": c.id, "title": c.title.en, "level": c.level, "framework": c.framework, "topic": c.topic}
            for c in bank.challenges.values()
        ]
        if args.json:
            sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        else:
            for row in rows:
                sys.stdout.write(
                    f"{row['id']:36} L{row['level']} {row['framework']:10} {row['topic']:28} {row['title']}\n"
                )
        return 0
    challenge = bank.get(args.challenge_id)
    if challenge is None:
        sys.stderr.write(
            f"grade: no challenge {args.challenge_id!r}; `python -m bot challenge list` lists them\n"
        )
        return 2
    try:
        code = args.code_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        sys.stderr.write(f"grade: cannot read {args.code_file}: {exc}\n")
        return 2
    return asyncio.run(_grade(challenge, code, args.device, args.json))


async def _grade(challenge, code: str, device: str, as_json: bool) -> int:
    from executor.grading import GraderError, SandboxBackend, Spec, grade
    from executor.sandbox import Sandbox, SandboxUnavailable

    try:
        sandbox = Sandbox()
    except SandboxUnavailable as exc:
        sys.stderr.write(f"grade: cannot sandbox here: {exc}\n")
        return 2
    try:
        result = await grade(Spec.of(challenge), code, SandboxBackend(sandbox), device=device)
    except GraderError as exc:
        sys.stderr.write(f"grade: {exc}\n")
        return 2
    finally:
        await asyncio.to_thread(sandbox.close)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(
            f"{challenge.id}: {result.verdict} ({result.passed}/{result.total}) in {result.time_ms:.0f} ms\n"
        )
        if result.detail:
            sys.stdout.write(f"  {result.detail}\n")
        for test in result.tests:
            sys.stdout.write(
                f"  {'ok  ' if test.ok else 'FAIL'} {test.name}{': ' + test.message if test.message else ''}\n"
            )
    return 0 if result.accepted else 1
