"""The composition root: `build_application(settings)` builds and wires everything."""

from __future__ import annotations

import logging

from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot.commands import Who, visible_commands
from bot.config import Settings
from bot.context import AdminCache, AppContext, BotData, Runtime
from bot.core.clock import Clock, SystemClock
from bot.updates import PerChatUpdateProcessor
from handlers import setup_handlers
from schedules import setup_schedules
from storage.db import create_engine, create_sessionmaker

log = logging.getLogger(__name__)

# chat_member is only delivered when asked for explicitly (design.md).
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.CHAT_MEMBER,
    Update.MY_CHAT_MEMBER,
    Update.POLL_ANSWER,
    Update.INLINE_QUERY,
]


# Telegram allows 30 messages in any sliding second. AIORateLimiter's default bucket lets 30
# through at once and then 30/s more, which breaks that window (bench/broadcast.py measured
# 17 × 429 in a 500-group broadcast, each pausing every chat for a second). A bucket of one,
# refilled 29 times a second, never bursts: 31 sends would need more than a second, and a
# reply in another chat waits at most one slot behind a broadcast.
MESSAGES_PER_SECOND = 29


def build_application(settings: Settings, *, clock: Clock | None = None) -> Application:  # type: ignore[type-arg]
    """Build the bot: HTTP client, rate limiter, update processor, handlers, runtime."""
    engine = create_engine(settings.database_url)
    context_types = ContextTypes(context=AppContext, bot_data=BotData)
    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.base_file_url)
        .context_types(context_types)
        .rate_limiter(
            AIORateLimiter(
                overall_max_rate=1, overall_time_period=1 / MESSAGES_PER_SECOND, max_retries=3
            )
        )
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_proxy:
        # getUpdates has its own HTTP client in PTB: both must go through the proxy.
        builder = builder.proxy(settings.telegram_proxy).get_updates_proxy(settings.telegram_proxy)
    application = builder.build()
    clock = clock or SystemClock()
    application.bot_data.runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=create_sessionmaker(engine),
        clock=clock,
        admins=AdminCache(clock),
    )
    setup_handlers(application)
    setup_schedules(application)
    return application


def _menu(*, private: bool, level: Who) -> list[BotCommand]:
    return [
        BotCommand(c.name, c.description) for c in visible_commands(private=private, level=level)
    ]


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    """Register the command menus per scope, so each person sees what they may use."""
    bot = application.bot
    await bot.set_my_commands(
        _menu(private=True, level=Who.EVERYONE), scope=BotCommandScopeAllPrivateChats()
    )
    await bot.set_my_commands(
        _menu(private=False, level=Who.EVERYONE), scope=BotCommandScopeAllGroupChats()
    )
    await bot.set_my_commands(
        _menu(private=False, level=Who.MANAGER), scope=BotCommandScopeAllChatAdministrators()
    )
    log.info("Bot @%s is ready", bot.username)


async def _post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
    """Release the database connections."""
    runtime = application.bot_data.runtime
    if runtime is not None:
        await runtime.engine.dispose()
