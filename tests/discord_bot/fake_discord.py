"""A fake Discord: the gateway websocket and the REST routes the bot uses, on loopback, for the real client.

discord.py has no base-URL option; tests point `discord.http.Route.BASE` and
`discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY` here. Facts this server respects: JSON bodies go out
with Content-Type exactly `application/json`; it never answers 5xx (the client would retry with
backoff); READY carries `resume_gateway_url`; INTERACTION_CREATE carries `attachment_size_limit`;
interaction callbacks come with `?with_response=1` and get `{interaction, resource}` back.

Servers and channels: one server with one channel out of the box; `add_guild` and `add_channel` add more.
A server added with `gateway=False` is known to REST only (no GUILD_CREATE), like the thousands of
servers a large bot may not have cached. Posting to a deleted channel answers 404 (10003), to a
`forbid`den one 403 (50013); a message can get one thread (a second answers 400, 160004), and the
thread's id is the message's. `enforce_nonce` returns the earlier message for a repeated nonce within
`nonce_window_s`. With `rate_limits`, REST answers carry Discord's rate-limit headers and 429s
(fake_ratelimits.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.discord_bot.fake_ratelimits import RateLimiter, RateLimits

log = logging.getLogger("fake_discord")

APP_ID = 900000000000000001
BOT_ID = 900000000000000002
GUILD_ID = 100000000000000001
CHANNEL_ID = 200000000000000001
ADMIN_ID = 300000000000000001
MEMBER_ID = 300000000000000002
OWNER_ID = ADMIN_ID

MANAGE_GUILD = 1 << 5
EVERYONE_PERMS = (
    (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31)
)  # view, send, embed, files
ADMIN_PERMS = EVERYONE_PERMS | MANAGE_GUILD

_counter = itertools.count()
DISCORD_EPOCH_MS = 1420070400000


def snowflake() -> str:
    """A real snowflake for now: discord.py reads creation times (and interaction expiry) from ids."""
    return str(((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(_counter) % 4096))


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def user(uid: int, name: str, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(uid),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def json_response(data: Any, status: int = 200) -> web.Response:
    # discord.py parses a body as JSON only when Content-Type is exactly application/json (no charset).
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


@dataclass
class Message:
    data: dict[str, Any]
    files: list[tuple[str, bytes]] = field(default_factory=list)
    edits: int = 0

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.data.get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.data.get("components") or []

    def buttons(self) -> list[dict[str, Any]]:
        return [c for row in self.components for c in row.get("components", []) if c.get("type") == 2]

    def selects(self) -> list[dict[str, Any]]:
        return [c for row in self.components for c in row.get("components", []) if c.get("type") == 3]

    def button(self, label: str) -> dict[str, Any]:
        for b in self.buttons():
            if b.get("label") == label:
                return b
        raise KeyError(f"no button {label!r} in {[b.get('label') for b in self.buttons()]}")


@dataclass
class Channel:
    id: int
    guild_id: int
    name: str
    type: int = 0  # 0 text, 11 public thread
    parent_id: int | None = None
    forbidden: bool = False  # the bot may not post here (403, Missing Permissions)

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "guild_id": str(self.guild_id),
        }


@dataclass
class Guild:
    id: int
    name: str
    gateway: bool = True  # streamed to the bot with GUILD_CREATE


@dataclass
class Callback:
    """What the bot answered to one interaction."""

    type: int
    data: dict[str, Any]
    message: Message | None


class FakeDiscord:
    def __init__(self, rate_limits: RateLimits | None = None) -> None:
        self.app = web.Application(client_max_size=64 * 1024 * 1024)
        self.app.router.add_get("/gateway", self.gateway)
        self.app.router.add_route("*", "/api/v10/{tail:.*}", self.rest)
        self.app.router.add_get("/cdn/attachments/{id}/{name}", self.cdn)
        self.uploads: dict[str, bytes] = {}  # attachment id -> bytes a member attached to a chat message
        self.runner: web.AppRunner | None = None
        self.port = 0
        self.ws: web.WebSocketResponse | None = None
        self.identified = asyncio.Event()
        self.seq = 0
        self.messages: dict[str, Message] = {}
        self.channel_messages: dict[str, list[Message]] = {}
        self.callbacks: dict[str, Callback] = {}  # interaction id -> answer
        self.originals: dict[str, Message] = {}  # interaction token -> original response message
        self.sources: dict[str, Message] = {}  # component interaction id -> the message clicked
        self.commands: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str]] = []
        self.unknown: list[str] = []
        self.last_request = time.monotonic()
        self.changed = asyncio.Condition()
        self.guilds: dict[int, Guild] = {GUILD_ID: Guild(GUILD_ID, "Study Server")}
        self.channels: dict[int, Channel] = {CHANNEL_ID: Channel(CHANNEL_ID, GUILD_ID, "study")}
        self.deleted: set[int] = set()
        self.threads: dict[int, Channel] = {}  # thread id (= its message's id) -> thread
        self.nonce_window_s = 120.0
        self._nonces: dict[tuple[int, str], tuple[Message, float]] = {}
        self.limiter = RateLimiter(rate_limits) if rate_limits is not None else None
        self._answer_channels: dict[str, int] = {}  # interaction id or token -> the channel it came from

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        self.runner = web.AppRunner(self.app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self.ws is not None and not self.ws.closed:
            await self.ws.close()
        if self.runner is not None:
            await self.runner.cleanup()

    # -- servers and channels -------------------------------------------------------------------

    def add_guild(
        self, guild_id: int, channel_id: int, *, name: str = "server", gateway: bool = True
    ) -> None:
        """A server with one text channel; add it before the bot connects to have it in READY."""
        self.guilds[guild_id] = Guild(guild_id, name, gateway)
        self.add_channel(guild_id, channel_id)

    def add_channel(self, guild_id: int, channel_id: int, name: str = "daily") -> None:
        self.channels[channel_id] = Channel(channel_id, guild_id, name)

    async def delete_channel(self, channel_id: int) -> None:
        channel = self.channels.pop(channel_id)
        self.deleted.add(channel_id)
        if self.guilds[channel.guild_id].gateway and self.ws is not None and not self.ws.closed:
            await self.dispatch("CHANNEL_DELETE", channel.payload())

    def forbid(self, channel_id: int) -> None:
        self.channels[channel_id].forbidden = True

    @property
    def rate_limited(self) -> list[tuple[str, str, bool]]:
        return self.limiter.limited if self.limiter is not None else []

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- gateway --------------------------------------------------------------------------------

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.ws = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            if payload["op"] == 1:
                await ws.send_str(json.dumps({"op": 11, "d": None}))
            elif payload["op"] == 2:
                await self.dispatch("READY", self.ready_payload())
                for guild in [g for g in self.guilds.values() if g.gateway]:
                    await self.dispatch("GUILD_CREATE", self.guild_payload(guild.id))
                self.identified.set()
        return ws

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        assert self.ws is not None, "the bot has not connected"
        self.seq += 1
        await self.ws.send_str(json.dumps({"op": 0, "t": event, "s": self.seq, "d": data}))

    def ready_payload(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": {
                **user(BOT_ID, "Backprop", bot=True),
                "verified": True,
                "mfa_enabled": False,
                "flags": 0,
            },
            "guilds": [{"id": str(g.id), "unavailable": True} for g in self.guilds.values() if g.gateway],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "shard": [0, 1],
            "application": {"id": str(APP_ID), "flags": 0},
        }

    def guild_payload(self, guild_id: int = GUILD_ID) -> dict[str, Any]:
        return {
            "id": str(guild_id),
            "name": self.guilds[guild_id].name,
            "icon": None,
            "owner_id": str(OWNER_ID),
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "features": [],
            "mfa_level": 0,
            "system_channel_flags": 0,
            "premium_tier": 0,
            "preferred_locale": "zh-CN",
            "nsfw_level": 0,
            "large": False,
            "member_count": 3,
            "unavailable": False,
            "joined_at": now_iso(),
            "emojis": [],
            "stickers": [],
            "roles": [
                {
                    "id": str(guild_id),
                    "name": "@everyone",
                    "permissions": str(EVERYONE_PERMS),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [
                c.payload() for c in self.channels.values() if c.guild_id == guild_id and c.type == 0
            ],
            "threads": [],
            "members": [self.member_payload(BOT_ID, "Backprop", bot=True)],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
        }

    def member_payload(self, uid: int, name: str, bot: bool = False, admin: bool = False) -> dict[str, Any]:
        data = {
            "user": user(uid, name, bot),
            "roles": [],
            "joined_at": now_iso(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
            "avatar": None,
            "pending": False,
        }
        if not bot:
            data["permissions"] = str(ADMIN_PERMS if admin else EVERYONE_PERMS)
        return data

    # -- things a member does -------------------------------------------------------------------

    async def cdn(self, request: web.Request) -> web.Response:
        data = self.uploads.get(request.match_info["id"])
        return web.Response(body=data) if data is not None else web.Response(status=404)

    def _upload(self, name: str, data: bytes) -> dict[str, Any]:
        attachment_id = snowflake()
        self.uploads[attachment_id] = data
        url = f"http://127.0.0.1:{self.port}/cdn/attachments/{attachment_id}/{name}"
        return {"id": attachment_id, "filename": name, "size": len(data), "url": url, "proxy_url": url}

    async def send_chat(
        self, content: str, author_id: int = MEMBER_ID, attachments: list[tuple[str, bytes]] | None = None
    ) -> str:
        """A member's chat message; `attachments` are (file name, bytes) the bot can download."""
        message_id = snowflake()
        member = self.member_payload(author_id, "admin" if author_id == ADMIN_ID else "member")
        member.pop("user")
        await self.dispatch(
            "MESSAGE_CREATE",
            {
                "id": message_id,
                "channel_id": str(CHANNEL_ID),
                "guild_id": str(GUILD_ID),
                "author": user(author_id, "admin" if author_id == ADMIN_ID else "member"),
                "member": member,
                "content": content,
                "timestamp": now_iso(),
                "edited_timestamp": None,
                "tts": False,
                "mention_everyone": False,
                "mentions": [],
                "mention_roles": [],
                "attachments": [self._upload(name, data) for name, data in attachments or []],
                "embeds": [],
                "pinned": False,
                "type": 0,
                "flags": 0,
                "components": [],
            },
        )
        return message_id

    def _interaction(
        self, kind: int, data: dict[str, Any], author_id: int, locale: str, message: Message | None = None
    ) -> dict[str, Any]:
        channel_id = int(message.data["channel_id"]) if message is not None else CHANNEL_ID
        guild_id = int(message.data["guild_id"]) if message is not None else GUILD_ID
        payload = {
            "id": snowflake(),
            "application_id": str(APP_ID),
            "type": kind,
            "data": data,
            "guild_id": str(guild_id),
            "channel_id": str(channel_id),
            "channel": {
                "id": str(channel_id),
                "type": 0,
                "guild_id": str(guild_id),
                "name": "study",
                "permissions": str(ADMIN_PERMS),
            },
            "member": self.member_payload(
                author_id, "admin" if author_id == ADMIN_ID else "member", admin=author_id == ADMIN_ID
            ),
            "token": f"token-{snowflake()}",
            "version": 1,
            "locale": locale,
            "guild_locale": "zh-CN",
            "app_permissions": str(ADMIN_PERMS),
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild_id)},
            "context": 0,
            "attachment_size_limit": 8 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = message.data
        self._answer_channels[payload["id"]] = self._answer_channels[payload["token"]] = channel_id
        return payload

    async def slash(
        self,
        name: str,
        options: list[dict[str, Any]] | None = None,
        *,
        author_id: int = MEMBER_ID,
        locale: str = "en-US",
        channels: list[int] | None = None,
    ) -> dict[str, Any]:
        """`channels`: ids of channel options, sent in `resolved` as Discord does."""
        command = next((c for c in self.commands if c["name"] == name), None)
        data = {
            "id": command["id"] if command else snowflake(),
            "name": name,
            "type": 1,
            "options": options or [],
        }
        if channels:
            data["resolved"] = {
                "channels": {
                    str(c): {**self.channels[c].payload(), "permissions": str(ADMIN_PERMS)} for c in channels
                }
            }
        payload = self._interaction(2, data, author_id, locale)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def autocomplete(
        self, name: str, option: str, value: str, *, locale: str = "en-US"
    ) -> dict[str, Any]:
        data = {
            "id": snowflake(),
            "name": name,
            "type": 1,
            "options": [{"name": option, "type": 3, "value": value, "focused": True}],
        }
        payload = self._interaction(4, data, MEMBER_ID, locale)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def click(
        self,
        message: Message,
        custom_id: str,
        *,
        values: list[str] | None = None,
        author_id: int = MEMBER_ID,
        locale: str = "en-US",
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 3 if values is not None else 2}
        if values is not None:
            data["values"] = values
        payload = self._interaction(3, data, author_id, locale, message)
        self.sources[payload["id"]] = message
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def submit_modal(
        self, custom_id: str, fields: dict[str, str], *, author_id: int = MEMBER_ID, locale: str = "en-US"
    ) -> dict[str, Any]:
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in fields.items()
        ]
        payload = self._interaction(5, {"custom_id": custom_id, "components": rows}, author_id, locale)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    # -- waiting --------------------------------------------------------------------------------

    async def settle(self, quiet: float = 0.3, timeout: float = 30.0) -> None:
        """Wait until the bot has made no REST call for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if time.monotonic() - self.last_request >= quiet:
                return
            await asyncio.sleep(0.05)
        raise TimeoutError("the bot kept talking")

    async def wait_for(self, predicate, timeout: float = 60.0):
        deadline = time.monotonic() + timeout
        async with self.changed:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("the fake Discord never saw what the test waited for")
                try:
                    await asyncio.wait_for(self.changed.wait(), remaining)
                except TimeoutError:
                    continue

    async def callback_for(self, interaction: dict[str, Any], timeout: float = 60.0) -> Callback:
        return await self.wait_for(lambda: self.callbacks.get(interaction["id"]), timeout)

    def channel(self, channel_id: int = CHANNEL_ID) -> list[Message]:
        return self.channel_messages.get(str(channel_id), [])

    # -- REST -----------------------------------------------------------------------------------

    async def rest(self, request: web.Request) -> web.Response:
        self.last_request = time.monotonic()
        path = "/" + request.match_info["tail"]
        self.requests.append((request.method, path))
        try:
            verdict = self.limiter.check(request.method, path) if self.limiter is not None else None
            if verdict is not None and not verdict.allowed:
                response = json_response(verdict.body, status=429)
            else:
                response = await self._route(request, path)
            if verdict is not None:
                response.headers.update(verdict.headers)
        finally:
            self.last_request = time.monotonic()
            async with self.changed:
                self.changed.notify_all()
        return response

    async def _body(self, request: web.Request) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
        if request.content_type.startswith("multipart/"):
            payload: dict[str, Any] = {}
            files: list[tuple[str, bytes]] = []
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":
                    payload = json.loads(await part.text())
                else:
                    files.append((part.filename or part.name or "file", bytes(await part.read())))
            return payload, files
        if request.can_read_body:
            return await request.json(), []
        return {}, []

    def _new_message(
        self,
        body: dict[str, Any],
        files: list[tuple[str, bytes]],
        *,
        interaction: bool = False,
        channel_id: int = CHANNEL_ID,
    ) -> Message:
        message_id = snowflake()
        guild_id = self.channels[channel_id].guild_id if channel_id in self.channels else GUILD_ID
        attachments = [
            {
                "id": snowflake(),
                "filename": name,
                "size": len(data),
                "url": f"https://cdn/{name}",
                "proxy_url": f"https://cdn/{name}",
            }
            for name, data in files
        ]
        data = {
            "id": message_id,
            "channel_id": str(channel_id),
            "guild_id": str(guild_id),
            "nonce": body.get("nonce"),
            "author": user(BOT_ID, "Backprop", bot=True),
            "content": body.get("content") or "",
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": attachments,
            "embeds": body.get("embeds") or [],
            "pinned": False,
            "type": 20 if interaction else 0,
            "flags": body.get("flags") or 0,
            "components": body.get("components") or [],
            "allowed_mentions": body.get("allowed_mentions"),
        }
        message = Message(data, files)
        self.messages[message_id] = message
        self.channel_messages.setdefault(str(channel_id), []).append(message)
        return message

    def _edit(self, message: Message, body: dict[str, Any], files: list[tuple[str, bytes]]) -> Message:
        for key in ("content", "embeds", "components", "flags"):
            if key in body:
                message.data[key] = body[key]
        if "attachments" in body or files:
            message.files = files
            message.data["attachments"] = [
                {
                    "id": snowflake(),
                    "filename": n,
                    "size": len(d),
                    "url": f"https://cdn/{n}",
                    "proxy_url": f"https://cdn/{n}",
                }
                for n, d in files
            ]
        message.data["edited_timestamp"] = now_iso()
        message.edits += 1
        return message

    async def _route(self, request: web.Request, path: str) -> web.Response:
        method = request.method
        parts = path.strip("/").split("/")
        if method == "GET" and path == "/users/@me":
            return json_response({**user(BOT_ID, "Backprop", bot=True), "verified": True, "flags": 0})
        if method == "GET" and path == "/oauth2/applications/@me":
            return json_response(
                {
                    "id": str(APP_ID),
                    "name": "Backprop",
                    "description": "",
                    "icon": None,
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "verify_key": "x",
                    "owner": user(OWNER_ID, "owner"),
                    "team": None,
                    "flags": 0,
                }
            )
        if parts[:1] == ["applications"] and parts[2:3] == ["commands"]:
            return await self._commands(request, method)
        if parts[:1] == ["applications"] and parts[2:3] == ["guilds"]:
            return await self._commands(request, method)
        if method == "POST" and parts[0] == "interactions" and parts[-1] == "callback":
            return await self._callback(request, parts[1], parts[2])
        if parts[0] == "webhooks" and len(parts) >= 3:
            return await self._webhook(request, method, parts[2], parts[3:])
        if parts[0] == "channels" and parts[2:3] == ["messages"]:
            refused = self._refusal(int(parts[1]), write=method != "GET")
            if refused is not None:
                return refused
            if method == "GET" and len(parts) == 3:
                return json_response(self._history(int(parts[1]), request.query))
            body, files = await self._body(request)
            if method == "POST" and len(parts) == 3:
                return json_response(self._post(int(parts[1]), body, files).data)
            if method == "POST" and len(parts) == 5 and parts[4] == "threads":
                return self._start_thread(int(parts[1]), parts[3], body)
            if method == "PATCH" and len(parts) == 4 and parts[3] in self.messages:
                return json_response(self._edit(self.messages[parts[3]], body, files).data)
        if parts[0] == "channels" and parts[2:3] == ["typing"]:
            return web.Response(status=204)
        self.unknown.append(f"{method} {path}")
        log.warning("fake Discord has no route %s %s", method, path)
        return json_response({"message": "Unknown route", "code": 0}, status=404)

    def _refusal(self, channel_id: int, *, write: bool) -> web.Response | None:
        if channel_id in self.deleted or (channel_id not in self.channels and channel_id not in self.threads):
            return json_response({"message": "Unknown Channel", "code": 10003}, status=404)
        channel = self.channels.get(channel_id)
        if write and channel is not None and channel.forbidden:
            return json_response({"message": "Missing Permissions", "code": 50013}, status=403)
        return None

    def _post(self, channel_id: int, body: dict[str, Any], files: list[tuple[str, bytes]]) -> Message:
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            earlier = self._nonces.get((channel_id, str(nonce)))
            if earlier is not None and time.monotonic() - earlier[1] < self.nonce_window_s:
                return earlier[0]
        message = self._new_message(body, files, channel_id=channel_id)
        if nonce is not None:
            self._nonces[(channel_id, str(nonce))] = (message, time.monotonic())
        return message

    def _history(self, channel_id: int, query: Any) -> list[dict[str, Any]]:
        """GET messages as Discord answers it: newest first; `after` gives the oldest `limit` after an id."""
        limit = max(1, min(int(query.get("limit", 50)), 100))
        messages = sorted(self.channel(channel_id), key=lambda m: int(m.id))
        if "after" in query:
            page = [m for m in messages if int(m.id) > int(query["after"])][:limit]
        elif "before" in query:
            page = [m for m in messages if int(m.id) < int(query["before"])][-limit:]
        else:
            page = messages[-limit:]
        return [m.data for m in reversed(page)]

    def _start_thread(self, channel_id: int, message_id: str, body: dict[str, Any]) -> web.Response:
        message = self.messages.get(message_id)
        if message is None or message.data["channel_id"] != str(channel_id):
            return json_response({"message": "Unknown Message", "code": 10008}, status=404)
        if int(message_id) in self.threads:
            return json_response(
                {"message": "A thread has already been created for this message", "code": 160004}, status=400
            )
        parent = self.channels[channel_id]
        thread = Channel(
            int(message_id), parent.guild_id, body.get("name") or "thread", type=11, parent_id=channel_id
        )
        self.threads[thread.id] = thread
        data = {
            **thread.payload(),
            "owner_id": str(BOT_ID),
            "last_message_id": None,
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "flags": 0,
            "total_message_sent": 0,
            "thread_metadata": {
                "archived": False,
                "locked": False,
                "archive_timestamp": now_iso(),
                "auto_archive_duration": body.get("auto_archive_duration") or 1440,
            },
        }
        message.data["thread"] = data
        return json_response(data, status=201)

    async def _commands(self, request: web.Request, method: str) -> web.Response:
        if method == "PUT":
            body = await request.json()
            self.commands = [
                {
                    **c,
                    "id": snowflake(),
                    "application_id": str(APP_ID),
                    "version": "1",
                    "default_member_permissions": c.get("default_member_permissions"),
                    "type": c.get("type", 1),
                }
                for c in body
            ]
            return json_response(self.commands)
        return json_response(self.commands)

    async def _callback(self, request: web.Request, interaction_id: str, token: str) -> web.Response:
        body, files = await self._body(request)
        kind = body["type"]
        data = body.get("data") or {}
        message = None
        if kind == 4:  # a new message
            message = self._new_message(
                data,
                files,
                interaction=True,
                channel_id=self._answer_channels.get(interaction_id, CHANNEL_ID),
            )
            self.originals[token] = message
        elif kind == 7:  # update the message the component was on
            source = self.sources.get(interaction_id)
            if source is not None:
                message = self._edit(source, data, files)
                self.originals[token] = message
        self.callbacks[interaction_id] = Callback(kind, data, message)
        response: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": 2,
                "response_message_id": message.id if message else None,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool((data.get("flags") or 0) & 64),
            }
        }
        if message is not None:
            response["resource"] = {"type": kind, "message": message.data}
        return json_response(response)

    async def _webhook(self, request: web.Request, method: str, token: str, rest: list[str]) -> web.Response:
        body, files = await self._body(request)
        if not rest and method == "POST":  # a follow-up message
            message = self._new_message(
                body, files, interaction=True, channel_id=self._answer_channels.get(token, CHANNEL_ID)
            )
            return json_response(message.data)
        if rest[:2] == ["messages", "@original"]:
            original = self.originals.get(token)
            if original is None:
                return json_response({"message": "Unknown Message", "code": 10008}, status=404)
            if method == "GET":
                return json_response(original.data)
            if method == "PATCH":
                return json_response(self._edit(original, body, files).data)
        if rest[:1] == ["messages"] and len(rest) == 2 and rest[1] in self.messages:
            if method == "PATCH":
                return json_response(self._edit(self.messages[rest[1]], body, files).data)
            if method == "GET":
                return json_response(self.messages[rest[1]].data)
        self.unknown.append(f"{method} webhook {rest}")
        return json_response({"message": "Unknown Webhook", "code": 10015}, status=404)
