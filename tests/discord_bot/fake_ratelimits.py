"""Discord's REST rate limits for the fake, optionally compressed in time.

What it reproduces (https://discord.com/developers/docs/topics/rate-limits):

* per-route buckets keyed by the route and its major parameter (the channel): every answer carries
  `X-RateLimit-Limit/-Remaining/-Reset/-Reset-After/-Bucket`, which discord.py uses to wait before a
  bucket runs dry;
* the global limit (50 requests per second per bot; interaction answers are left out here), which
  discord.py only learns about from a 429 with `"global": true`;
* a 429 carries `retry_after` in its JSON body, `Retry-After`, `X-RateLimit-Scope`, and a `Via` header
  (discord.py treats a 429 without one as a Cloudflare ban).

`scale` compresses every window: 0.02 makes "50 per second" 50 per 20 ms, so a test can push
thousands of requests through in a second or two and still meet the limits.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field

_ID = re.compile(r"/\d+")
_EXEMPT = ("/interactions/", "/webhooks/")  # interaction answers: not under the bot's limits here


@dataclass(frozen=True, slots=True)
class RateLimits:
    global_limit: int = 50  # requests per global window
    global_window_s: float = 1.0
    route_limit: int = 5  # e.g. 5 messages per 5 s in one channel
    route_window_s: float = 5.0
    scale: float = 1.0


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    headers: dict[str, str]
    body: dict | None = None  # the 429's JSON


@dataclass
class _Window:
    start: float
    count: int = 0


@dataclass
class RateLimiter:
    limits: RateLimits
    buckets: dict[str, _Window] = field(default_factory=dict)
    global_window: _Window = field(default_factory=lambda: _Window(0.0))
    limited: list[tuple[str, str, bool]] = field(default_factory=list)  # (method, path, global) of each 429
    accepted: int = 0

    def check(self, method: str, path: str) -> Verdict:
        if path.startswith(_EXEMPT):
            return Verdict(True, {})
        now = time.monotonic()
        global_s = self.limits.global_window_s * self.limits.scale
        route_s = self.limits.route_window_s * self.limits.scale
        start = now - (now % global_s)
        if self.global_window.start != start:
            self.global_window = _Window(start)
        if self.global_window.count >= self.limits.global_limit:
            self.limited.append((method, path, True))
            return self._limited(
                start + global_s - now, {"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}, True
            )
        template = _ID.sub("/{id}", path)
        major = (_ID.findall(path) or [""])[0]
        key = f"{method} {template}"
        bucket = self.buckets.get(f"{key}:{major}")
        if bucket is None or now - bucket.start >= route_s:
            bucket = self.buckets[f"{key}:{major}"] = _Window(now)
        reset_after = max(0.0, bucket.start + route_s - now)
        headers = {
            "X-RateLimit-Limit": str(self.limits.route_limit),
            "X-RateLimit-Bucket": hashlib.sha1(key.encode()).hexdigest()[:16],
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        }
        if bucket.count >= self.limits.route_limit:
            self.limited.append((method, path, False))
            return self._limited(
                reset_after, {**headers, "X-RateLimit-Remaining": "0", "X-RateLimit-Scope": "user"}, False
            )
        bucket.count += 1
        self.global_window.count += 1
        self.accepted += 1
        return Verdict(
            True, {**headers, "X-RateLimit-Remaining": str(self.limits.route_limit - bucket.count)}
        )

    @staticmethod
    def _limited(retry_after: float, headers: dict[str, str], is_global: bool) -> Verdict:
        retry_after = round(max(retry_after, 0.001), 3)
        return Verdict(
            False,
            {**headers, "Retry-After": str(retry_after), "Via": "1.1 google"},
            {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global},
        )
