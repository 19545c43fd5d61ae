"""One process: the Bot API emulator, the real bot pointed at it, the demo county, the page.

The bot is the same Application `python -m bot run` builds (bot.app.build_application), on
a TravelClock the page moves forward. The emulator's server holds the page; the bot's own HTTP
door listens on a second, free port and is the sandbox's PUBLIC_URL, so /dashboard's button
opens the real Mini App, signed for the person chosen on the page (`Sandbox.mini_app_url`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import socket
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bot.app import ALLOWED_UPDATES, build_application, stop_application
from bot.cli.checks import StartupError
from bot.config import Settings, is_loopback, load_settings
from bot.context import AppApplication, Runtime
from bot.core.clock import TravelClock
from bot.core.webapp_auth import init_data_for
from bot.ratelimit import ChatRateLimiter
from emulator.emulator import BotApiEmulator
from emulator.ratelimit import RateLimits
from sandbox import county as demo
from storage.migrate import upgrade

log = logging.getLogger(__name__)

DEFAULT_DB = Path("data/sandbox.db")
TOKEN = "7000000001:SANDBOX-demo-token"
# How far 到下一个提醒 lands past the due time: the sweep sends what is due at or before now.
PAST_DUE = timedelta(seconds=1)
ID_EPOCH = 1767225600  # 2026-01-01 UTC
# Telegram's light theme, as a client hands it to a Mini App (tgWebAppThemeParams).
THEME = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#999999",
    "link_color": "#2481cc",
    "button_color": "#2481cc",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#efeff3",
}


@dataclass
class Sandbox:
    """What the page drives: the emulator (acting as users), the bot, the clock."""

    emulator: BotApiEmulator
    application: AppApplication
    clock: TravelClock
    county: demo.County
    settings: Settings

    @property
    def runtime(self) -> Runtime:
        """The bot's long-lived parts (services, sweeper)."""
        runtime = self.application.bot_data.runtime
        assert runtime is not None
        return runtime

    def mini_app_url(self, user_id: int, first_name: str, url: str) -> str:
        """The address a Telegram client opens for a Web App button: the bot's page with
        initData signed for the user (now, on the bot's clock) and the theme in the fragment.
        Only the bot's own pages: initData is never handed to another site."""
        public = self.settings.public_url
        if public is None or not url.startswith(f"{public}/"):
            raise ValueError("这个按钮不是本机器人的小程序（Web App）")
        token = self.settings.require_token()
        fragment = urlencode(
            {
                "tgWebAppData": init_data_for(user_id, first_name, token, self.clock.now()),
                "tgWebAppVersion": "8.0",
                "tgWebAppPlatform": "weba",
                "tgWebAppThemeParams": json.dumps(THEME),
            }
        )
        return f"{url.split('#', 1)[0]}#{fragment}"

    async def travel(self, what: str) -> timedelta:
        """Move the bot's clock: "hour", "day" or "next" (to the next delivery due); run
        every repeating job once and wake the sweep, so whatever fell due goes out now.
        Returns how far the clock moved."""
        if what == "hour":
            delta = timedelta(hours=1)
        elif what == "day":
            delta = timedelta(days=1)
        elif what == "next":
            seconds = await self.runtime.services.outbox.seconds_to_next_due()
            delta = timedelta() if seconds is None else timedelta(seconds=max(seconds, 0.0))
            delta += PAST_DUE if seconds is not None else timedelta()
        else:
            raise ValueError(f"unknown jump {what!r}: hour, day or next")
        self.clock.advance(delta)
        assert self.application.job_queue is not None
        for job in self.application.job_queue.jobs():
            try:
                await job.run(self.application)
            except Exception:  # a job's failure is its own log line, never the page's
                log.exception("job %s failed after time travel", job.name)
        self.runtime.sweeper.wake()
        return delta


def _continue_message_ids(emu: BotApiEmulator, county: demo.County) -> None:
    """After a restart the kept database still names messages of the last run (a notice the
    bot edits when someone answers): new messages get ids none of them had, growing with the
    real time (10 a second since 2026, far more than a chat gets, within 32 bits for years)."""
    for user in county.users.values():
        emu.private_chat(user)
    first = max(int((time.time() - ID_EPOCH) * 10), 1)
    for chat in emu.world.chats.values():
        chat.next_message_id = max(chat.next_message_id, first)


def free_port(host: str) -> int:
    """A port free on `host` now (the bot's door takes it a moment later)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def browser_host(host: str) -> str:
    """The address a browser on this machine uses for a server listening on `host`."""
    return "127.0.0.1" if host in ("0.0.0.0", "localhost", "") else host


def prepare_file(path: Path, reset: bool) -> bool:
    """Delete the sandbox's database on --reset, make its folder; True when it is new."""
    if reset:
        path.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return not path.exists()


def database_url(path: Path) -> str:
    """The SQLite URL of the sandbox's own file."""
    return f"sqlite+aiosqlite:///{path}"


# Time travel squeezes days into minutes, and the demo's set-up alone fills a group's
# 20-a-minute budget: paced in real time, the page would hold replies back for up to a minute.
# The sandbox's bot paces on a clock this much faster, and its emulator enforces no budget.
PACING_SPEEDUP = 60.0
NO_BUDGETS = RateLimits(global_per_second=None, group_per_minute=None)


async def start(
    *,
    host: str,
    port: int,
    db_path: Path,
    reset: bool,
    routes: Callable[[web.Application, Callable[[], Sandbox]], None],
) -> tuple[Sandbox, Callable[[], Any]]:
    """Start everything; return the sandbox and the coroutine function that stops it."""
    fresh = await asyncio.to_thread(prepare_file, db_path, reset)
    clock = TravelClock()
    holder: list[Sandbox] = []
    emu = BotApiEmulator(
        TOKEN,
        host=host,
        port=port,
        wall_clock=lambda: clock.now().timestamp(),
        spec_required=False,  # checks when the spec is there; violations go to the page
        extra_routes=lambda app: routes(app, lambda: holder[0]),
        callback_query_ttl=3600.0,  # a person reads before pressing; no test hurries them
        rate_limits=NO_BUDGETS,
    )
    county = demo.build_world(emu)
    try:
        await emu.start()
    except OSError as exc:
        raise StartupError(
            f"The sandbox cannot listen on {host}:{port} ({exc.strerror or exc}); choose "
            "another port with --port (or SANDBOX_PORT for make run)"
        ) from None
    url = database_url(db_path)
    door = free_port(host)
    # Telegram needs https for a Mini App; http is accepted for this machine only.
    public = browser_host(host)
    settings = load_settings(
        telegram_bot_token=emu.token,
        telegram_base_url=emu.base_url,
        telegram_base_file_url=emu.base_file_url,
        database_url=url,
        superadmin_ids=str(county.admin.id),
        web_host=host,
        web_port=door,
        public_url=f"http://{public}:{door}" if is_loopback(public) else None,
        webhook_url=None,
    )
    await upgrade(url)
    application = build_application(
        settings, clock=clock, rate_limiter=ChatRateLimiter.sped_up(PACING_SPEEDUP)
    )
    sandbox = Sandbox(emu, application, clock, county, settings)
    holder.append(sandbox)
    processor = application.update_processor
    emu.client_busy = lambda: (
        processor.current_concurrent_updates > 0 or not application.update_queue.empty()
    )
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=10)
    if fresh:
        log.info("Setting up the demo county (first start)")
        await demo.set_up(emu, county, settings.timezone, clock.now())
    else:
        _continue_message_ids(emu, county)
        for user in county.users.values():
            emu.start_private_chat(user)

    async def stop() -> None:
        await stop_application(application)
        await emu.stop()

    return sandbox, stop


async def serve_forever(
    *,
    host: str,
    port: int,
    db_path: Path,
    reset: bool,
    routes: Callable[[web.Application, Callable[[], Sandbox]], None],
) -> None:
    """Run until SIGINT or SIGTERM; print the page's address when it is ready."""
    sandbox, stop = await start(host=host, port=port, db_path=db_path, reset=reset, routes=routes)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError):
            loop.add_signal_handler(signum, stopping.set)
    shown = browser_host(host)
    print(
        f"Sandbox ready: open http://{shown}:{sandbox.emulator.port}/ "
        f"(demo county, no Telegram needed; data in {db_path})",
        flush=True,
    )
    try:
        await stopping.wait()
    finally:
        await stop()
