"""How often the mock interview's pre-ticks agree with hand labels (bench/interview_answers.yaml).

Every (answer, key point) pair is one decision: ticked or not. Reported: agreement (accuracy),
precision (a tick is right), recall (a covered point gets ticked), and answers whose ticks were all
right, per language and overall. The labels were written before the matcher was run on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.__main__ import stamp
from bot.core.interview.matching import auto_ticks
from content.loader import load_bank

ANSWERS = Path(__file__).with_name("interview_answers.yaml")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    answers: int = 0
    exact: int = 0

    def add(self, predicted: list[bool], truth: list[bool]) -> None:
        for p, t in zip(predicted, truth, strict=True):
            self.tp += p and t
            self.fp += p and not t
            self.fn += t and not p
            self.tn += not p and not t
        self.answers += 1
        self.exact += predicted == truth

    def row(self, name: str) -> str:
        decisions = self.tp + self.fp + self.fn + self.tn
        accuracy = (self.tp + self.tn) / decisions if decisions else 0.0
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return (
            f"| {name} | {self.answers} | {decisions} | {accuracy:.2f} | {precision:.2f} | {recall:.2f} "
            f"| {self.exact}/{self.answers} |"
        )


def measure() -> dict[str, Tally]:
    bank = load_bank()
    tallies = {"zh": Tally(), "en": Tally(), "all": Tally()}
    for item in yaml.safe_load(ANSWERS.read_text(encoding="utf-8")):
        topic = bank.topics[item["topic"]]
        if not topic.key_points:
            continue
        predicted = auto_ticks(item["answer"], topic.key_points)
        truth = [i in item["covered"] for i in range(len(topic.key_points))]
        tallies[item["lang"]].add(predicted, truth)
        tallies["all"].add(predicted, truth)
    return tallies


def run() -> str:
    tallies = measure()
    lines = [
        "## Mock interview: key point pre-ticks",
        "",
        stamp(),
        "Pre-ticks (bilingual term matching, `bot/core/interview/matching.py`) against hand labels of "
        "`bench/interview_answers.yaml`: each (answer, key point) pair is one decision. Members correct "
        "the ticks before they count.",
        "",
        "| answers in | answers | decisions | agreement | precision | recall | answers all right |",
        "|---|---|---|---|---|---|---|",
        tallies["zh"].row("Chinese"),
        tallies["en"].row("English"),
        tallies["all"].row("both"),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run())
