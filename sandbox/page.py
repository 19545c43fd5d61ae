"""The page and its JSON API, under /sandbox/ (the page itself at /).

Every action is what a Telegram client would do for the chosen person; the emulator turns
it into the updates Telegram sends, and refuses what Telegram refuses (a person outside the
chat, a button that is not there), which the page shows as the error.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import BodyPartReader, web

from emulator.emulator import BotApiEmulator
from emulator.methods.account import ScopeKey
from emulator.world import PRESENT, Chat, User
from sandbox.app import Sandbox

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
API = "/sandbox/api"
MAX_TEXT = 4096  # Telegram's limit for a message a person sends
MAX_FILE = 20 * 1024 * 1024  # what a bot may download (getFile)
KEPT_REQUESTS = 2000  # the emulator's request log, once read, is trimmed past this
ANSWER_WAIT = 10.0  # seconds the page waits for the bot to answer a button
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class PageError(Exception):
    """A request the page (like Telegram) refuses: 400 with this message."""


def add_routes(app: web.Application, sandbox: Callable[[], Sandbox]) -> None:
    """Mount the page (/) and its API (/sandbox/...); `sandbox` gives the running sandbox
    (the server starts before the bot, which needs its address)."""
    api = PageApi(sandbox)
    app.router.add_get("/", _static("index.html"))
    app.router.add_get("/sandbox/static/{name}", _static_file)
    app.router.add_get(f"{API}/state", api.wrap(api.state))
    app.router.add_get(f"{API}/chats", api.wrap(api.chats))
    app.router.add_get(f"{API}/messages", api.wrap(api.messages))
    app.router.add_get(f"{API}/commands", api.wrap(api.commands))
    app.router.add_get(f"{API}/web_app", api.wrap(api.web_app))
    app.router.add_post(f"{API}/send", api.wrap(api.send))
    app.router.add_post(f"{API}/press", api.wrap(api.press))
    app.router.add_post(f"{API}/vote", api.wrap(api.vote))
    app.router.add_post(f"{API}/upload", api.wrap(api.upload))
    app.router.add_post(f"{API}/travel", api.wrap(api.travel))
    app.router.add_get(f"{API}/file/{{file_id}}", api.file)


def _static(name: str) -> Handler:
    async def handle(_request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / name)

    return handle


async def _static_file(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(path)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class PageApi:
    """The JSON the page reads and the actions it takes."""

    def __init__(self, sandbox: Callable[[], Sandbox]) -> None:
        self._sandbox = sandbox
        # Telegram's Message objects carry only inline keyboards; a client learns of a
        # ForceReply or reply keyboard from the send itself. So does the page: from the
        # emulator's log of the bot's requests, read up to the first one still running.
        self._client_markups: dict[tuple[int, int], dict[str, Any]] = {}
        self._read = 0

    @property
    def sandbox(self) -> Sandbox:
        """The running sandbox."""
        return self._sandbox()

    @property
    def emu(self) -> BotApiEmulator:
        """Its emulator."""
        return self._sandbox().emulator

    def wrap(self, action: Callable[[web.Request], Awaitable[Any]]) -> Handler:
        """JSON out; bad input is a 400 with the reason, never a crash of the process."""

        async def handle(request: web.Request) -> web.StreamResponse:
            try:
                result = await action(request)
            except (PageError, ValueError, LookupError, TypeError) as err:
                return web.json_response({"error": str(err)}, status=400, dumps=_dumps)
            return web.json_response(result, dumps=_dumps)

        return handle

    # -- lookups -----------------------------------------------------------------------

    def user(self, raw: Any) -> User:
        """A demo person by id (no one new: the page picks from the county)."""
        try:
            user = self.emu.world.users.get(int(raw))
        except (TypeError, ValueError):
            user = None
        if user is None or user.is_bot:
            raise PageError("没有这个人（user not found）")
        return user

    def chat_of(self, user: User, raw: Any) -> Chat:
        """A chat the person sees: their private chat with the bot or a group they are in."""
        try:
            chat = self.emu.world.chats.get(int(raw))
        except (TypeError, ValueError):
            chat = None
        if chat is None:
            raise PageError("Bad Request: chat not found")
        if chat.user is not None and chat.user is not user:
            raise PageError("Forbidden: 这不是你的私聊")
        if chat.is_group and chat.status_of(user.id) not in PRESENT:
            raise PageError("Forbidden: 你不在这个群里")
        return chat

    # -- reading -----------------------------------------------------------------------

    async def state(self, _request: web.Request) -> dict[str, Any]:
        """The people to choose from, the bot, the clock and the emulator's complaints."""
        county = self.sandbox.county
        people = [
            {"id": user.id, "name": user.first_name, "title": county.people[user.id].title}
            for user in county.users.values()
        ]
        clock = self.sandbox.clock
        return {
            "people": people,
            "bot": self.emu.bot.to_dict(),
            "now": clock.now().isoformat(),
            "offset_hours": round(clock.offset.total_seconds() / 3600, 2),
            "violations": [str(v) for v in self.emu.violations[-50:]],
        }

    async def chats(self, request: web.Request) -> list[dict[str, Any]]:
        """The person's chats: their private chat with the bot first, then their groups."""
        user = self.user(request.query.get("user_id"))
        found = [self.emu.private_chat(user)]
        found += [
            chat
            for chat in self.emu.world.chats.values()
            if chat.is_group and chat.status_of(user.id) in PRESENT
        ]
        result = []
        for chat in found:
            last = next(reversed(chat.messages.values()), None)
            title = self.emu.bot.first_name if chat.user is not None else chat.title
            result.append(
                {
                    "id": chat.id,
                    "title": title,
                    "type": chat.type,
                    "count": len(chat.messages),
                    "last": _preview(last) if last else "",
                }
            )
        return result

    async def messages(self, request: web.Request) -> dict[str, Any]:
        """Every message of the chat in its current state (edits included)."""
        user = self.user(request.query.get("user_id"))
        chat = self.chat_of(user, request.query.get("chat_id"))
        polls = self.emu.interactions.polls
        markups = self._markups()
        items = []
        for message in chat.messages.values():
            poll = message.get("poll")
            state = polls.get(poll["id"]) if poll else None
            # Copies: the stored message is what the bot may get back.
            if state is not None:
                message = {**message, "voted": list(state.votes.get(user.id, []))}
            markup = markups.get((chat.id, message["message_id"]))
            if markup is not None:
                message = {**message, "client_markup": markup}
            items.append(message)
        return {"messages": items, "bot_id": self.emu.bot.id}

    def _markups(self) -> dict[tuple[int, int], dict[str, Any]]:
        """ForceReply and reply keyboards of the bot's sends, by (chat id, message id)."""
        requests = self.emu.requests
        while self._read < len(requests):
            record = requests[self._read]
            if record.method != "getUpdates":
                if record.status is None:
                    break  # still running: read it next time
                result = (record.response or {}).get("result")
                if record.status == 200 and isinstance(result, dict) and "message_id" in result:
                    markup = record.get("reply_markup")
                    if isinstance(markup, dict) and "inline_keyboard" not in markup:
                        key = (int(result["chat"]["id"]), int(result["message_id"]))
                        self._client_markups[key] = markup
            self._read += 1
        if self._read > KEPT_REQUESTS:  # the log would grow as long as the sandbox runs
            del requests[: self._read]
            self._read = 0
        return self._client_markups

    async def commands(self, request: web.Request) -> list[dict[str, str]]:
        """The command menu Telegram would show this person in this chat (narrowest scope
        the bot set first)."""
        user = self.user(request.query.get("user_id"))
        chat = self.chat_of(user, request.query.get("chat_id"))
        lists = self.emu.command_lists
        if chat.is_group:
            admin = chat.status_of(user.id) in ("creator", "administrator")
            scopes: list[ScopeKey] = [("chat_member", chat.id, user.id)]
            if admin:
                scopes.append(("chat_administrators", chat.id, None))
            scopes.append(("chat", chat.id, None))
            if admin:
                scopes.append(("all_chat_administrators", None, None))
            scopes.append(("all_group_chats", None, None))
        else:
            scopes = [("chat", chat.id, None), ("all_private_chats", None, None)]
        scopes.append(("default", None, None))
        for scope in scopes:
            for language in (user.language_code or "", ""):
                found = lists.get((scope, language))
                if found:
                    return list(found)
        return []

    async def web_app(self, request: web.Request) -> dict[str, str]:
        """Where a Web App button takes the person: the bot's Mini App with initData signed
        for them, as Telegram's client would open it."""
        user = self.user(request.query.get("user_id"))
        url = str(request.query.get("url") or "")
        return {"url": self.sandbox.mini_app_url(user.id, user.first_name, url)}

    # -- acting ------------------------------------------------------------------------

    async def send(self, request: web.Request) -> dict[str, Any]:
        """The person sends text (a command, an answer to a ForceReply prompt ...)."""
        body = await _json(request)
        user = self.user(body.get("user_id"))
        chat = self.chat_of(user, body.get("chat_id"))
        text = str(body.get("text") or "").strip()
        if not text:
            raise PageError("Bad Request: message text is empty")
        if len(text) > MAX_TEXT:
            raise PageError("Bad Request: message is too long（最多 4096 字）")
        reply_to = body.get("reply_to")
        return self.emu.send_text(chat, user, text, reply_to=int(reply_to) if reply_to else None)

    async def press(self, request: web.Request) -> dict[str, Any]:
        """Press an inline button; wait for the bot's answer (toast or alert)."""
        body = await _json(request)
        user = self.user(body.get("user_id"))
        chat = self.chat_of(user, body.get("chat_id"))
        query_id = self.emu.press_button(
            chat, user, int(body["message_id"]), str(body.get("data") or "")
        )
        try:
            answer = await self.emu.wait_for(
                lambda: self.emu.callback_answers.get(query_id),
                ANSWER_WAIT,
                what="the answer to a button",
            )
        except TimeoutError:
            return {"text": None, "show_alert": False, "answered": False}
        return {"text": answer.text, "show_alert": answer.show_alert, "answered": True}

    async def vote(self, request: web.Request) -> dict[str, Any]:
        """Answer a poll or quiz (an empty list takes the vote back)."""
        body = await _json(request)
        user = self.user(body.get("user_id"))
        options = [int(option) for option in body.get("option_ids", [])]
        self.emu.answer_poll(user, str(body["poll_id"]), options)
        return {"ok": True}

    async def upload(self, request: web.Request) -> dict[str, Any]:
        """Send a file (multipart: user_id, chat_id, caption, file), read in bounded chunks."""
        reader = await request.multipart()
        fields: dict[str, str] = {}
        name, content = "", b""
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "file":
                name = part.filename or "file"
                content = await _read_bounded(part)
            elif part.name:
                fields[part.name] = (await part.read(decode=True)).decode("utf-8")[:MAX_TEXT]
        user = self.user(fields.get("user_id"))
        chat = self.chat_of(user, fields.get("chat_id"))
        if not content:
            raise PageError("Bad Request: file is empty")
        caption = fields.get("caption", "").strip()
        if len(caption) > 1024:
            raise PageError("Bad Request: message caption is too long（最多 1024 字）")
        return self.emu.send_document(chat, user, name, content, caption=caption or None)

    async def travel(self, request: web.Request) -> dict[str, Any]:
        """Move the bot's clock: {"what": "hour" | "day" | "next"}."""
        body = await _json(request)
        moved = await self.sandbox.travel(str(body.get("what")))
        return {
            "moved_seconds": moved.total_seconds(),
            "now": self.sandbox.clock.now().isoformat(),
        }

    async def file(self, request: web.Request) -> web.StreamResponse:
        """Download a file of a message (a document the bot or a person sent)."""
        stored = self.emu.world.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound(text="file not found")
        return web.Response(
            body=stored.content,
            content_type=stored.mime_type,
            headers={"Content-Disposition": _attachment(stored.file_name)},
        )


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise PageError("Bad Request: expected a JSON body") from None
    if not isinstance(body, dict):
        raise PageError("Bad Request: expected a JSON object")
    return body


async def _read_bounded(part: BodyPartReader) -> bytes:
    chunks, size = [], 0
    while chunk := await part.read_chunk(64 * 1024):
        size += len(chunk)
        if size > MAX_FILE:
            raise PageError("Bad Request: file is too big（最大 20 MB）")
        chunks.append(chunk)
    return b"".join(chunks)


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(name)}"


def _preview(message: dict[str, Any]) -> str:
    text = message.get("text") or message.get("caption") or ""
    if not text and "document" in message:
        text = "📄 " + str(message["document"].get("file_name", "文件"))
    if not text and "poll" in message:
        text = "📊 " + str(message["poll"].get("question", ""))
    return str(text)[:60]
