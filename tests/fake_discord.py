"""A small, faithful fake of Discord's HTTP API (v10) and gateway on 127.0.0.1, for tests.

The real, unmodified discord.py client connects to it: tests point ``discord.http.Route.BASE``
and ``DiscordWebSocket.DEFAULT_GATEWAY`` here. It follows Discord's documented protocol:

Gateway: HELLO (op 10) on connect; IDENTIFY (op 2) checked against the token, with an optional
``shard: [id, count]``; READY then one GUILD_CREATE per guild of that shard (a guild belongs to
shard ``(guild_id >> 22) % count``; DMs to shard 0), and each shard's events only on its own
connection, with its own session for RESUME; HEARTBEAT (op 1) answered with HEARTBEAT_ACK (op 11); dispatches (op 0)
with increasing sequence numbers; ``compress=zlib-stream`` (one zlib context per connection,
each message ending in Z_SYNC_FLUSH) or plain JSON text frames.

REST: ``Authorization: Bot <token>`` checked on every bot route (401 code 0 otherwise);
users/@me, oauth2/applications/@me, gateway(/bot), global and guild command sync (PUT), channel
messages (JSON or multipart ``payload_json``), message edits, typing, interaction callbacks
(``with_response``; 3-second window, code 10062 "Unknown interaction" after it; 40060 when
already acknowledged), follow-up webhooks (code 50027 "Invalid Webhook Token" once expired; the
first follow-up after a deferral takes the place of its "thinking…" message, which keeps the
deferral's visibility whatever the follow-up's flags say, as Discord documents), @original
edits and deletes, and a CDN route for attachments. Every REST call is recorded.

Faults, as Discord produces them (tests inject them):

* ``fail_next(...)``: the next N matching REST calls answer 429 with ``retry_after`` and the
  headers discord.py reads (``Via``, ``X-RateLimit-*``, ``Retry-After``), or a 5xx; a 5xx can come
  after the message was created, as a timed-out upstream does; status ``DROP`` closes the
  connection with no HTTP answer at all, as a flaky network does (before or after the call
  took effect);
* message create honours ``nonce`` with ``enforce_nonce``: a repeat within minutes returns the
  message already created instead of a second one;
* bodies over the documented limits (content 2,000; 10 embeds; title 256, description 4,096,
  25 fields, field name 256 and value 1,024, footer 2,048, author 256, 6,000 in all) are refused
  with 400 and code 50035 "Invalid Form Body";
* ``drop_gateway()`` closes the connection with 4000, as Discord does; the client RESUMEs
  (op 6) with its session and sequence, the fake replays what it missed and sends RESUMED;
  ``gateway_down`` refuses new gateway connections (Discord unreachable).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

DISCORD_EPOCH_MS = 1420070400000
DROP = 0  # a fault's status that closes the connection without any HTTP answer
MANAGE_GUILD = 1 << 5
SEND_MESSAGES = 1 << 11
ALL_TEXT_PERMISSIONS = (1 << 0) | (1 << 6) | (1 << 10) | SEND_MESSAGES | (1 << 13) | (1 << 14) | (
    1 << 15) | (1 << 16) | (1 << 18) | (1 << 31)


def _json(data: Any, status: int = 200) -> web.Response:
    """JSON exactly as Discord sends it: ``Content-Type: application/json`` with no charset
    (discord.py compares the header to that string)."""
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": "application/json"})


def _iso(ts: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(ts or time.time()))


@dataclass
class Call:
    method: str
    path: str
    body: Any
    query: dict[str, str]
    at: float = field(default_factory=time.monotonic)
    status: int = 0  # what the fake answered (set once it has)


@dataclass
class Fault:
    """Answer the next ``count`` REST calls that ``matches`` with ``status`` instead."""

    matches: Callable[[str, str], bool]  # (method, path)
    status: int
    count: int = 1
    retry_after: float = 0.5
    after_effect: bool = False  # a 5xx sent after the call took effect (the message exists)


@dataclass
class InteractionState:
    id: int
    token: str
    created: float
    responded: bool = False
    expired: bool = False


def embed_size(embed: dict[str, Any]) -> int:
    """Characters an embed counts against Discord's 6,000 per message: title, description,
    field names and values, footer text and author name."""
    fields = embed.get("fields") or []
    parts = [embed.get("title"), embed.get("description"),
             (embed.get("footer") or {}).get("text"), (embed.get("author") or {}).get("name")]
    parts += [part for field_ in fields for part in (field_.get("name"), field_.get("value"))]
    return sum(len(str(part)) for part in parts if part is not None)


@dataclass
class _Socket:
    """One gateway connection: its socket, its zlib stream, and the shard it identified as."""

    ws: web.WebSocketResponse
    compressor: Any
    shard: tuple[int, int] = (0, 1)


class FakeDiscord:
    def __init__(self, token: str = "test-token") -> None:
        self.token = token
        self._ids = itertools.count(1)
        self.application_id = self.snowflake()
        self.bot_user = {"id": str(self.application_id), "username": "Article Digest",
                         "discriminator": "0", "global_name": None, "avatar": None, "bot": True,
                         "flags": 0}
        self.owner = self.user("owner")
        self.guilds: dict[int, dict] = {}
        self.calls: list[Call] = []
        self.commands: list[dict] = []
        self.messages: dict[int, dict] = {}
        self.attachments: dict[str, bytes] = {}
        self.interactions: dict[str, InteractionState] = {}
        self.interaction_window = 3.0  # seconds Discord gives to acknowledge an interaction
        self.latency = 0.0  # seconds each HTTP call takes to be answered (a real round trip)
        self._sockets: list[_Socket] = []
        self._sequence = 0
        # dispatches per shard, for replay on RESUME
        self._sent: list[tuple[tuple[int, int], dict]] = []
        self.session_id = "fake-session"
        self._sessions: dict[str, tuple[int, int]] = {}  # session id -> (shard id, count)
        self.shards_identified: list[tuple[int, int]] = []
        self.shard_count = 1
        self.resumes = 0
        self.identifies = 0
        self.gateway_down = False
        self.gateway_refusals = 0
        self.faults: list[Fault] = []
        self._nonces: dict[str, tuple[float, dict]] = {}
        self._changed = asyncio.Condition()
        self.identified = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- ids and objects -----------------------------------------------------------------------

    def snowflake(self) -> int:
        return ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) + next(self._ids)

    def user(self, name: str, bot: bool = False) -> dict:
        return {"id": str(self.snowflake()), "username": name, "discriminator": "0",
                "global_name": name.title(), "avatar": None, "bot": bot, "flags": 0}

    def add_guild(self, name: str = "Newsroom", channels: tuple[str, ...] = ("news", "chat")) -> dict:
        guild_id = self.snowflake()
        guild = {
            "id": str(guild_id), "name": name, "icon": None, "splash": None,
            "discovery_splash": None, "owner_id": self.owner["id"], "afk_channel_id": None,
            "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "mfa_level": 0, "application_id": None,
            "system_channel_id": None, "system_channel_flags": 0, "rules_channel_id": None,
            "vanity_url_code": None, "description": None, "banner": None, "premium_tier": 0,
            "preferred_locale": "en-GB", "public_updates_channel_id": None, "nsfw_level": 0,
            "premium_progress_bar_enabled": False, "features": [], "emojis": [], "stickers": [],
            "roles": [{"id": str(guild_id), "name": "@everyone", "color": 0, "hoist": False,
                       "position": 0, "permissions": str(ALL_TEXT_PERMISSIONS), "managed": False,
                       "mentionable": False, "flags": 0}],
            "joined_at": _iso(), "large": False, "unavailable": False, "member_count": 2,
            "voice_states": [], "presences": [], "threads": [], "stage_instances": [],
            "guild_scheduled_events": [], "soundboard_sounds": [],
            "members": [{"user": self.bot_user, "roles": [], "joined_at": _iso(), "deaf": False,
                         "mute": False, "flags": 0}],
            "channels": [],
        }
        for position, channel_name in enumerate(channels):
            guild["channels"].append({
                "id": str(self.snowflake()), "type": 0, "name": channel_name,
                "position": position, "permission_overwrites": [], "nsfw": False,
                "parent_id": None, "topic": None, "last_message_id": None,
                "rate_limit_per_user": 0, "flags": 0,
            })
        self.guilds[guild_id] = guild
        return guild

    # -- server lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/cdn/{name}", self._cdn)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        for socket in list(self._sockets):
            await socket.ws.close()
        if self._runner:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def cdn_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/cdn/{name}"

    # -- gateway -------------------------------------------------------------------------------

    async def _send(self, ws: web.WebSocketResponse, compressor: Any, payload: dict) -> None:
        data = json.dumps(payload)
        if compressor is None:
            await ws.send_str(data)
        else:
            blob = compressor.compress(data.encode()) + compressor.flush(zlib.Z_SYNC_FLUSH)
            await ws.send_bytes(blob)

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        if self.gateway_down:
            self.gateway_refusals += 1
            return web.Response(status=503, text="Service Unavailable")
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        compress = request.query.get("compress")
        if compress not in (None, "zlib-stream"):
            await ws.close(code=4000, message=b"unsupported compression")
            return ws
        compressor = zlib.compressobj() if compress == "zlib-stream" else None
        await self._send(ws, compressor, {"op": 10, "d": {"heartbeat_interval": 41250},
                                          "s": None, "t": None})
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            payload = json.loads(message.data)
            op = payload.get("op")
            if op == 1:
                await self._send(ws, compressor, {"op": 11, "d": None, "s": None, "t": None})
            elif op == 2:
                if payload["d"].get("token") != self.token:
                    await ws.close(code=4004, message=b"Authentication failed.")
                    break
                shard = tuple(payload["d"].get("shard") or (0, 1))
                if len(shard) != 2 or not 0 <= shard[0] < shard[1]:
                    await ws.close(code=4010, message=b"Invalid shard.")
                    break
                self.intents = payload["d"].get("intents")
                self.shard_count = shard[1]  # Discord expects the same count from every shard
                self.identifies += 1
                self.shards_identified.append(shard)
                self._sent = [(key, p) for key, p in self._sent if key != shard]
                socket = _Socket(ws, compressor, shard)
                self._sockets.append(socket)
                await self._ready(socket)
                self.identified.set()
            elif op == 6:
                d = payload["d"]
                if d.get("token") != self.token:
                    await ws.close(code=4004, message=b"Authentication failed.")
                    break
                shard = self._sessions.get(d.get("session_id"))
                if shard is None:
                    await self._send(ws, compressor, {"op": 9, "d": False, "s": None, "t": None})
                    continue
                self.resumes += 1
                socket = _Socket(ws, compressor, shard)
                missed = [p for key, p in self._sent
                          if key == shard and p["s"] > (d.get("seq") or 0)]
                self._sockets.append(socket)
                for event in missed:
                    await self._send(ws, compressor, event)
                await self._dispatch_to(socket, "RESUMED", {})
        self._sockets = [s for s in self._sockets if s.ws is not ws]
        return ws

    def session_for(self, shard: tuple[int, int]) -> str:
        """The session id of a shard: ``fake-session`` unsharded, one per shard otherwise."""
        session = self.session_id if shard == (0, 1) else f"{self.session_id}-{shard[0]}"
        self._sessions[session] = shard
        return session

    @staticmethod
    def shard_of(guild_id: int | None, count: int) -> int:
        """Discord's rule: a guild's events go to shard ``(guild_id >> 22) % count``; events
        with no guild (DMs) to shard 0."""
        return (guild_id >> 22) % count if guild_id is not None else 0

    async def _ready(self, socket: _Socket) -> None:
        shard_id, count = socket.shard
        guilds = [g for g in self.guilds if self.shard_of(g, count) == shard_id]
        ready = {
            "v": 10, "user": self.bot_user, "session_id": self.session_for(socket.shard),
            "resume_gateway_url": self.gateway_url, "shard": list(socket.shard),
            "guilds": [{"id": str(g), "unavailable": True} for g in guilds],
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [], "relationships": [], "presences": [],
        }
        await self._dispatch_to(socket, "READY", ready)
        for guild_id in guilds:
            await self._dispatch_to(socket, "GUILD_CREATE", self.guilds[guild_id])

    async def _dispatch_to(self, socket: _Socket, event: str, data: dict) -> None:
        self._sequence += 1
        payload = {"op": 0, "t": event, "s": self._sequence, "d": data}
        self._sent.append((socket.shard, payload))
        await self._send(socket.ws, socket.compressor, payload)

    async def dispatch(self, event: str, data: dict) -> None:
        """Send an event to the connection of the shard its guild belongs to; while that shard
        is away, keep the event for its RESUME."""
        guild = data.get("guild_id")
        shard = (self.shard_of(int(guild) if guild is not None else None, self.shard_count),
                 self.shard_count)
        targets = [socket for socket in self._sockets if socket.shard == shard]
        if not targets:
            self._sequence += 1
            self._sent.append((shard, {"op": 0, "t": event, "s": self._sequence, "d": data}))
        for socket in targets:
            await self._dispatch_to(socket, event, data)

    async def remove_bot_from(self, guild: dict) -> None:
        """The bot is removed from ``guild`` (kicked, or the guild deleted): Discord sends
        GUILD_DELETE, with no ``unavailable`` (that is an outage), to the guild's shard."""
        guild_id = int(guild["id"])
        self.guilds.pop(guild_id, None)
        shard = (self.shard_of(guild_id, self.shard_count), self.shard_count)
        for socket in [s for s in self._sockets if s.shard == shard]:
            await self._dispatch_to(socket, "GUILD_DELETE", {"id": str(guild_id)})

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close the client's gateway connections as Discord does when it restarts a node."""
        for socket in list(self._sockets):
            self._sockets = [s for s in self._sockets if s is not socket]
            await socket.ws.close(code=code, message=b"Unknown error")

    def fail_next(self, matches: Callable[[str, str], bool], status: int, count: int = 1,
                  retry_after: float = 0.5, after_effect: bool = False) -> Fault:
        fault = Fault(matches, status, count, retry_after, after_effect)
        self.faults.append(fault)
        return fault

    # -- what tests send -----------------------------------------------------------------------

    def attachment(self, filename: str, data: bytes, content_type: str = "text/plain; charset=utf-8") -> dict:
        name = f"{self.snowflake()}-{filename}"
        self.attachments[name] = data
        attachment_id = self.snowflake()
        return {"id": str(attachment_id), "filename": filename, "size": len(data),
                "url": self.cdn_url(name), "proxy_url": self.cdn_url(name),
                "content_type": content_type}

    def message_payload(self, channel_id: int | str, content: str, author: dict, *,
                        guild: dict | None = None, attachments: list[dict] | None = None,
                        mentions: list[dict] | None = None) -> dict:
        message = {
            "id": str(self.snowflake()), "channel_id": str(channel_id), "author": author,
            "content": content, "timestamp": _iso(), "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": mentions or [], "mention_roles": [],
            "attachments": attachments or [], "embeds": [], "pinned": False, "type": 0,
            "flags": 0, "components": [],
        }
        if guild is not None:
            message["guild_id"] = guild["id"]
            message["member"] = {"roles": [], "joined_at": _iso(), "deaf": False, "mute": False,
                                 "flags": 0}
        self.messages[int(message["id"])] = message
        return message

    async def send_message(self, channel_id, content: str, author: dict, **kwargs) -> dict:
        message = self.message_payload(channel_id, content, author, **kwargs)
        await self.dispatch("MESSAGE_CREATE", message)
        return message

    def _interaction(self, data: dict, user: dict, channel: dict, guild: dict | None,
                     permissions: int) -> dict:
        interaction_id = self.snowflake()
        token = f"itoken-{interaction_id}"
        self.interactions[token] = InteractionState(interaction_id, token, time.monotonic())
        payload = {
            "id": str(interaction_id), "application_id": str(self.application_id), "type": 2,
            "token": token, "version": 1, "data": data, "locale": "en-GB",
            "app_permissions": str(ALL_TEXT_PERMISSIONS), "entitlements": [],
            "channel_id": channel["id"],
            "channel": {**channel, "permissions": str(permissions)},
            "context": 0 if guild else 1,
            "authorizing_integration_owners": {"0": guild["id"]} if guild else {"1": user["id"]},
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if guild is not None:
            payload["guild_id"] = guild["id"]
            locale = guild.get("preferred_locale", "en-GB")
            payload["guild_locale"] = locale
            payload["guild"] = {"id": guild["id"], "locale": locale, "features": []}
            payload["member"] = {"user": user, "roles": [], "joined_at": _iso(), "deaf": False,
                                 "mute": False, "flags": 0, "permissions": str(permissions)}
        else:
            payload["user"] = user
        return payload

    def _command(self, name: str, kind: int = 1) -> dict:
        for command in self.commands:
            if command["name"] == name and command.get("type", 1) == kind:
                return command
        raise AssertionError(f"command {name!r} (type {kind}) was never synced")

    async def slash(self, name: str, options: list[dict], user: dict, channel: dict,
                    guild: dict | None, *, resolved: dict | None = None,
                    permissions: int = ALL_TEXT_PERMISSIONS) -> dict:
        command = self._command(name)
        data = {"id": command["id"], "name": name, "type": 1, "options": options}
        if resolved:
            data["resolved"] = resolved
        if guild is not None:
            data["guild_id"] = guild["id"]
        payload = self._interaction(data, user, channel, guild, permissions)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def message_command(self, name: str, target: dict, user: dict, channel: dict,
                              guild: dict | None) -> dict:
        command = self._command(name, kind=3)
        data = {"id": command["id"], "name": name, "type": 3, "target_id": target["id"],
                "resolved": {"messages": {target["id"]: target}}}
        payload = self._interaction(data, user, channel, guild, ALL_TEXT_PERMISSIONS)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    def expire(self, token: str) -> None:
        self.interactions[token].expired = True

    # -- waiting on what the bot did -----------------------------------------------------------

    async def wait_for(self, predicate: Callable[[Call], bool], timeout: float = 60.0,
                       count: int = 1) -> list[Call]:
        async def matched() -> list[Call]:
            async with self._changed:
                while True:
                    found = [c for c in self.calls if predicate(c)]
                    if len(found) >= count:
                        return found
                    await self._changed.wait()

        return await asyncio.wait_for(matched(), timeout)

    def find(self, predicate: Callable[[Call], bool]) -> list[Call]:
        return [c for c in self.calls if predicate(c)]

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    # -- REST ----------------------------------------------------------------------------------

    @staticmethod
    def _error(status: int, code: int, message: str) -> web.Response:
        return _json({"code": code, "message": message}, status=status)

    async def _body(self, request: web.Request) -> Any:
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            body: dict[str, Any] = {"files": []}
            async for part in reader:
                if part.name == "payload_json":
                    body.update(json.loads(await part.text()))
                else:
                    body["files"].append({"name": part.filename, "data": await part.read()})
            return body
        if request.can_read_body:
            text = await request.text()
            return json.loads(text) if text else None
        return None

    def _message_from(self, channel_id: str, body: dict, *, flags: int = 0,
                      interaction: dict | None = None) -> dict:
        message = {
            "id": str(self.snowflake()), "channel_id": str(channel_id), "author": self.bot_user,
            "content": body.get("content") or "", "timestamp": _iso(), "edited_timestamp": None,
            "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
            "attachments": [], "embeds": body.get("embeds") or [], "pinned": False,
            "type": 19 if body.get("message_reference") else 0,
            "flags": flags | int(body.get("flags") or 0), "components": [],
        }
        if body.get("message_reference"):
            message["message_reference"] = body["message_reference"]
        if interaction:
            message["interaction_metadata"] = interaction
        self.messages[int(message["id"])] = message
        return message

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = await self._body(request)
        call = Call(request.method, path, body, dict(request.query))
        await self._record(call)
        parts = path.strip("/").split("/")
        webhook_route = parts[0] in ("webhooks", "interactions")
        if not webhook_route and request.headers.get("Authorization") != f"Bot {self.token}":
            return self._error(401, 0, "401: Unauthorized")
        method = request.method
        if self.latency:
            await asyncio.sleep(self.latency)
        response = await self._answer(request, method, path, parts, body)
        call.status = response.status
        return response

    async def _answer(self, request: web.Request, method: str, path: str, parts: list[str],
                      body: Any) -> web.StreamResponse:
        fault = self._fault_for(method, path)
        if fault is not None and not fault.after_effect:
            return self._fault_response(fault, request)
        if method in ("POST", "PATCH") and isinstance(body, dict):
            form = (body.get("data") or {}) if parts[-1] == "callback" else body
            invalid = self._invalid_form(form)
            if invalid:
                return _json({"code": 50035, "message": "Invalid Form Body", "errors": invalid},
                             status=400)
        response = await self._route(request, method, path, parts, body)
        if fault is not None:  # the call took effect, but the client is told it failed
            return self._fault_response(fault, request)
        return response

    def _fault_for(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.count > 0 and fault.matches(method, path):
                fault.count -= 1
                return fault
        return None

    @staticmethod
    def _fault_response(fault: Fault, request: web.Request) -> web.Response:
        if fault.status == DROP:  # the connection goes, and no answer with it
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=204)  # never reaches the client
        if fault.status == 429:  # what discord.py reads: Via, the X-RateLimit-* headers, the body
            reset = time.time() + fault.retry_after
            return web.Response(
                body=json.dumps({"message": "You are being rate limited.",
                                 "retry_after": fault.retry_after, "global": False,
                                 "code": 0}).encode(),
                status=429,
                headers={"Content-Type": "application/json", "Via": "1.1 google",
                         "Retry-After": str(max(1, round(fault.retry_after))),
                         "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
                         "X-RateLimit-Reset": f"{reset:.3f}",
                         "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
                         "X-RateLimit-Bucket": "fake-bucket", "X-RateLimit-Scope": "user"})
        return _json({"message": f"{fault.status}: Server Error", "code": 0}, status=fault.status)

    @staticmethod
    def _invalid_form(body: dict) -> dict:
        """Discord's documented message limits; the errors object it answers 50035 with."""
        errors: dict[str, Any] = {}

        def too_long(key: str, value: Any, limit: int) -> None:
            if value is not None and len(str(value)) > limit:
                errors[key] = {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH",
                                            "message": f"Must be {limit} or fewer in length."}]}

        too_long("content", body.get("content"), 2000)
        embeds = body.get("embeds") or []
        if len(embeds) > 10:
            errors["embeds"] = {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH",
                                             "message": "Must be 10 or fewer in length."}]}
        total = 0
        for i, embed in enumerate(embeds):
            fields = embed.get("fields") or []
            parts = [("title", embed.get("title"), 256),
                     ("description", embed.get("description"), 4096),
                     ("footer.text", (embed.get("footer") or {}).get("text"), 2048),
                     ("author.name", (embed.get("author") or {}).get("name"), 256)]
            for j, field_ in enumerate(fields):
                parts += [(f"fields.{j}.name", field_.get("name"), 256),
                          (f"fields.{j}.value", field_.get("value"), 1024)]
            for key, value, limit in parts:
                too_long(f"embeds.{i}.{key}", value, limit)
            total += embed_size(embed)
            if len(fields) > 25:
                errors[f"embeds.{i}.fields"] = {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH",
                                                             "message": "Must be 25 or fewer."}]}
        if total > 6000:
            errors["embeds"] = {"_errors": [{"code": "MAX_EMBED_SIZE_EXCEEDED",
                                             "message": "Embed size exceeds maximum size of 6000"}]}
        return errors

    async def _route(self, request: web.Request, method: str, path: str, parts: list[str],
                     body: Any) -> web.StreamResponse:
        if path == "/users/@me" and method == "GET":
            return _json(self.bot_user)
        if path == "/oauth2/applications/@me":
            return _json({
                "id": str(self.application_id), "name": "Article Digest", "icon": None,
                "description": "", "bot_public": True, "bot_require_code_grant": False,
                "owner": self.owner, "team": None, "verify_key": "0" * 64, "flags": 0,
                "summary": "", "rpc_origins": [], "bot": self.bot_user,
            })
        if path in ("/gateway", "/gateway/bot"):
            return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": {
                "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
        if parts[:1] == ["applications"] and parts[-1] == "commands" and method == "PUT":
            synced = []
            for command in body:
                synced.append({**command, "id": str(self.snowflake()),
                               "application_id": str(self.application_id), "version": "1",
                               "type": command.get("type", 1),
                               "description": command.get("description", ""),
                               "options": command.get("options", []),
                               "default_member_permissions": command.get("default_member_permissions"),
                               "dm_permission": command.get("dm_permission", True),
                               "nsfw": command.get("nsfw", False)})
            self.commands = synced
            return _json(synced)
        if parts[:1] == ["channels"]:
            channel_id = parts[1]
            if parts[2:] == ["typing"] and method == "POST":
                return web.Response(status=204)
            if parts[2:] == ["messages"] and method == "POST":
                nonce = body.get("nonce") if body.get("enforce_nonce") else None
                if nonce is not None:
                    seen = self._nonces.get(f"{channel_id}:{nonce}")
                    if seen and time.monotonic() - seen[0] < 300:
                        return _json(seen[1])
                message = self._message_from(channel_id, body)
                if nonce is not None:
                    message["nonce"] = nonce
                    self._nonces[f"{channel_id}:{nonce}"] = (time.monotonic(), message)
                return _json(message)
            if len(parts) == 4 and parts[2] == "messages" and method == "PATCH":
                message = self.messages.get(int(parts[3]))
                if message is None:
                    return self._error(404, 10008, "Unknown Message")
                message.update({k: v for k, v in body.items() if k in ("content", "embeds", "flags")})
                return _json(message)
        if parts[:1] == ["interactions"] and parts[-1] == "callback":
            return self._callback(parts[2], body)
        if parts[:1] == ["webhooks"]:
            return self._webhook(method, parts, body, request.query)
        return self._error(404, 0, f"404: Not Found ({method} {path})")

    def _callback(self, token: str, body: dict) -> web.Response:
        state = self.interactions.get(token)
        if state is None or time.monotonic() - state.created > self.interaction_window:
            return self._error(404, 10062, "Unknown interaction")
        if state.responded:
            return self._error(400, 40060, "Interaction has already been acknowledged.")
        state.responded = True
        kind = body["type"]
        data = body.get("data") or {}
        flags = int(data.get("flags") or 0)
        response = {"interaction": {"id": str(state.id), "type": 2,
                                    "response_message_loading": kind == 5,
                                    "response_message_ephemeral": bool(flags & 64)},
                    "resource": {"type": kind}}
        if kind in (4, 5):
            message = self._message_from("0", data, flags=flags | (128 if kind == 5 else 0))
            message["webhook_token"] = token
            response["interaction"]["response_message_id"] = message["id"]
            response["resource"]["message"] = message
            state.original = message  # type: ignore[attr-defined]
        return _json(response)

    def _webhook(self, method: str, parts: list[str], body: Any, query) -> web.StreamResponse:
        token = parts[2]
        state = self.interactions.get(token)
        if state is None or state.expired:
            return self._error(401, 50027, "Invalid Webhook Token")
        if len(parts) == 3 and method == "POST":
            original = getattr(state, "original", None)
            if original is not None and original.get("flags", 0) & 128:  # still "thinking…"
                original.update({k: v for k, v in (body or {}).items()
                                 if k in ("content", "embeds")})
                original["flags"] = original["flags"] & ~128  # its own visibility stays
                return _json(original)
            flags = int((body or {}).get("flags") or 0)
            message = self._message_from("0", body or {}, flags=flags)
            return _json(message)
        if parts[3:] == ["messages", "@original"]:
            original = getattr(state, "original", None)
            if original is None:
                return self._error(404, 10008, "Unknown Message")
            if method == "DELETE":
                state.original = None  # type: ignore[attr-defined]
                return web.Response(status=204)
            if method == "PATCH":
                original.update({k: v for k, v in (body or {}).items() if k in ("content", "embeds")})
                original["flags"] = original.get("flags", 0) & ~128
                return _json(original)
            if method == "GET":
                return _json(original)
        return self._error(404, 0, "404: Not Found")

    async def _cdn(self, request: web.Request) -> web.Response:
        data = self.attachments.get(request.match_info["name"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")
