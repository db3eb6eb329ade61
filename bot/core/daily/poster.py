"""What the scheduler needs from a transport (Discord, or a fake in tests): the `Poster` protocol.

Every call may raise `PostRefused` for a refusal that retrying cannot fix (the channel is gone, the bot
may not post there, the message is malformed); any other exception is treated as transient and the
post is tried again on a later tick, within its grace window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from bot.core.replies import Reply

Refusal = Literal["channel_deleted", "missing_permission", "rejected"]


class PostRefused(Exception):
    def __init__(self, reason: Refusal, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason: Refusal = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One daily post as the transport sends it."""

    post_id: int
    guild_id: int
    channel_id: int
    reply: Reply  # its choices are `/daily-answer <post> <option>` actions: the buttons
    marker: str  # in the reply's footer; how `find` recognises the message
    nonce: str
    thread_name: str


class Poster(Protocol):
    def checkpoint(self) -> str:
        """An opaque point in channel history just before a send (for Discord, a snowflake)."""
        ...

    async def find(self, out: Outgoing, after: str) -> int | None:
        """The id of a message of ours after `after` whose footer carries `out.marker`, if there is one."""
        ...

    async def send(self, out: Outgoing) -> int:
        """Post the message; its id."""
        ...

    async def open_thread(self, out: Outgoing, message_id: int) -> int:
        """Start the discussion thread on the message (or return the one already there); its id."""
        ...
