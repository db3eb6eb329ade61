"""Error messages and pasted tracebacks: recognise them, match the bank's known errors, and reduce the
rest to what a search should see.

A traceback is mostly noise for a search: file paths, line numbers, the student's own code lines and
variable names. What identifies the problem is the exception type, its message and the library
functions the frames pass through (`backward`, `_engine_run_backward`, `load_state_dict`). Each topic
lists the errors it explains (`errors:` in its YAML, a regular expression of the installed libraries'
wording); a message that matches one is answered with that error's meaning and fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# `RuntimeError: ...`, `torch.OutOfMemoryError: ...`, `tensorflow.python.framework.errors_impl.X: ...`
_EXCEPTION = re.compile(
    r"(?<![\w.])((?:[A-Za-z_]\w*\.)*(?:[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Warning)|StopIteration"
    r"|KeyboardInterrupt)):(?:\s|$)"
)
_FRAME = re.compile(r'File "([^"]+)", line \d+, in ([<>\w.]+)')
_TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+")
# Library locations: frames there name the library's functions, which say where the error arose.
_LIBRARY_PATH = re.compile(r"site-packages|dist-packages|/lib/python\d|[\\/](?:torch|tensorflow|keras)[\\/]")
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][\w.\-+@~]+){2,}")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Lines a traceback repeats that say nothing about the problem.
_NOISE = re.compile(
    r"Traceback \(most recent call last\):|During handling of the above exception, another exception "
    r"occurred:|The above exception was the direct cause of the following exception:|\^{2,}|~{2,}"
)
_GENERIC_FRAMES = frozenset(
    {
        "<module>",
        "main",
        "__call__",
        "_call_impl",
        "_wrapped_call_impl",
        "forward",
        "wrapper",
        "inner",
        "run",
        "train",
        "fit",
        "error_handler",
        "_fn",
        "decorate_context",
    }
)
MAX_ERROR_TEXT = 4000


@dataclass(frozen=True, slots=True)
class ErrorText:
    """What a pasted error or traceback says, without paths and the student's code."""

    exc_type: str | None  # the last exception's class name, without module ("RuntimeError")
    message: str  # its message (the whole text when no exception line was found)
    functions: tuple[str, ...]  # library functions from the frames, innermost last
    traceback: bool  # frames or a "Traceback" header were present

    def search_text(self) -> str:
        """The text to rank topics with: type, message and library functions, paths removed."""
        parts = [self.exc_type or "", _PATH.sub(" ", self.message)]
        parts.extend(name for name in self.functions if name not in _GENERIC_FRAMES)
        return " ".join(p for p in parts if p).strip()


def parse(text: str) -> ErrorText | None:
    """Pull the exception out of a pasted error; None when the text does not look like an error."""
    text = _ANSI.sub("", text[: MAX_ERROR_TEXT * 2])
    frames = _FRAME.findall(text)
    is_traceback = bool(_TRACEBACK.search(text))
    found = list(_EXCEPTION.finditer(text))
    if not found and not is_traceback:
        return None
    functions = tuple(dict.fromkeys(name for path, name in frames if _LIBRARY_PATH.search(path)))
    if not found:
        last_frame = list(_FRAME.finditer(text))
        tail = text[last_frame[-1].end() :] if last_frame else text
        return ErrorText(None, _clean_message(tail), functions, is_traceback)
    last = found[-1]
    exc_type = last.group(1).rsplit(".", 1)[-1]
    message = text[last.end() :]
    if not message.strip() and len(found) > 1:  # `raise X from e` printed the cause last
        message = text[found[-2].end() : last.start()]
    return ErrorText(exc_type, _clean_message(message), functions, is_traceback)


def _clean_message(message: str) -> str:
    message = _NOISE.sub(" ", message)
    message = _FRAME.sub(" ", message)
    return " ".join(message.split())


@dataclass(frozen=True, slots=True)
class KnownError:
    topic_id: str
    index: int  # position in the topic's `errors`
    exc_type: str  # short class name
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class ErrorMatch:
    topic_id: str
    index: int
    exc_type: str


@dataclass(frozen=True, slots=True)
class ErrorCatalogue:
    """Every error pattern of the bank."""

    known: tuple[KnownError, ...]

    @classmethod
    def build(cls, topics: Iterable[object]) -> ErrorCatalogue:
        known = []
        for topic in topics:
            topic_id = str(getattr(topic, "id", ""))
            for i, entry in enumerate(getattr(topic, "errors", None) or ()):
                try:
                    pattern = re.compile(entry.pattern)
                except re.error:
                    continue  # the schema refuses these; stand-in records may not
                known.append(KnownError(topic_id, i, entry.type.rsplit(".", 1)[-1], pattern))
        return cls(tuple(known))

    def match(self, text: str, parsed: ErrorText | None) -> ErrorMatch | None:
        """The known error this text shows: the longest pattern match, the stated type breaking ties."""
        if not self.known:
            return None
        haystacks = [parsed.message] if parsed is not None and parsed.message else []
        haystacks.append(" ".join(_ANSI.sub("", text[: MAX_ERROR_TEXT * 2]).split()))
        best: tuple[int, int, KnownError] | None = None
        for known in self.known:
            for haystack in haystacks:
                found = known.pattern.search(haystack)
                if found is None:
                    continue
                same_type = int(parsed is not None and parsed.exc_type == known.exc_type)
                rank = (same_type, found.end() - found.start(), known)
                if best is None or rank[:2] > best[:2]:
                    best = rank
                break
        if best is None:
            return None
        known = best[2]
        return ErrorMatch(known.topic_id, known.index, known.exc_type)
