"""Webhook mode: Telegram POSTs each update to WEBHOOK_URL's path on the HTTP door.

Only requests that carry our secret in X-Telegram-Bot-Api-Secret-Token are read; anyone else
gets 403 before their body is even parsed. An accepted update goes on the Application's
update_queue, exactly where polling puts it, and Telegram gets its 200 at once.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Sequence

from aiohttp import web
from telegram import Bot, Update

from bot.config import Settings
from bot.context import AppApplication

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def setup(app: web.Application, application: AppApplication, path: str, secret: str) -> None:
    """Mount POST `path`, which feeds `application` the updates Telegram sends with `secret`."""
    app.router.add_post(path, WebhookRoute(application, secret).receive)


class WebhookRoute:
    """Checks the secret, parses the update and queues it."""

    def __init__(self, application: AppApplication, secret: str) -> None:
        self._application = application
        self._secret = secret.encode()

    async def receive(self, request: web.Request) -> web.Response:
        """403 without the secret; 503 while the bot is not running; else queue it, 200."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("Webhook request without the right secret from %s", request.remote)
            return web.Response(status=403, text="Forbidden")
        if not self._application.running:
            # Starting or stopping: nothing would process it. Telegram delivers it again.
            return web.Response(status=503, text="Not running")
        try:
            update = Update.de_json(await request.json(), self._application.bot)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            log.warning("Webhook request with an unreadable update: %s", exc)
            return web.Response(status=400, text="Bad update")
        self._application.update_queue.put_nowait(update)
        return web.Response(text="OK")


async def register(bot: Bot, settings: Settings, allowed_updates: Sequence[str]) -> None:
    """Tell Telegram to deliver to WEBHOOK_URL with our secret (what is pending is kept)."""
    assert settings.webhook_url is not None
    await bot.set_webhook(
        settings.webhook_url,
        secret_token=settings.webhook_secret_token(),
        allowed_updates=list(allowed_updates),
        drop_pending_updates=False,
    )
    log.info("Webhook set: Telegram delivers updates to %s", settings.webhook_url)
