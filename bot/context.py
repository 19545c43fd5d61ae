"""What every handler and job can reach: settings, sessions, clock, caches.

Built once by `build_application`; handlers read it through `AppContext`.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Bot, ChatMember
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.core.clock import Clock
from bot.services.outbox import Senders

ADMIN_STATUSES = {ChatMember.ADMINISTRATOR, ChatMember.OWNER}
MAX_CACHED = 10_000


class AdminCache:
    """Answers "is this user an admin of this group?" from the Bot API, cached briefly.

    Admin checks guard every managing action; asking Telegram each time would spend the
    rate limit, and a minute of staleness is harmless.
    """

    def __init__(self, clock: Clock, ttl: timedelta = timedelta(seconds=60)) -> None:
        self._clock, self._ttl = clock, ttl
        self._entries: dict[tuple[int, int], tuple[bool, datetime]] = {}

    async def is_admin(self, bot: Bot, chat_id: int, user_id: int) -> bool:
        """True when Telegram says the user administers the chat."""
        now = self._clock.now()
        cached = self._entries.get((chat_id, user_id))
        if cached is not None and now - cached[1] < self._ttl:
            return cached[0]
        try:
            member = await bot.get_chat_member(chat_id, user_id)
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
    """The application's long-lived services."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    admins: AdminCache
    senders: Senders = field(default_factory=Senders)


class BotData:
    """`application.bot_data`: holds the runtime (PTB creates it without arguments)."""

    runtime: Runtime | None = None


class AppContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context handlers receive, with typed access to the runtime."""

    @property
    def runtime(self) -> Runtime:
        """The application's services."""
        runtime = self.bot_data.runtime
        if runtime is None:
            raise RuntimeError("build_application() did not attach the runtime")
        return runtime

    @property
    def settings(self) -> Settings:
        """The validated settings."""
        return self.runtime.settings

    def now(self) -> datetime:
        """The current time from the injected clock (UTC)."""
        return self.runtime.clock.now()

    def transaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        """One session in one transaction: commits on success, rolls back on error."""
        return self.runtime.sessions.begin()

    def is_superadmin(self, user_id: int) -> bool:
        """County administrators named in SUPERADMIN_IDS."""
        return user_id in self.settings.superadmin_ids


AppApplication = Application[
    ExtBot[None], AppContext, dict[Any, Any], dict[Any, Any], BotData, Any
]
