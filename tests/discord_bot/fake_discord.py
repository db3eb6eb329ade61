"""A fake Discord: the gateway websocket and the REST routes the bot uses, on loopback, for the real client.

discord.py has no base-URL option; tests point `discord.http.Route.BASE` and
`discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY` here. Facts this server respects: JSON bodies go out
with Content-Type exactly `application/json`; it never answers 5xx (the client would retry with
backoff); READY carries `resume_gateway_url`; INTERACTION_CREATE carries `attachment_size_limit`;
interaction callbacks come with `?with_response=1` and get `{interaction, resource}` back.
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

log = logging.getLogger("fake_discord")

APP_ID = 900000000000000001
BOT_ID = 900000000000000002
GUILD_ID = 100000000000000001
CHANNEL_ID = 200000000000000001
ADMIN_ID = 300000000000000001
MEMBER_ID = 300000000000000002
OWNER_ID = ADMIN_ID

MANAGE_GUILD = 1 << 5
EVERYONE_PERMS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31)  # view, send, embed, files
ADMIN_PERMS = EVERYONE_PERMS | MANAGE_GUILD

_counter = itertools.count()
DISCORD_EPOCH_MS = 1420070400000


def snowflake() -> str:
    """A real snowflake for now: discord.py reads creation times (and interaction expiry) from ids."""
    return str(((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(_counter) % 4096))


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def user(uid: int, name: str, bot: bool = False) -> dict[str, Any]:
    return {"id": str(uid), "username": name, "discriminator": "0", "global_name": name, "avatar": None, "bot": bot,
            "public_flags": 0}


def json_response(data: Any, status: int = 200) -> web.Response:
    # discord.py parses a body as JSON only when Content-Type is exactly application/json (no charset).
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


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
class Callback:
    """What the bot answered to one interaction."""

    type: int
    data: dict[str, Any]
    message: Message | None


class FakeDiscord:
    def __init__(self) -> None:
        self.app = web.Application(client_max_size=64 * 1024 * 1024)
        self.app.router.add_get("/gateway", self.gateway)
        self.app.router.add_route("*", "/api/v10/{tail:.*}", self.rest)
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
                await self.dispatch("GUILD_CREATE", self.guild_payload())
                self.identified.set()
        return ws

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        assert self.ws is not None, "the bot has not connected"
        self.seq += 1
        await self.ws.send_str(json.dumps({"op": 0, "t": event, "s": self.seq, "d": data}))

    def ready_payload(self) -> dict[str, Any]:
        return {"v": 10, "user": {**user(BOT_ID, "Backprop", bot=True), "verified": True, "mfa_enabled": False,
                                  "flags": 0},
                "guilds": [{"id": str(GUILD_ID), "unavailable": True}], "session_id": "fake-session",
                "resume_gateway_url": self.gateway_url, "shard": [0, 1],
                "application": {"id": str(APP_ID), "flags": 0}}

    def guild_payload(self) -> dict[str, Any]:
        return {
            "id": str(GUILD_ID), "name": "Study Server", "icon": None, "owner_id": str(OWNER_ID),
            "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "features": [], "mfa_level": 0, "system_channel_flags": 0,
            "premium_tier": 0, "preferred_locale": "zh-CN", "nsfw_level": 0, "large": False,
            "member_count": 3, "unavailable": False, "joined_at": now_iso(), "emojis": [], "stickers": [],
            "roles": [{"id": str(GUILD_ID), "name": "@everyone", "permissions": str(EVERYONE_PERMS), "position": 0,
                       "color": 0, "hoist": False, "managed": False, "mentionable": False, "flags": 0}],
            "channels": [{"id": str(CHANNEL_ID), "type": 0, "name": "study", "position": 0,
                          "permission_overwrites": [], "nsfw": False, "parent_id": None, "guild_id": str(GUILD_ID)}],
            "threads": [], "members": [self.member_payload(BOT_ID, "Backprop", bot=True)], "voice_states": [],
            "presences": [], "stage_instances": [], "guild_scheduled_events": [],
        }

    def member_payload(self, uid: int, name: str, bot: bool = False, admin: bool = False) -> dict[str, Any]:
        data = {"user": user(uid, name, bot), "roles": [], "joined_at": now_iso(), "deaf": False, "mute": False,
                "flags": 0, "nick": None, "avatar": None, "pending": False}
        if not bot:
            data["permissions"] = str(ADMIN_PERMS if admin else EVERYONE_PERMS)
        return data

    # -- things a member does -------------------------------------------------------------------

    async def send_chat(self, content: str, author_id: int = MEMBER_ID) -> str:
        message_id = snowflake()
        member = self.member_payload(author_id, "admin" if author_id == ADMIN_ID else "member")
        member.pop("user")
        await self.dispatch("MESSAGE_CREATE", {
            "id": message_id, "channel_id": str(CHANNEL_ID), "guild_id": str(GUILD_ID),
            "author": user(author_id, "admin" if author_id == ADMIN_ID else "member"), "member": member,
            "content": content, "timestamp": now_iso(), "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
            "pinned": False, "type": 0, "flags": 0, "components": []})
        return message_id

    def _interaction(self, kind: int, data: dict[str, Any], author_id: int, locale: str,
                     message: Message | None = None) -> dict[str, Any]:
        payload = {
            "id": snowflake(), "application_id": str(APP_ID), "type": kind, "data": data,
            "guild_id": str(GUILD_ID), "channel_id": str(CHANNEL_ID),
            "channel": {"id": str(CHANNEL_ID), "type": 0, "guild_id": str(GUILD_ID), "name": "study",
                        "permissions": str(ADMIN_PERMS)},
            "member": self.member_payload(author_id, "admin" if author_id == ADMIN_ID else "member",
                                          admin=author_id == ADMIN_ID),
            "token": f"token-{snowflake()}", "version": 1, "locale": locale, "guild_locale": "zh-CN",
            "app_permissions": str(ADMIN_PERMS), "entitlements": [], "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 0, "attachment_size_limit": 8 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = message.data
        return payload

    async def slash(self, name: str, options: list[dict[str, Any]] | None = None, *, author_id: int = MEMBER_ID,
                    locale: str = "en-US") -> dict[str, Any]:
        command = next((c for c in self.commands if c["name"] == name), None)
        data = {"id": command["id"] if command else snowflake(), "name": name, "type": 1, "options": options or []}
        payload = self._interaction(2, data, author_id, locale)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def autocomplete(self, name: str, option: str, value: str, *, locale: str = "en-US") -> dict[str, Any]:
        data = {"id": snowflake(), "name": name, "type": 1,
                "options": [{"name": option, "type": 3, "value": value, "focused": True}]}
        payload = self._interaction(4, data, MEMBER_ID, locale)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def click(self, message: Message, custom_id: str, *, values: list[str] | None = None,
                    author_id: int = MEMBER_ID, locale: str = "en-US") -> dict[str, Any]:
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 3 if values is not None else 2}
        if values is not None:
            data["values"] = values
        payload = self._interaction(3, data, author_id, locale, message)
        self.sources[payload["id"]] = message
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def submit_modal(self, custom_id: str, fields: dict[str, str], *, author_id: int = MEMBER_ID,
                           locale: str = "en-US") -> dict[str, Any]:
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in fields.items()]
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

    def channel(self) -> list[Message]:
        return self.channel_messages.get(str(CHANNEL_ID), [])

    # -- REST -----------------------------------------------------------------------------------

    async def rest(self, request: web.Request) -> web.Response:
        self.last_request = time.monotonic()
        path = "/" + request.match_info["tail"]
        self.requests.append((request.method, path))
        try:
            response = await self._route(request, path)
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

    def _new_message(self, body: dict[str, Any], files: list[tuple[str, bytes]], *, interaction: bool = False
                     ) -> Message:
        message_id = snowflake()
        attachments = [{"id": snowflake(), "filename": name, "size": len(data), "url": f"https://cdn/{name}",
                        "proxy_url": f"https://cdn/{name}"} for name, data in files]
        data = {"id": message_id, "channel_id": str(CHANNEL_ID), "guild_id": str(GUILD_ID),
                "author": user(BOT_ID, "Backprop", bot=True), "content": body.get("content") or "",
                "timestamp": now_iso(), "edited_timestamp": None, "tts": False, "mention_everyone": False,
                "mentions": [], "mention_roles": [], "attachments": attachments, "embeds": body.get("embeds") or [],
                "pinned": False, "type": 20 if interaction else 0, "flags": body.get("flags") or 0,
                "components": body.get("components") or [], "allowed_mentions": body.get("allowed_mentions")}
        message = Message(data, files)
        self.messages[message_id] = message
        self.channel_messages.setdefault(str(CHANNEL_ID), []).append(message)
        return message

    def _edit(self, message: Message, body: dict[str, Any], files: list[tuple[str, bytes]]) -> Message:
        for key in ("content", "embeds", "components", "flags"):
            if key in body:
                message.data[key] = body[key]
        if "attachments" in body or files:
            message.files = files
            message.data["attachments"] = [{"id": snowflake(), "filename": n, "size": len(d),
                                            "url": f"https://cdn/{n}", "proxy_url": f"https://cdn/{n}"}
                                           for n, d in files]
        message.data["edited_timestamp"] = now_iso()
        message.edits += 1
        return message

    async def _route(self, request: web.Request, path: str) -> web.Response:
        method = request.method
        parts = path.strip("/").split("/")
        if method == "GET" and path == "/users/@me":
            return json_response({**user(BOT_ID, "Backprop", bot=True), "verified": True, "flags": 0})
        if method == "GET" and path == "/oauth2/applications/@me":
            return json_response({"id": str(APP_ID), "name": "Backprop", "description": "", "icon": None,
                                  "bot_public": True, "bot_require_code_grant": False, "verify_key": "x",
                                  "owner": user(OWNER_ID, "owner"), "team": None, "flags": 0})
        if parts[:1] == ["applications"] and parts[2:3] == ["commands"]:
            return await self._commands(request, method)
        if parts[:1] == ["applications"] and parts[2:3] == ["guilds"]:
            return await self._commands(request, method)
        if method == "POST" and parts[0] == "interactions" and parts[-1] == "callback":
            return await self._callback(request, parts[1], parts[2])
        if parts[0] == "webhooks" and len(parts) >= 3:
            return await self._webhook(request, method, parts[2], parts[3:])
        if parts[0] == "channels" and parts[2:3] == ["messages"]:
            body, files = await self._body(request)
            if method == "POST" and len(parts) == 3:
                return json_response(self._new_message(body, files).data)
            if method == "PATCH" and len(parts) == 4 and parts[3] in self.messages:
                return json_response(self._edit(self.messages[parts[3]], body, files).data)
        if parts[0] == "channels" and parts[2:3] == ["typing"]:
            return web.Response(status=204)
        self.unknown.append(f"{method} {path}")
        log.warning("fake Discord has no route %s %s", method, path)
        return json_response({"message": "Unknown route", "code": 0}, status=404)

    async def _commands(self, request: web.Request, method: str) -> web.Response:
        if method == "PUT":
            body = await request.json()
            self.commands = [{**c, "id": snowflake(), "application_id": str(APP_ID), "version": "1",
                              "default_member_permissions": c.get("default_member_permissions"), "type": c.get("type", 1)}
                             for c in body]
            return json_response(self.commands)
        return json_response(self.commands)

    async def _callback(self, request: web.Request, interaction_id: str, token: str) -> web.Response:
        body, files = await self._body(request)
        kind = body["type"]
        data = body.get("data") or {}
        message = None
        if kind == 4:  # a new message
            message = self._new_message(data, files, interaction=True)
            self.originals[token] = message
        elif kind == 7:  # update the message the component was on
            source = self.sources.get(interaction_id)
            if source is not None:
                message = self._edit(source, data, files)
                self.originals[token] = message
        self.callbacks[interaction_id] = Callback(kind, data, message)
        response: dict[str, Any] = {"interaction": {"id": interaction_id, "type": 2,
                                                    "response_message_id": message.id if message else None,
                                                    "response_message_loading": kind == 5,
                                                    "response_message_ephemeral": bool((data.get("flags") or 0) & 64)}}
        if message is not None:
            response["resource"] = {"type": kind, "message": message.data}
        return json_response(response)

    async def _webhook(self, request: web.Request, method: str, token: str, rest: list[str]) -> web.Response:
        body, files = await self._body(request)
        if not rest and method == "POST":  # a follow-up message
            message = self._new_message(body, files, interaction=True)
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
