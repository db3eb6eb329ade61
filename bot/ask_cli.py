"""`python -m bot ask [--json] [--batch FILE] [QUERY]`: one-shot topic search."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from bot.core.library import Library

MIN_RESULTS = 5


def _queries(query: str | None, batch: Path | None, stdin: TextIO) -> list[str]:
    if batch is not None:
        source = stdin if str(batch) == "-" else batch.open(encoding="utf-8")
        with source:
            return [line.rstrip("\n") for line in source if line.strip()]
    return [query or ""]


def run_ask(
    query: str | None, batch: Path | None, as_json: bool, out: TextIO = sys.stdout, stdin: TextIO = sys.stdin
) -> int:
    library = Library.load()
    for q in _queries(query, batch, stdin):
        response = library.search(q, limit=MIN_RESULTS)
        if as_json:
            out.write(json.dumps(response.to_json(), ensure_ascii=False) + "\n")
            continue
        mark = "confident" if response.confident else "did you mean"
        if response.off_topic:
            mark = "not in the bank"
        if response.error is not None:
            mark = (
                f"error {response.error.exc_type}, {response.error.topic_id} errors[{response.error.index}]"
            )
        out.write(f"{q}  [{mark}]\n")
        for i, hit in enumerate(response.hits, 1):
            title = hit.title_zh if response.lang == "zh" else hit.title_en
            out.write(f"  {i}. {hit.id:38} {hit.score:7.3f}  {title}\n")
    return 0
