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
from telegram.ext import Application, ApplicationBuilder, BaseRateLimiter, ContextTypes

from bot.commands import Who, visible_commands
from bot.config import Settings
from bot.context import AdminCache, AppContext, BotData, Runtime
from bot.core.clock import Clock, SystemClock
from bot.ratelimit import ChatRateLimiter
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


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    rate_limiter: BaseRateLimiter[int] | None = None,
) -> Application:  # type: ignore[type-arg]
    """Build the bot: HTTP client, rate limiter, update processor, handlers, runtime."""
    engine = create_engine(settings.database_url)
    context_types = ContextTypes(context=AppContext, bot_data=BotData)
    application = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.base_file_url)
        .context_types(context_types)
        # Telegram's flood limits per chat and overall (bot/ratelimit.py); tests inject one
        # on their own clock.
        .rate_limiter(rate_limiter or ChatRateLimiter())
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
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
