"""The composition root: `build_application(settings)` builds and wires everything."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.ext import ApplicationBuilder, BaseRateLimiter, ContextTypes

from bot.commands import Who, visible_commands
from bot.config import Settings
from bot.context import AdminCache, AppApplication, AppContext, BotData, Runtime
from bot.core.clock import Clock, SystemClock
from bot.ratelimit import ChatRateLimiter
from bot.services import binding, broadcast, meeting_messages, study_messages
from bot.services.container import Services, build_services
from bot.services.meeting_plan import MeetingConfig
from bot.services.processes import Processes, new_owner
from bot.updates import PerChatUpdateProcessor
from delivery.sweep import Sweeper
from handlers import setup_handlers
from schedules import setup_schedules
from storage.db import Database, create_engine

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
) -> AppApplication:
    """Build the bot: HTTP client, rate limiter, update processor, services, door, handlers."""
    clock = clock or SystemClock()
    database = Database(create_engine(settings.database_url))
    processes = Processes(database, clock, new_owner())
    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.base_file_url)
        .context_types(ContextTypes(context=AppContext, bot_data=BotData))
        # Telegram's flood limits per chat and overall (bot/ratelimit.py); tests inject one
        # on their own clock.
        .rate_limiter(rate_limiter or ChatRateLimiter(processes=processes))
        .concurrent_updates(PerChatUpdateProcessor(around=_around_update(database, processes)))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_proxy:
        # getUpdates has its own HTTP client in PTB: both must go through the proxy.
        builder = builder.proxy(settings.telegram_proxy).get_updates_proxy(settings.telegram_proxy)
    application: AppApplication = builder.build()
    admins = AdminCache(application.bot, clock)
    services = build_services(database, settings, admins.is_admin, processes)
    _register_deliveries(services, database, settings)
    sweeper = Sweeper(application.bot, services.outbox)
    database.on_due = sweeper.wake  # a delivery due now wakes the sweep after its commit
    application.bot_data.runtime = Runtime(settings, database, clock, admins, services, sweeper)
    setup_handlers(application)
    setup_schedules(application)
    return application


def _around_update(
    database: Database, processes: Processes
) -> Callable[[object], AbstractAsyncContextManager[None]]:
    """What surrounds the handling of one update of a chat (its ordering key)."""

    @asynccontextmanager
    async def around(key: object) -> AsyncIterator[None]:
        async with AsyncExitStack() as scope:
            if isinstance(key, int) and processes() > 1:
                # Several processes may get this chat's updates (webhooks behind a balancer):
                # one at a time across all of them, as within one.
                await scope.enter_async_context(database.chat_order(key))
            await scope.enter_async_context(database.deferring_wakes())
            yield

    return around


def run_polling(settings: Settings) -> None:
    """Build the bot and long-poll until SIGINT, SIGTERM or SIGABRT (then stop cleanly)."""
    build_application(settings).run_polling(allowed_updates=ALLOWED_UPDATES)


def _register_deliveries(services: Services, database: Database, settings: Settings) -> None:
    """Every delivery kind of the outbox, with the composer that renders it at send time."""
    config = MeetingConfig(tz=settings.timezone, offsets=settings.reminder_offsets)
    services.outbox.register(meeting_messages.delivery_kinds(database, config))
    services.outbox.register(study_messages.delivery_kinds(database, settings.timezone))
    services.outbox.register(broadcast.delivery_kinds())
    services.outbox.register(binding.delivery_kinds(database))


def _menu(*, private: bool, level: Who) -> list[BotCommand]:
    return [
        BotCommand(c.name, c.description) for c in visible_commands(private=private, level=level)
    ]


async def _post_init(application: AppApplication) -> None:
    """Count the bot's processes before the first send (a new process must not use the whole
    budget beside running ones), then register the command menus per scope."""
    runtime = application.bot_data.runtime
    if runtime is not None:
        await runtime.services.processes.beat()
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


async def _post_stop(application: AppApplication) -> None:
    """Let a running sweep finish the message in flight while the bot can still send; give
    this process's share of the budgets back to the others."""
    runtime = application.bot_data.runtime
    if runtime is not None:
        await runtime.sweeper.stop()
        await runtime.services.processes.leave()


async def _post_shutdown(application: AppApplication) -> None:
    """Release the database connections."""
    runtime = application.bot_data.runtime
    if runtime is not None:
        await runtime.sweeper.stop()
        await runtime.database.dispose()
