"""`python -m content list|lint|check`."""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import sys

from content.challenge_loader import lint_challenges, load_challenges
from content.check import items_of, run_checks
from content.lint import lint
from content.loader import load_bank
from content.syllabus import load_syllabus

log = logging.getLogger("content")


def _list(args: argparse.Namespace) -> int:
    bank = load_bank()
    rows = [
        {
            "id": t.id,
            "category": t.category,
            "level": t.level,
            "languages": ["zh", "en"],
            "mcq": len(t.quiz.mcq),
            "cards": len(t.quiz.cards),
            "demo": t.demo,
            "has_misconception": t.misconception is not None,
        }
        for t in bank.topics.values()
    ]
    if args.json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        for row in rows:
            sys.stdout.write(
                f"{row['id']:40} {row['category']:26} L{row['level']} "
                f"mcq={row['mcq']} cards={row['cards']} demo={row['demo'] or '-'}\n"
            )
    for problem in bank.problems:
        log.warning("%s", problem)
    return 0


def _lint(args: argparse.Namespace) -> int:
    bank = load_bank()
    problems = lint(bank, load_syllabus(), require_all=not args.partial)
    challenges = load_challenges()
    problems += lint_challenges(challenges, set(bank.topics))
    for problem in problems:
        sys.stdout.write(f"{problem}\n")
    sys.stdout.write(
        f"{len(bank.topics)} topics, {len(bank.demos)} demos, {len(challenges.challenges)} challenges: "
        f"{'clean' if not problems else f'{len(problems)} problems'}\n"
    )
    return 1 if problems else 0


# The module each framework's code needs; where it is missing (a GPU image without TensorFlow,
# say) that framework's items are skipped, saying so, rather than reported as failures.
FRAMEWORK_MODULES = {"pytorch": "torch", "tensorflow": "tensorflow"}


def _check(args: argparse.Namespace) -> int:
    bank = load_bank()
    if bank.problems:
        for problem in bank.problems:
            sys.stdout.write(f"{problem}\n")
        return 1
    items = items_of(
        bank, args.topic or None, demos=not args.no_demos, device=args.device, errors_only=args.errors
    )
    for framework, module in FRAMEWORK_MODULES.items():
        if importlib.util.find_spec(module) is None and any(i.framework == framework for i in items):
            skipped = [i for i in items if i.framework == framework]
            items = [i for i in items if i.framework != framework]
            sys.stdout.write(
                f"{len(skipped)} {framework} snippets and demos skipped: {module} is not installed here\n"
            )
    on_cpu = sum(1 for item in items if item.device != args.device)
    if on_cpu:
        sys.stdout.write(
            f"{on_cpu} TensorFlow snippets and demos run on the CPU; the rest on {args.device}\n"
        )
    failures = run_checks(items, jobs=args.jobs)
    for failure in failures:
        sys.stdout.write(f"FAIL {failure}\n\n")
    sys.stdout.write(f"{len(items)} checked: {len(items) - len(failures)} passed, {len(failures)} failed\n")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m content", description="The Backprop topic bank.")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    p_list = sub.add_parser("list", help="one line (or JSON object) per topic")
    p_list.add_argument("--json", action="store_true")
    p_list.set_defaults(func=_list)
    p_lint = sub.add_parser("lint", help="schema, languages, lengths, syllabus ids, related ids")
    p_lint.add_argument("--partial", action="store_true", help="do not require every syllabus topic")
    p_lint.set_defaults(func=_lint)
    p_check = sub.add_parser("check", help="run every snippet, demo and error trigger and check their output")
    p_check.add_argument("topic", nargs="*", help="only these topic ids")
    p_check.add_argument("--no-demos", action="store_true")
    p_check.add_argument("--errors", action="store_true", help="only the error triggers of `errors:`")
    p_check.add_argument("-j", "--jobs", type=int, default=None)
    p_check.add_argument(
        "--device",
        choices=["cpu", "cuda"],
        default="cpu",
        help="run PyTorch and Python code with the GPU (cuda) or without (cpu, the default); TensorFlow's on the CPU",
    )
    p_check.set_defaults(func=_check)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
