"""Chaos: two bot processes on one PostgreSQL, killed with SIGKILL again and again while they
send a 500-group broadcast and a storm of 300 meeting reminders.

Each kill picks one of the two `python -m bot run` processes at random, kills it with
SIGKILL (no goodbye: its leases simply stop being renewed) and starts a new one. Printed:
deliveries lost (never sent), messages sent twice (at most one per kill: the message in
flight), and for each kill how long until the rows the dead process held were sent by
someone else (goal ≤ 10 s), with the 429s the emulator answered.

Reproduce (needs PostgreSQL; the database is emptied first):
    DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/chaos \
        .venv/bin/python bench/chaos.py [--kills 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select, text

from bench.reminders import LEAD, reminder_due
from bot.config import redact_url
from bot.core.clock import SystemClock
from bot.services.meeting_plan import MeetingConfig
from emulator.emulator import BotApiEmulator
from storage.db import Database, create_engine
from storage.migrate import upgrade
from storage.models import Delivery
from storage.repositories import DeliveryRepo

ROOT = Path(__file__).resolve().parent.parent
BROADCAST_GROUPS, STORM_GROUPS = 500, 300
TEXT = "【通知】请各支部本周组织学习。"
DONE = ("sent", "failed", "expired", "cancelled")


class Bots:
    """The bot processes: started, killed, started again."""

    def __init__(self, emu: BotApiEmulator, url: str, logs: Path) -> None:
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": emu.token,
            "TELEGRAM_BASE_URL": emu.base_url,
            "TELEGRAM_BASE_FILE_URL": emu.base_file_url,
            "DATABASE_URL": url,
            "LOG_LEVEL": "WARNING",
        }
        self.logs, self.started = logs, 0
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        """One more process of the bot."""
        self.started += 1
        log = (self.logs / f"bot{self.started}.log").open("wb")
        self.running.append(
            subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        )

    def kill(self, pid: int) -> None:
        """SIGKILL the process and start another in its place."""
        victim = next(process for process in self.running if process.pid == pid)
        self.running.remove(victim)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        self.start()

    def stop(self) -> None:
        """End every process."""
        for process in self.running:
            process.terminate()
        for process in self.running:
            process.wait(timeout=20)


async def prepare(database: Database, emu: BotApiEmulator) -> None:
    """The broadcast's copies (due now) and the meetings whose reminders fall due together."""
    now = SystemClock().now()
    admin = emu.add_user("县委组织部")
    source_group = emu.add_group("县委群", members=[admin], with_bot=True)
    source = emu.send_text(source_group, admin, TEXT)
    payload = {"from_chat_id": source_group.id, "message_id": source["message_id"]}
    config = MeetingConfig(tz=ZoneInfo("Asia/Shanghai"), offsets=(timedelta(hours=1),))
    async with database.sessions.begin() as session:
        deliveries = DeliveryRepo(session)
        for n in range(BROADCAST_GROUPS):
            group = emu.add_group(f"群{n}", with_bot=True)
            await deliveries.enqueue(
                key=f"broadcast:0:{group.id}",
                kind="broadcast",
                chat_id=group.id,
                due_at=now,
                now=now,
                payload=payload,
            )
        due = now + LEAD
        for n in range(STORM_GROUPS):
            await reminder_due(session, emu.add_group(f"支部{n}", with_bot=True), n, due, config)


async def sending(database: Database, pids: list[int]) -> dict[int, list[int]]:
    """The rows each of these processes is sending now, by pid (those sending nothing left out)."""
    async with database.sessions.begin() as session:
        rows = await session.execute(
            select(Delivery.id, Delivery.claimed_by).where(Delivery.status == "sending")
        )
        held: dict[int, list[int]] = {}
        for row_id, owner in rows:
            pid = int(str(owner).split(":")[-2])
            if pid in pids:
                held.setdefault(pid, []).append(row_id)
        return held


async def finished(database: Database, ids: list[int]) -> int:
    """How many of the rows are finished (by whoever took them over)."""
    async with database.sessions.begin() as session:
        rows = await session.scalars(select(Delivery.status).where(Delivery.id.in_(ids)))
        return sum(1 for status in rows if status in DONE)


async def unfinished(database: Database) -> int:
    """Deliveries due by now and not yet sent, failed or expired."""
    async with database.sessions.begin() as session:
        rows = await session.scalars(
            select(Delivery.status).where(Delivery.due_at <= SystemClock().now())
        )
        return sum(1 for status in rows if status not in DONE)


async def run(kills: int) -> None:
    """Prepare, run two processes, kill them, wait for the end, print."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        print("chaos: skipped, it needs DATABASE_URL=postgresql+asyncpg://… (it is emptied)")
        return
    print(f"database: {redact_url(url)}", flush=True)
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    await upgrade(url)
    database = Database(create_engine(url))
    emu = BotApiEmulator(check_results=False)
    await emu.start()
    await prepare(database, emu)
    with tempfile.TemporaryDirectory() as folder:
        bots = Bots(emu, url, Path(folder))
        bots.start()
        bots.start()
        resumed: list[tuple[float, float]] = []
        watchers = []
        try:
            for _ in range(kills):
                await asyncio.sleep(random.uniform(0.5, 1.5))
                # A random process among those sending at this moment (a kill mid-send).
                busy = await sending(database, [process.pid for process in bots.running])
                while not busy and await unfinished(database):
                    await asyncio.sleep(0.1)
                    busy = await sending(database, [process.pid for process in bots.running])
                if not busy:
                    break  # all sent: nothing left to interrupt
                pid = random.choice(sorted(busy))
                bots.kill(pid)
                held, killed_at = busy[pid], time.monotonic()
                watchers.append(asyncio.create_task(_resumed(database, held, killed_at, resumed)))
            deadline = time.monotonic() + 180
            # Polling: the processes that write the database are others.
            while await unfinished(database) and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(1)
            await asyncio.gather(*watchers)
        finally:
            bots.stop()
    report(emu, await unfinished(database), kills, resumed)
    await database.dispose()
    await emu.stop()


async def _resumed(
    database: Database, held: list[int], killed_at: float, out: list[tuple[float, float]]
) -> None:
    """When the first, and when the last, of a dead process's rows was sent by another."""
    first = None
    while (done := await finished(database, held)) < len(held):
        if done and first is None:
            first = time.monotonic() - killed_at
        await asyncio.sleep(0.1)
    last = time.monotonic() - killed_at
    out.append((first if first is not None else last, last))


def report(emu: BotApiEmulator, lost: int, kills: int, resumed: list[tuple[float, float]]) -> None:
    """Print the figures."""
    copies = Counter(
        r.get("chat_id") for r in emu.requests if r.method == "copyMessage" and r.status == 200
    )
    reminders = Counter(
        r.get("chat_id")
        for r in emu.requests
        if r.method == "sendMessage"
        and r.status == 200
        and "会议提醒" in str(r.params.get("text"))
    )
    repeats = sum(n - 1 for n in copies.values()) + sum(n - 1 for n in reminders.values())
    missing = BROADCAST_GROUPS - len(copies) + STORM_GROUPS - len(reminders)
    print(
        f"kills: {kills}; broadcast copies in {len(copies)}/{BROADCAST_GROUPS} groups; "
        f"reminders in {len(reminders)}/{STORM_GROUPS} groups"
    )
    print(f"lost (never sent): {missing}; deliveries left unfinished: {lost}")
    print(f"sent twice: {repeats} (at most one per kill: ≤ {kills})")
    if resumed:
        firsts, lasts = sorted(f for f, _ in resumed), sorted(last for _, last in resumed)
        print(
            f"kills mid-send: {len(resumed)}; the dead process's rows taken over after "
            f"median {firsts[len(firsts) // 2]:.1f} s, max {firsts[-1]:.1f} s (goal ≤ 10 s); "
            f"all of them sent after median {lasts[len(lasts) // 2]:.1f} s, max {lasts[-1]:.1f} s"
        )
    print(f"429 responses: {emu.stats.rate_limited}")


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=20)
    asyncio.run(run(parser.parse_args().kills))


if __name__ == "__main__":
    main()
