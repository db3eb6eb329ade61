"""Keep the first `limit` bytes of stdout and stderr together; count and drop the rest."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class OutputCapture:
    limit: int
    kept: dict[str, bytearray] = field(default_factory=lambda: {"stdout": bytearray(), "stderr": bytearray()})
    kept_bytes: int = 0
    dropped_bytes: int = 0

    @property
    def total(self) -> int:
        return self.kept_bytes + self.dropped_bytes

    @property
    def truncated(self) -> bool:
        return self.dropped_bytes > 0

    def feed(self, stream: str, data: bytes) -> None:
        room = max(0, self.limit - self.kept_bytes)
        if room:
            part = data[:room]
            self.kept[stream] += part
            self.kept_bytes += len(part)
        self.dropped_bytes += max(0, len(data) - room)

    def text(self, stream: str) -> str:
        return self.kept[stream].decode("utf-8", errors="replace")
