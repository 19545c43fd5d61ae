"""BotApiEmulator: a real HTTP Bot API server with an emulated Telegram behind it."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import web

from .actors import ChatRef
from .errors import Violation
from .factories import chat_member_updated
from .interactions import CallbackAnswer, Interactions
from .methods.account import ScopeKey, scope_key
from .query_actors import UserActions
from .ratelimit import RateLimiter, RateLimits
from .server import RequestRecord, build_app
from .spec import load_spec
from .updates import UpdateQueue
from .webhook import WebhookPost, WebhookPusher
from .world import PRESENT, Chat, User, World

T = TypeVar("T")
DEFAULT_TOKEN = "123456:TEST-emulator-token"


BUSY_RECHECK = 0.01  # seconds
# How long a test waits for the bot by default: generous, since it only costs time when a
# test fails, and a shared 2-core machine under load (parallel suites) can take seconds.
WAIT = 15.0  # seconds


@dataclass
class Stats:
    """Counters a test or benchmark can read."""

    requests: Counter[str] = field(default_factory=Counter)
    rate_limited: int = 0  # 429 answers
    updates: int = 0


class BotApiEmulator(UserActions):
    """Telegram's Bot API on 127.0.0.1, driven by tests acting as users.

    Point the bot at `base_url` / `base_file_url`; act with add_user, send_text,
    press_button ...; inspect with messages(), bot_messages(), requests, violations;
    wait with wait_for_bot_message(), wait_for() and settle().
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        spec_path: str | Path | None = None,
        bot_username: str = "dangjian_test_bot",
        bot_name: str = "党建助手",
        rate_limits: RateLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        privacy_mode: bool = True,
        inline_mode: bool = False,
        check_results: bool = True,
        callback_query_ttl: float = 15.0,
        host: str = "127.0.0.1",
        port: int = 0,
        control_api: bool = False,
        spec_required: bool | None = None,
        extra_routes: Callable[[web.Application], None] | None = None,
    ) -> None:
        self.token = token
        self.spec = load_spec(spec_path, required=spec_required)
        self.bot = User(int(token.split(":", 1)[0]), bot_name, username=bot_username, is_bot=True)
        self.world = World(self.bot, wall_clock)
        self.updates = UpdateQueue()
        self.rate_limiter = RateLimiter(rate_limits or RateLimits(), clock)
        self.interactions = Interactions()
        self.clock = clock
        self.privacy_mode = privacy_mode
        self.inline_mode = inline_mode
        self.check_results = check_results
        self.callback_query_ttl = callback_query_ttl
        self.control_api = control_api
        # More routes on the same server (the sandbox's page), before the catch-all 404.
        self.extra_routes = extra_routes
        self.host, self.port = host, port
        self.webhook: dict[str, Any] | None = None
        self.webhooks = WebhookPusher(self)  # POSTs updates while a webhook is set
        self.command_lists: dict[tuple[ScopeKey, str], list[dict[str, str]]] = {}
        self.callback_answers: dict[str, CallbackAnswer] = {}
        self.inline_answers: dict[str, dict[str, Any]] = {}
        self.requests: list[RequestRecord] = []
        self.violations: list[Violation] = []
        self.sent: list[tuple[int, int]] = []  # (chat id, message id) of bot messages, in order
        self._sent_in_chat: dict[int, list[int]] = {}
        self.deleted: list[tuple[int, int]] = []  # deleted by the bot
        self.stats = Stats()
        self._claimed: set[tuple[int, int]] = set()
        self._changed = asyncio.Event()
        self._in_flight = 0
        self._last_bot_activity = 0.0
        self._runner: web.AppRunner | None = None
        # The client may say it is still working (handling an update without a request yet);
        # settle() then waits for it too. The e2e harness plugs in the Application's state.
        self.client_busy: Callable[[], bool] = lambda: False

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> BotApiEmulator:
        """Serve on host:port (port 0 picks a free one)."""
        self._runner = web.AppRunner(build_app(self), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Release long polls, stop webhook deliveries and shut the server down."""
        self.updates.close()
        await self.webhooks.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For Bot(base_url=...): the bot appends "<token>/<method>"."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For Bot(base_file_url=...): file downloads."""
        return f"http://{self.host}:{self.port}/file/bot"

    # -- hooks used by the server and the user actions ---------------------------------

    def begin_request(self, record: RequestRecord) -> None:
        """Log a request as it starts (the server calls this)."""
        self.requests.append(record)
        self.stats.requests[record.method] += 1
        if record.method != "getUpdates":
            self._in_flight += 1
            self._touch()
        self._signal()

    def end_request(self, record: RequestRecord, status: int, body: dict[str, Any]) -> None:
        """Store the answer and wake every waiter (the server calls this)."""
        record.status, record.response = status, body
        if record.method != "getUpdates":
            self._in_flight -= 1
            self._touch()
        elif body.get("result"):
            self._touch()
        self._signal()

    def push_update(self, kind: str, payload: dict[str, Any]) -> None:
        """Enqueue an update for the bot and wake waiters."""
        self.updates.push(kind, payload)
        self.stats.updates += 1
        self._touch()
        self._signal()

    def set_bot_status(self, chat: Chat, status: str, actor: User) -> None:
        """Change the bot's membership in a group and send it my_chat_member."""
        old = chat.bot_status
        chat.bot_status = status
        chat.bot_was_member = chat.bot_was_member or status in PRESENT
        update = chat_member_updated(chat, actor, self.world.now(), self.bot, old, status)
        self.push_update("my_chat_member", update)

    def record_sent(self, message: dict[str, Any]) -> None:
        """Note a bot message in send order (for wait_for_bot_message)."""
        key = (message["chat"]["id"], message["message_id"])
        self.sent.append(key)
        self._sent_in_chat.setdefault(key[0], []).append(key[1])

    def user_dict(self, user_id: int) -> dict[str, Any] | None:
        """The User object of a known user (for text_mention entities)."""
        user = self.world.users.get(user_id)
        return None if user is None else user.to_dict()

    def poke(self) -> None:
        """Wake every waiter after a change they may wait for (a webhook delivery)."""
        self._touch()
        self._signal()

    async def post_to_webhook(
        self, body: dict[str, Any] | bytes, *, secret_token: str | None
    ) -> WebhookPost:
        """POST an update (or raw bytes) to the bot's webhook with that secret header (None:
        no header), as anyone who found the URL could; it is not queued or retried."""
        return await self.webhooks.post(body, secret_token)

    def webhook_failed(self, message: str) -> None:
        """Telegram could not deliver to the webhook; getWebhookInfo reports it from now on."""
        if self.webhook is None:
            raise ValueError("no webhook is set (the bot sets one with setWebhook)")
        self.webhook["last_error_date"] = self.world.now()
        self.webhook["last_error_message"] = message

    # -- inspection --------------------------------------------------------------------

    def messages(self, chat: ChatRef) -> list[dict[str, Any]]:
        """Every message in the chat (users' and the bot's), current state, oldest first."""
        return list(self.chat(chat).messages.values())

    def bot_messages(self, chat: ChatRef) -> list[dict[str, Any]]:
        """The bot's messages in the chat that still exist, current state, oldest first."""
        return [m for m in self.messages(chat) if m["from"]["id"] == self.bot.id]

    def message(self, chat: ChatRef, message_id: int) -> dict[str, Any]:
        """One stored message; KeyError if it does not exist (or was deleted)."""
        return self.chat(chat).messages[message_id]

    def commands(self, scope: Any = None, language_code: str = "") -> list[dict[str, str]]:
        """The command list set for a scope (dict, type name or PTB scope) and language."""
        return list(self.command_lists.get((scope_key(self, scope), language_code), []))

    def requests_for(self, method: str) -> list[RequestRecord]:
        """Logged calls of one method."""
        return [r for r in self.requests if r.method == method]

    # -- waiting -----------------------------------------------------------------------

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float = WAIT,  # noqa: ASYNC109 - the documented test API
        *,
        what: str = "condition",
    ) -> T:
        """Wait until predicate() is truthy (re-checked after every request); return it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            changed = self._changed
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(self._timeout_report(what, timeout))
            await _wait_event(changed, remaining)

    async def wait_for_bot_message(
        self,
        chat: ChatRef,
        contains: str | None = None,
        timeout: float = WAIT,  # noqa: ASYNC109 - the documented test API
    ) -> dict[str, Any]:
        """The next bot message in the chat (containing `contains`) not returned before.

        Each message is handed out once, so successive calls walk through the bot's
        replies in order; the text, caption or poll question is searched.
        """
        chat_id = chat if isinstance(chat, int) else self.chat(chat).id

        def next_match() -> dict[str, Any] | None:
            stored = self.world.chats[chat_id].messages if chat_id in self.world.chats else {}
            for message_id in self._sent_in_chat.get(chat_id, []):
                message = stored.get(message_id)
                if message is None or (chat_id, message_id) in self._claimed:
                    continue
                if contains is None or contains in message_text(message):
                    self._claimed.add((chat_id, message_id))
                    return message
            return None

        what = f"a bot message in chat {chat_id}"
        if contains is not None:
            what += f" containing {contains!r}"
        return await self.wait_for(next_match, timeout, what=what)

    async def settle(
        self,
        quiet: float = 0.1,
        timeout: float = WAIT,  # noqa: ASYNC109 - the documented test API
    ) -> None:
        """Wait until the bot confirmed every update and made no request for `quiet` seconds.

        Confirmed, not only fetched: on a loaded machine the bot read a fetched batch into its
        queue more than `quiet` seconds after the emulator answered, and settle returned before
        the update was handled (a join missing from the roster)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            changed = self._changed
            now = loop.time()
            idle_for = now - self._last_bot_activity
            ready = self.updates.all_confirmed and self._in_flight == 0
            busy = self.client_busy()
            if ready and not busy and idle_for >= quiet:
                return
            if now >= deadline:
                raise TimeoutError(self._timeout_report("the bot to settle", timeout))
            if busy:
                # Busy without talking to us: nothing signals its end, so look again shortly.
                wait = min(BUSY_RECHECK, deadline - now)
            elif ready:
                wait = min(quiet - idle_for, deadline - now)
            else:
                wait = deadline - now
            await _wait_event(changed, wait)

    def _touch(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._last_bot_activity = asyncio.get_running_loop().time()

    def _signal(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _timeout_report(self, what: str, timeout: float) -> str:
        recent = [f"{r.method} -> {r.status}" for r in self.requests[-8:]]
        return (
            f"timed out after {timeout}s waiting for {what}; "
            f"{len(self.updates.pending)} updates unconfirmed, "
            f"all fetched: {self.updates.all_fetched}; last requests: {recent}"
        )


def message_text(message: dict[str, Any]) -> str:
    """The searchable text of a message: text, caption or poll question."""
    poll = message.get("poll") or {}
    return str(message.get("text") or message.get("caption") or poll.get("question") or "")


async def _wait_event(event: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), max(seconds, 0.0))
