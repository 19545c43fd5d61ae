"""What every handler and job can reach: settings, services, the clock, the delivery door.

Built once by `build_application`; handlers read it through `AppContext`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram import Bot, ChatMember
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.core.clock import Clock
from bot.services.container import Services
from delivery.sweep import Sweeper
from storage.db import Database

ADMIN_STATUSES = {ChatMember.ADMINISTRATOR, ChatMember.OWNER}
MAX_CACHED = 10_000


class AdminCache:
    """Answers "is this user an admin of this group?" from the Bot API, cached briefly.

    Admin checks guard every managing action; asking Telegram each time would spend the
    rate limit, and a minute of staleness is harmless.
    """

    def __init__(self, bot: Bot, clock: Clock, ttl: timedelta = timedelta(seconds=60)) -> None:
        self._bot, self._clock, self._ttl = bot, clock, ttl
        self._entries: dict[tuple[int, int], tuple[bool, datetime]] = {}

    async def is_admin(self, chat_id: int, user_id: int) -> bool:
        """True when Telegram says the user administers the chat."""
        now = self._clock.now()
        cached = self._entries.get((chat_id, user_id))
        if cached is not None and now - cached[1] < self._ttl:
            return cached[0]
        try:
            member = await self._bot.get_chat_member(chat_id, user_id)
        except TelegramError:
            return False
        is_admin = member.status in ADMIN_STATUSES
        if len(self._entries) >= MAX_CACHED:
            self._entries = {k: v for k, v in self._entries.items() if now - v[1] < self._ttl}
        self._entries[(chat_id, user_id)] = (is_admin, now)
        return is_admin

    def forget_chat(self, chat_id: int) -> None:
        """Drop what is cached for a chat (its admins changed, or its id did)."""
        for key in [key for key in self._entries if key[0] == chat_id]:
            del self._entries[key]


@dataclass
class Runtime:
    """The application's long-lived parts."""

    settings: Settings
    database: Database
    clock: Clock
    admins: AdminCache
    services: Services
    sweeper: Sweeper


class BotData:
    """`application.bot_data`: holds the runtime (PTB creates it without arguments)."""

    runtime: Runtime | None = None


class AppContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context handlers receive, with typed access to the runtime."""

    @property
    def runtime(self) -> Runtime:
        """The application's long-lived parts."""
        runtime = self.bot_data.runtime
        if runtime is None:
            raise RuntimeError("build_application() did not attach the runtime")
        return runtime

    @property
    def services(self) -> Services:
        """The use cases."""
        return self.runtime.services

    @property
    def settings(self) -> Settings:
        """The validated settings."""
        return self.runtime.settings

    def now(self) -> datetime:
        """The current time from the injected clock (UTC)."""
        return self.runtime.clock.now()


# The bot's type parameter is the rate limiter's (ExtBot[int] with AIORateLimiter).
AppApplication = Application[ExtBot[Any], AppContext, dict[Any, Any], dict[Any, Any], BotData, Any]
