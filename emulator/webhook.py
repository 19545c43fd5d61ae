"""Webhook delivery: with a webhook set, POST each update to the bot as Telegram does.

One update at a time, oldest first, with the secret_token of setWebhook in
X-Telegram-Bot-Api-Secret-Token. An update stays pending until the bot answers 2xx;
otherwise getWebhookInfo reports the error and it is tried again after a growing pause (up
to a second here; Telegram waits longer). Every update is checked against the spec's Update
type before it goes out: a failure there is an emulator bug. Telegram sends up to
max_connections at once; the emulator sends one at a time, which keeps tests ordered.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aiohttp import ClientError, ClientSession, ClientTimeout

from .errors import Violation

if TYPE_CHECKING:
    from .emulator import BotApiEmulator

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FIRST_RETRY, LAST_RETRY = 0.05, 1.0  # seconds between attempts at a failing update
TIMEOUT = ClientTimeout(total=10)


@dataclass(frozen=True)
class WebhookPost:
    """One POST to the bot's webhook: which update, with what secret, and the answer."""

    update_id: int | None
    secret_token: str | None
    status: int | None  # None: no HTTP answer (connection refused, timeout)
    error: str = ""


class WebhookPusher:
    """The delivery task of one emulator; started by setWebhook, stopped by deleteWebhook."""

    def __init__(self, emu: BotApiEmulator) -> None:
        self._emu = emu
        self._task: asyncio.Task[None] | None = None
        self._client: ClientSession | None = None
        self.posts: list[WebhookPost] = []

    def start(self) -> None:
        """Deliver pending and future updates to the webhook (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="webhook")

    async def stop(self) -> None:
        """Stop delivering (the webhook was deleted, or the emulator stops)."""
        task, self._task = self._task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def close(self) -> None:
        """Stop and release the HTTP client."""
        await self.stop()
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def post(self, body: dict[str, Any] | bytes, secret_token: str | None) -> WebhookPost:
        """POST `body` (an Update, or raw bytes) to the webhook URL with that secret header."""
        if self._emu.webhook is None:
            raise ValueError("no webhook is set (the bot sets one with setWebhook)")
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if secret_token is not None:
            headers[SECRET_HEADER] = secret_token
        update_id = body.get("update_id") if isinstance(body, dict) else None
        try:
            async with self._session().post(
                self._emu.webhook["url"], data=data, headers=headers
            ) as answer:
                await answer.read()
                post = WebhookPost(update_id, secret_token, answer.status)
        except (ClientError, TimeoutError) as exc:
            post = WebhookPost(update_id, secret_token, None, _connection_error(exc))
        self.posts.append(post)
        return post

    async def _run(self) -> None:
        delay = FIRST_RETRY
        while self._emu.webhook is not None:
            update = self._emu.updates.next_for_webhook()
            if update is None:
                await self._emu.updates.wait_arrival()
                continue
            if await self._deliver(update):
                self._emu.updates.delivered(update)
                self._emu.poke()
                delay = FIRST_RETRY
            else:
                await asyncio.sleep(delay)
                delay = min(2 * delay, LAST_RETRY)

    async def _deliver(self, update: dict[str, Any]) -> bool:
        self._check(update)
        webhook = self._emu.webhook
        assert webhook is not None
        post = await self.post(update, webhook["secret_token"])
        if post.status is not None and 200 <= post.status < 300:
            return True
        webhook["last_error_date"] = self._emu.world.now()
        webhook["last_error_message"] = post.error or _wrong_response(post.status)
        self._emu.poke()
        return False

    def _check(self, update: dict[str, Any]) -> None:
        spec = self._emu.spec
        if spec is None or not self._emu.check_results:
            return
        problems = spec.check_object(update, "Update")
        if problems:
            detail = "; ".join(problems[:3])
            self._emu.violations.append(Violation("webhook", "emulator", detail))

    def _session(self) -> ClientSession:
        if self._client is None:
            self._client = ClientSession(timeout=TIMEOUT)
        return self._client


def _wrong_response(status: int | None) -> str:
    """Telegram's wording for a webhook that answered, but not 2xx."""
    try:
        reason = HTTPStatus(status or 0).phrase
    except ValueError:
        reason = ""
    return f"Wrong response from the webhook: {status} {reason}".rstrip()


def _connection_error(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "Read timeout expired"
    cause = getattr(exc, "os_error", None)
    if isinstance(cause, ConnectionRefusedError):
        return "Connection refused"
    return f"Connection error: {type(exc).__name__}"
