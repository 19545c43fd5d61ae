"""The composition root: `build_application(settings)` builds and wires everything."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    ContextTypes,
    TypeHandler,
)

from bot.commands import Who, visible_commands
from bot.config import Settings
from bot.context import AdminCache, AppApplication, AppContext, BotData, Runtime
from bot.core.clock import Clock, SystemClock
from bot.ratelimit import ChatRateLimiter, LimiterHooks
from bot.services import (
    binding,
    broadcast,
    campaign_messages,
    checkup_messages,
    floating_messages,
    meeting_messages,
    minutes_messages,
    posts_messages,
    study_messages,
)
from bot.services.container import Services, build_services
from bot.services.meeting_plan import MeetingConfig
from bot.services.processes import Processes, new_owner
from bot.telegram_http import telegram_requests
from bot.updates import PerChatUpdateProcessor
from delivery.sweep import Sweeper
from handlers import setup_handlers
from schedules import setup_schedules
from storage.db import Database, create_engine
from web import build_web_app, webhook
from web.door import HttpDoor
from web.metrics import Metrics

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
Hook = Callable[[AppApplication], Coroutine[Any, Any, None]]
# Counting every update for /metrics comes before every handler group (handlers/__init__).
METRICS_GROUP = -100


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    rate_limiter: BaseRateLimiter[int] | None = None,
    freeze_gc: bool = True,
) -> AppApplication:
    """Build the bot: HTTP client, rate limiter, update processor, services, doors, handlers.

    `freeze_gc=False` leaves the garbage collector alone (_Lifecycle._freeze): for a process
    that starts many bots, such as the test suite, where the full collection before each
    freeze costs more than it saves."""
    clock = clock or SystemClock()
    database = Database(create_engine(settings.database_url))
    processes = Processes(database, clock, new_owner())
    limiter = rate_limiter or ChatRateLimiter(processes=processes)
    lifecycle = _Lifecycle(freeze_gc)
    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.base_file_url)
        .context_types(ContextTypes(context=AppContext, bot_data=BotData))
        # Telegram's flood limits per chat and overall (bot/ratelimit.py); tests inject one
        # on their own clock.
        .rate_limiter(limiter)
        .concurrent_updates(PerChatUpdateProcessor(around=_around_update(database, processes)))
        .post_init(lifecycle.post_init)
        .post_stop(lifecycle.post_stop)
        .post_shutdown(lifecycle.post_shutdown)
    )
    # getUpdates has its own HTTP client in PTB: both go through the proxy, if any.
    request, get_updates_request = telegram_requests(settings.telegram_proxy)
    builder = builder.request(request)
    if settings.webhook_url:
        builder = builder.updater(None)  # Telegram posts to the HTTP door: nothing polls
    else:
        builder = builder.get_updates_request(get_updates_request)
    application: AppApplication = builder.build()
    admins = AdminCache(application.bot, clock)
    services = build_services(database, settings, admins.is_admin, processes)
    _register_deliveries(services, database, settings)
    sweeper = Sweeper(application.bot, services.outbox)
    database.on_due = sweeper.wake  # a delivery due now wakes the sweep after its commit
    runtime = Runtime(settings, database, clock, admins, services, sweeper)
    application.bot_data.runtime = runtime
    metrics = _observe(application, limiter)
    setup_handlers(application)
    setup_schedules(application)
    lifecycle.door = _http_door(application, runtime, metrics)
    return application


def _around_update(
    database: Database, processes: Processes
) -> Callable[[object], AbstractAsyncContextManager[None]]:
    """What surrounds the handling of one update of a chat (its ordering key)."""

    @asynccontextmanager
    async def ordered(key: int) -> AsyncIterator[None]:
        async with database.chat_order(key), database.deferring_wakes():
            yield

    def around(key: object) -> AbstractAsyncContextManager[None]:
        if isinstance(key, int) and processes() > 1:
            # Several processes may get this chat's updates (webhooks behind a balancer):
            # one at a time across all of them, as within one.
            return ordered(key)
        # Alone: the wakes' scope itself, no wrapper around it (every update enters this).
        return database.deferring_wakes()

    return around


def run(settings: Settings) -> None:
    """Build the bot and run it until SIGINT, SIGTERM or SIGABRT (then stop cleanly): in
    webhook mode when WEBHOOK_URL is set, else by long polling."""
    application = build_application(settings)
    if settings.webhook_url:
        asyncio.run(run_webhook(application))
    else:
        # start_polling first deletes any webhook (a switch back from webhook mode), keeping
        # the updates Telegram holds: drop_pending_updates stays False.
        application.run_polling(allowed_updates=ALLOWED_UPDATES)


async def run_webhook(application: AppApplication, stop: asyncio.Event | None = None) -> None:
    """run_polling's lifecycle with Telegram posting to the HTTP door: initialize, post_init
    (opens the door), start, setWebhook; when `stop` is set (default: on a stop signal), stop,
    post_stop, shutdown, post_shutdown. The webhook stays set: a restart resumes it."""
    stop = stop or _stop_on_signals()
    runtime = application.bot_data.runtime
    assert runtime is not None
    await application.initialize()
    try:
        await _call(application, application.post_init)
        await application.start()
        await webhook.register(application.bot, runtime.settings, ALLOWED_UPDATES)
        await stop.wait()
    finally:
        if application.running:
            await application.stop()
            await _call(application, application.post_stop)
        await application.shutdown()
        await _call(application, application.post_shutdown)


def _stop_on_signals() -> asyncio.Event:
    """An event that SIGINT, SIGTERM and SIGABRT set (run_polling's stop signals)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGABRT):
        loop.add_signal_handler(stop_signal, stop.set)
    return stop


async def _call(application: AppApplication, hook: Hook | None) -> None:
    if hook is not None:
        await hook(application)


def _observe(application: AppApplication, limiter: BaseRateLimiter[int]) -> Metrics:
    """Count updates and Telegram's answers for /metrics."""
    metrics = Metrics()
    application.add_handler(TypeHandler(Update, metrics.count_update), group=METRICS_GROUP)
    if isinstance(limiter, ChatRateLimiter):
        limiter.hooks = LimiterHooks(
            retry_after=metrics.count_retry_after, sent=metrics.count_sent
        )
    return metrics


def _http_door(application: AppApplication, runtime: Runtime, metrics: Metrics) -> HttpDoor | None:
    """Health, metrics and (webhook mode) the updates on WEB_HOST:WEB_PORT; None if off."""
    settings = runtime.settings
    if not settings.web_port:
        return None
    app = build_web_app(runtime, metrics)
    if settings.webhook_url:
        webhook.setup(app, application, settings.webhook_path, settings.webhook_secret_token())
    return HttpDoor(app, settings.web_host, settings.web_port)


def _register_deliveries(services: Services, database: Database, settings: Settings) -> None:
    """Every delivery kind of the outbox, with the composer that renders it at send time."""
    config = MeetingConfig(tz=settings.timezone, offsets=settings.reminder_offsets)
    services.outbox.register(meeting_messages.delivery_kinds(database, config))
    services.outbox.register(minutes_messages.delivery_kinds(database, config))
    county = frozenset(settings.superadmin_ids)
    services.outbox.register(checkup_messages.delivery_kinds(database, settings.timezone, county))
    services.outbox.register(campaign_messages.delivery_kinds(database, settings.timezone))
    services.outbox.register(study_messages.delivery_kinds(database, settings.timezone))
    services.outbox.register(floating_messages.delivery_kinds(database, settings.timezone))
    services.outbox.register(broadcast.delivery_kinds())
    services.outbox.register(binding.delivery_kinds(database))
    services.outbox.register(posts_messages.delivery_kinds(database, settings.timezone))


async def _plan_alerts(runtime: Runtime) -> None:
    """Store the coming 三会一课 warnings and the records of meetings announced before
    records existed, before anything else runs (also every few hours, schedules/checkup.py):
    a failure here is logged, the bot still starts."""
    try:
        await runtime.services.checkup.plan_alerts()
        await runtime.services.minutes.plan_drafts()
        await runtime.services.posts.plan_reminders()
    except Exception:
        log.exception("Could not plan the 三会一课 warnings and meeting records")


def _menu(*, private: bool, level: Who) -> list[BotCommand]:
    return [
        BotCommand(c.name, c.description) for c in visible_commands(private=private, level=level)
    ]


class _Lifecycle:
    """What runs around the Application's start and stop (PTB calls these hooks)."""

    def __init__(self, freeze_gc: bool) -> None:
        self.door: HttpDoor | None = None
        self.freeze_gc, self.froze = freeze_gc, False

    def _freeze(self) -> None:
        """Keep what startup made (modules, jieba's dictionary, the application) out of the
        garbage collector's scans while the bot runs: it lives as long as the bot, and each
        full collection rescanned its ~230,000 objects, 150 ms with every update waiting
        (bench/updates.py, issue 9). Garbage made later is collected as usual. The first
        application of a process freezes; it unfreezes when it shuts down."""
        if self.freeze_gc and gc.get_freeze_count() == 0:
            gc.collect()
            gc.freeze()
            self.froze = True

    async def post_init(self, application: AppApplication) -> None:
        """Count the bot's processes before the first send (a new process must not use the
        whole budget beside running ones); register the command menus per scope, so each
        person sees what they may use; open the HTTP door."""
        runtime = application.bot_data.runtime
        if runtime is not None:
            await runtime.services.processes.beat()
            await _plan_alerts(runtime)
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
        if self.door is not None:
            await self.door.start()
        self._freeze()
        log.info("Bot @%s is ready", bot.username)

    async def post_stop(self, application: AppApplication) -> None:
        """Close the door; let a running sweep finish the message in flight while the bot
        can still send; give this process's share of the budgets back to the others."""
        if self.door is not None:
            await self.door.stop()
        runtime = application.bot_data.runtime
        if runtime is not None:
            await runtime.sweeper.stop()
            await runtime.services.processes.leave()

    async def post_shutdown(self, application: AppApplication) -> None:
        """Close the door (if post_stop did not run) and release the database connections."""
        if self.door is not None:
            await self.door.stop()
        runtime = application.bot_data.runtime
        if runtime is not None:
            await runtime.sweeper.stop()
            await runtime.database.dispose()
        if self.froze:
            gc.unfreeze()
            self.froze = False


async def stop_application(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Stop what was started by hand (initialize, start, start_polling) in the order PTB's own
    run_polling uses: the updater, the application, post_shutdown, shutdown."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
    await application.shutdown()
