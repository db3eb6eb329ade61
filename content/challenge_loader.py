"""Load the challenge bank (`content/challenges/<id>.yaml`) and report problems by file and field."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from content.challenge_schema import Challenge
from content.loader import CONTENT_DIR, Problem, YamlLoader, _field_name, _relative

log = logging.getLogger(__name__)

CHALLENGES_DIR = CONTENT_DIR / "challenges"


@dataclass(slots=True)
class ChallengeBank:
    challenges: dict[str, Challenge] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, challenge_id: str) -> Challenge | None:
        return self.challenges.get(challenge_id)


def load_challenge(path: Path) -> tuple[Challenge | None, list[Problem]]:
    name = _relative(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YamlLoader)
    except yaml.YAMLError as exc:
        return None, [Problem(name, "", f"broken YAML: {getattr(exc, 'problem', exc)}")]
    if not isinstance(raw, dict):
        return None, [Problem(name, "", "expected a mapping of fields at the top level")]
    try:
        challenge = Challenge.model_validate(raw)
    except ValidationError as exc:
        return None, [Problem(name, _field_name(err["loc"]), err["msg"]) for err in exc.errors()]
    problems = []
    if path.stem != challenge.id:
        problems.append(Problem(name, "id", f"id {challenge.id!r} does not match the file name"))
    return challenge, problems


def load_challenges(directory: Path = CHALLENGES_DIR) -> ChallengeBank:
    bank = ChallengeBank()
    for path in sorted(directory.glob("*.yaml")):
        challenge, problems = load_challenge(path)
        bank.problems.extend(problems)
        if challenge is not None:
            bank.challenges[challenge.id] = challenge
            bank.paths[challenge.id] = path
    log.info("challenges loaded: %d, %d problems", len(bank.challenges), len(bank.problems))
    return bank


def lint_challenges(bank: ChallengeBank, topic_ids: set[str]) -> list[Problem]:
    """Loader problems plus: the topic exists."""
    problems = list(bank.problems)
    for challenge_id, challenge in bank.challenges.items():
        if challenge.topic not in topic_ids:
            problems.append(
                Problem(_relative(bank.paths[challenge_id]), "topic", f"unknown topic id {challenge.topic!r}")
            )
    return problems
