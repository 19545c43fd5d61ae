"""Broadcast throughput against the Bot API emulator, which enforces Telegram's limits.

The real application (build_application, real clock, SQLite file) runs against a
real-time emulator with Telegram's flood limits (30 messages/s overall over a sliding
second, 20/min per group). A county committee's manager broadcasts to GROUPS branch
groups through the real /broadcast flow; meanwhile a member of another group sends a
command every 2 s. Printed: copies per second (first to last copy), every message the bot
sent in that time (copies, the command replies, the progress edits: one budget), the most
in any sliding second, the number of 429 answers, and the reply latency of those commands
(/ask when it exists, else /help).

The database is a temporary SQLite file, or DATABASE_URL from the environment (not from
.env, so a production database is never used by accident); it must be empty.

Reproduce: .venv/bin/python bench/broadcast.py [--groups 500]
           DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench .venv/bin/python \
               bench/broadcast.py --groups 500
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import logging
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select
from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application, stop_application
from bot.commands import COMMANDS
from bot.config import ConfigError, check_database_url, load_settings, redact_url
from bot.core.clock import SystemClock
from bot.core.domain import Domain, OrgKind
from bot.ratelimit import counts_as_message
from emulator.emulator import BotApiEmulator
from emulator.world import Chat, User
from storage.migrate import upgrade
from storage.models import Organisation
from storage.repositories import ChatRepo, OrganisationRepo

TEXT = "【通知】请各支部本周五前组织学习《中国共产党纪律处分条例》。"


async def start(
    emu: BotApiEmulator, database_url: str
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Migrate, build and start the bot the way `python -m bot run` does (polling)."""
    settings = load_settings(
        telegram_bot_token=emu.token,
        telegram_base_url=emu.base_url,
        telegram_base_file_url=emu.base_file_url,
        database_url=database_url,
        telegram_proxy=None,  # the emulator is local, whatever .env says
        log_level="WARNING",
    )
    await upgrade(database_url)
    application = build_application(settings, clock=SystemClock())
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=1)
    return application


def database_url(folder: str) -> str:
    """DATABASE_URL from the environment when set, else a SQLite file in `folder`."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite+aiosqlite:///{folder}/bench.db"
    try:
        return check_database_url(url)
    except ValueError as exc:
        raise ConfigError(f"DATABASE_URL is invalid: {exc}") from None


async def require_empty(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Refuse a database that already has organisations: the county below would collide."""
    async with application.bot_data.runtime.database.sessions.begin() as session:
        count = await session.scalar(select(func.count()).select_from(Organisation))
    if count:
        url = redact_url(application.bot_data.runtime.settings.database_url)
        raise ConfigError(
            f"the benchmark needs an empty database; {url} has {count} organisations"
        )


async def county(
    application: Application[Any, Any, Any, Any, Any, Any], emu: BotApiEmulator, groups: int
) -> tuple[Chat, User]:
    """A county committee group with its admin, and `groups` branch groups below it."""
    admin = emu.add_user("县委组织部")
    top = emu.add_group("县委群", members=[admin], admins=[admin], bot_admin=True)
    branches = [emu.add_group(f"第{n}支部群", with_bot=True) for n in range(groups)]
    now = SystemClock().now()
    async with application.bot_data.runtime.database.transaction() as session:
        orgs, chats = OrganisationRepo(session), ChatRepo(session)
        parent = await orgs.create(
            name="某县委", kind=OrgKind.COMMITTEE, domain=Domain.ORGAN, now=now
        )
        await chats.upsert(top.id, title=top.title or "", type_="group", now=now)
        await chats.bind(top.id, parent.id, now)
        for n, chat in enumerate(branches):
            org = await orgs.create(
                name=f"第{n}党支部",
                kind=OrgKind.BRANCH,
                domain=Domain.RURAL,
                now=now,
                parent_id=parent.id,
            )
            await chats.upsert(chat.id, title=chat.title or "", type_="group", now=now)
            await chats.bind(chat.id, org.id, now)
    return top, admin


async def confirm_broadcast(emu: BotApiEmulator, top: Chat, admin: User) -> int:
    """The manager's real /broadcast: reply to a message, 下级组织, 确认发送."""
    source = emu.send_text(top, admin, TEXT)
    emu.send_text(top, admin, "/broadcast", reply_to=source)
    prompt = await emu.wait_for_bot_message(top, contains="发给哪些群")
    emu.press_button(top, admin, prompt["message_id"], text="下级组织")
    await emu.wait_for(lambda: "确认" in emu.message(top, prompt["message_id"])["text"])
    emu.press_button(top, admin, prompt["message_id"], text="确认发送")
    return int(prompt["message_id"])


async def probe(emu: BotApiEmulator, chat: Chat, user: User, command: str) -> float:
    """Seconds from a member's command to the bot's reply in that chat."""
    began = time.perf_counter()
    emu.send_text(chat, user, command)
    await emu.wait_for_bot_message(chat, timeout=30)
    return time.perf_counter() - began


def copy_times(emu: BotApiEmulator) -> int:
    """Copies Telegram accepted so far."""
    return sum(1 for r in emu.requests_for("copyMessage") if r.status == 200)


async def run(groups: int) -> None:
    """Set up, broadcast, probe, print."""
    with tempfile.TemporaryDirectory() as folder:
        url = database_url(folder)
        print(f"database: {redact_url(url)}", flush=True)
        emu = BotApiEmulator(check_results=False)
        await emu.start()
        application = await start(emu, url)
        try:
            await require_empty(application)
            top, admin = await county(application, emu, groups)
            member = emu.add_user("党员")
            other = emu.add_group("另一个群", members=[member], with_bot=True)
            command = "/ask 党费怎么交" if any(c.name == "ask" for c in COMMANDS) else "/help"
            await probe(emu, other, member, command)  # warm up
            accepted: list[float] = []
            control = await confirm_broadcast(emu, top, admin)
            latencies = []
            watcher = asyncio.create_task(_watch(emu, groups, accepted))
            while not watcher.done():
                await asyncio.sleep(2)
                if not watcher.done():
                    latencies.append(await probe(emu, other, member, command))
            await watcher
            report = await emu.wait_for(
                lambda: (
                    "群发完成" in emu.message(top, control)["text"]
                    and emu.message(top, control)["text"]
                ),
                timeout=30,
            )
        finally:
            await stop_application(application)
            await emu.stop()
    rate = (len(accepted) - 1) / (accepted[-1] - accepted[0])
    print(f"groups: {groups}; copies accepted: {len(accepted)}")
    print(f"throughput: {rate:.1f} messages/s (first to last copy; Telegram allows 30)")
    print(budget(emu))
    print(f"429 responses: {emu.stats.rate_limited}")
    probes = f"{command.split()[0]} reply latency mid-broadcast ({len(latencies)} probes)"
    if latencies:  # one probe every 2 s: a small broadcast may end before the first
        median, worst = statistics.median(latencies) * 1000, max(latencies) * 1000
        print(f"{probes}: median {median:.0f} ms, max {worst:.0f} ms")
    else:
        print(f"{probes}: none, the broadcast took under 2 s")
    print(f"report: {report.splitlines()[0]}")


def budget(emu: BotApiEmulator) -> str:
    """Every accepted message from the first copy to the last, by kind, on the emulator's clock."""
    copies = [r.at for r in emu.requests if r.method == "copyMessage" and r.status == 200]
    first, last = copies[0], copies[-1]
    sent = [
        r
        for r in emu.requests
        if counts_as_message(r.method) and r.status == 200 and first <= r.at <= last
    ]
    kinds = Counter(r.method for r in sent)
    times = [r.at for r in sent]
    most = max(bisect.bisect_left(times, t + 1.0) - n for n, t in enumerate(times))
    listing = ", ".join(f"{method} {count}" for method, count in kinds.most_common())
    return (
        f"all messages in that time: {(len(sent) - 1) / (last - first):.1f}/s ({listing}); "
        f"most in any sliding second: {most}"
    )


async def _watch(emu: BotApiEmulator, groups: int, accepted: list[float]) -> None:
    """Note the time each copy is accepted, until all are."""
    seen = 0
    while seen < groups:
        await emu.wait_for(lambda done=seen: copy_times(emu) > done or None, timeout=120)
        now = time.perf_counter()
        count = copy_times(emu)
        accepted.extend([now] * (count - seen))
        seen = count


def main() -> None:
    """Parse arguments and run."""
    # The sweep job's "skipped: maximum number of running instances" while one sweep sends
    # the whole broadcast is expected; keep the figures readable.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--groups", type=int, default=500)
    try:
        asyncio.run(run(parser.parse_args().groups))
    except ConfigError as exc:
        sys.exit(f"Configuration error: {exc}")


if __name__ == "__main__":
    main()
