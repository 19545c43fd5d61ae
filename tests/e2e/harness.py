"""Run the real Application over HTTP against the Bot API emulator, on a movable clock.

`build_application` is the same function `python -m bot run` uses; the harness starts it
the way `run_polling` would (post_init, polling with ALLOWED_UPDATES) inside the test's
event loop, or, with a webhook_url, runs `bot.app.run_webhook` itself. The HTTP door is off
(WEB_PORT=0) unless a test passes web_port (`free_port()`).
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, BaseRateLimiter

from bot.app import ALLOWED_UPDATES, build_application, run_webhook, stop_application
from bot.config import Settings, load_settings
from bot.context import Runtime
from bot.core.clock import FakeClock
from bot.ratelimit import ChatRateLimiter
from bot.services.outbox import SweepReport
from delivery.progress import show_broadcast_progress
from emulator.emulator import BotApiEmulator
from emulator.world import Chat, User
from schedules.sweep import JOB_NAME as SWEEP_JOB
from tests.conftest import BACKENDS, POSTGRES_URL, empty_postgres, migrated
from tests.emulator_fixtures import fail_on_violations


@dataclass
class RunningBot:
    """A started Application with the emulator it talks to and the clock it reads."""

    application: Application[Any, Any, Any, Any, Any, Any]
    emulator: BotApiEmulator
    clock: FakeClock
    settings: Settings
    stop: asyncio.Event | None = None  # webhook mode: sets off run_webhook's stop
    serving: asyncio.Task[None] | None = None  # webhook mode: run_webhook

    @property
    def web_url(self) -> str:
        """The HTTP door, e.g. http://127.0.0.1:8080 (start the bot with a web_port)."""
        return f"http://{self.settings.web_host}:{self.settings.web_port}"

    @property
    def runtime(self) -> Runtime:
        """The bot's long-lived parts (services, database, the delivery door)."""
        runtime: Runtime = self.application.bot_data.runtime
        return runtime

    def db(self) -> AbstractAsyncContextManager[AsyncSession]:
        """A transaction on the bot's own database, to check what it stored (or to add rows
        that the test then sweeps itself: it does not wake the sweep)."""
        return self.runtime.database.sessions.begin()

    async def sweep(self) -> SweepReport:
        """Run the outbox sweep now (instead of waiting for its tick)."""
        return await self.runtime.sweeper.sweep()

    def hold_sweeps(self) -> None:
        """Pause the repeating sweep (a real-time tick): the test drives time and sweeps itself,
        deterministically. Sweeps woken by a commit (something due at once) still run."""
        assert self.application.job_queue is not None
        for job in self.application.job_queue.get_jobs_by_name(SWEEP_JOB):
            job.enabled = False

    async def show_progress(self) -> int:
        """Run the broadcast progress job now."""
        return await show_broadcast_progress(
            self.application.bot, self.runtime.services.broadcasts
        )

    async def say(self, chat: Chat | User, user: User, text: str, **kwargs: Any) -> str:
        """`user` writes `text`; return the bot's next message text in that chat."""
        self.emulator.send_text(chat, user, text, **kwargs)
        reply = await self.emulator.wait_for_bot_message(chat)
        return str(reply.get("text", ""))

    async def bound_group(
        self,
        title: str,
        org: str,
        admin: User,
        members: list[User] = (),  # type: ignore[assignment]
        *,
        domain: str | None = None,
    ) -> Chat:
        """A group with the bot as admin, bound by `admin` to organisation `org` (of `domain`,
        e.g. 非公, when given)."""
        group = self.emulator.add_group(
            title, members=[admin, *members], admins=[admin], bot_admin=True
        )
        reply = await self.say(group, admin, f"/bind {org} {domain}" if domain else f"/bind {org}")
        assert org in reply, reply
        return group


def free_port() -> int:
    """A local port nothing listens on now (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_bot(
    emulator: BotApiEmulator,
    database_url: str,
    clock: FakeClock,
    *,
    rate_limiter: BaseRateLimiter[int] | None = None,
    poll: bool = True,
    freeze_gc: bool = False,
    **overrides: Any,
) -> RunningBot:
    """Migrate, build and start the bot against the emulator; `overrides` win over its URLs.

    The suite starts ~1,900 bots in its processes: each would run a full garbage collection
    before freezing (130 ms, more as the heap grows), so they do not freeze unless asked.

    Without `poll` the bot gets no updates (another process of the same bot gets them) but
    runs its jobs and sweeps.
    """
    defaults = {
        "telegram_bot_token": emulator.token,
        "telegram_base_url": emulator.base_url,
        "telegram_base_file_url": emulator.base_file_url,
        "database_url": database_url,
        "web_port": 0,
        "webhook_url": None,  # polling, whatever the environment says
    }
    settings = load_settings(**(defaults | overrides))
    await migrated(database_url)
    application = build_application(
        settings, clock=clock, rate_limiter=rate_limiter, freeze_gc=freeze_gc
    )
    if poll or settings.webhook_url:
        # settle() waits while any bot that gets updates is still handling one.
        processor, others_busy = application.update_processor, emulator.client_busy
        emulator.client_busy = lambda: (
            others_busy()
            or processor.current_concurrent_updates > 0
            or not application.update_queue.empty()
        )
    if settings.webhook_url:
        return await _serve_webhook(RunningBot(application, emulator, clock, settings))
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    if not poll:
        return RunningBot(application, emulator, clock, settings)
    await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=1)
    return RunningBot(application, emulator, clock, settings)


async def _serve_webhook(running: RunningBot) -> RunningBot:
    """Run `run_webhook` in a task until the webhook is set (or it failed: raise that)."""
    running.stop = asyncio.Event()
    running.serving = asyncio.create_task(run_webhook(running.application, running.stop))
    emulator = running.emulator
    webhook_set = asyncio.ensure_future(emulator.wait_for(lambda: emulator.webhook is not None))
    done, _ = await asyncio.wait(
        {webhook_set, running.serving}, return_when=asyncio.FIRST_COMPLETED
    )
    if running.serving in done:
        webhook_set.cancel()
        running.serving.result()  # raises what stopped it
        raise AssertionError("run_webhook ended before setting the webhook")
    return running


async def stop_bot(running: RunningBot) -> None:
    """Stop polling, jobs and the application, as run_polling does on SIGTERM."""
    if running.serving is not None and running.stop is not None:
        running.stop.set()
        await running.serving
        return
    await stop_application(running.application)


BotFactory = Callable[..., Awaitable[RunningBot]]


@pytest.fixture
async def bot_factory(
    emulator: BotApiEmulator, database_url: str, clock: FakeClock
) -> AsyncIterator[BotFactory]:
    """Start bots (e.g. a second one after a 'restart') on one emulator and database."""
    started: list[RunningBot] = []

    async def make(**overrides: Any) -> RunningBot:
        running = await start_bot(emulator, database_url, clock, **overrides)
        started.append(running)
        return running

    yield make
    for running in started:
        await stop_bot(running)


@pytest.fixture
async def bot(bot_factory: BotFactory) -> RunningBot:
    """A running bot with default settings."""
    return await bot_factory()


# A module's world sends hundreds of replies into one group: its rate windows (the bot's and
# the emulator's) run on a clock this many times faster than real time, so they still
# apply, in the same order, but 20 messages per minute per group take 0.6 s, not a minute.
SPEEDUP = 100.0


def fast_monotonic() -> float:
    """The rate windows' clock in module worlds."""
    return time.monotonic() * SPEEDUP


@dataclass
class ModuleEnv:
    """One emulator and one database for a whole test module (on one backend): building a
    world once and running many short cases in it keeps the suite fast."""

    emulator: BotApiEmulator
    database_url: str
    clock: FakeClock
    started: list[RunningBot]

    async def start(self, **overrides: Any) -> RunningBot:
        """Start the module's bot (stopped when the module is done), its rate limiter on the
        fast clock."""
        limiter = ChatRateLimiter.sped_up(SPEEDUP)
        running = await start_bot(
            self.emulator, self.database_url, self.clock, rate_limiter=limiter, **overrides
        )
        self.started.append(running)
        return running


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=BACKENDS)
async def module_env(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[ModuleEnv]:
    """An emulator and an empty database on each backend, shared by a module's tests; their
    tests need `pytestmark = pytest.mark.asyncio(loop_scope="module")`."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'bot.db'}"
    else:
        await empty_postgres(POSTGRES_URL)  # the module's bots migrate it
        url = POSTGRES_URL
    emu = BotApiEmulator(clock=fast_monotonic, callback_query_ttl=15.0 * SPEEDUP)
    await emu.start()
    # Thursday 2026-11-26 10:00 in Beijing, as the `clock` fixture.
    env = ModuleEnv(emu, url, FakeClock(datetime(2026, 11, 26, 2, 0, tzinfo=UTC)), [])
    try:
        yield env
    finally:
        for running in env.started:
            await stop_bot(running)
        await emu.stop()
    fail_on_violations(emu)
