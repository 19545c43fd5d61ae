"""One busy group against another group's replies (issue 9), on Telegram's real limits.

The real application (build_application, real clock, SQLite file) runs against a
real-time emulator with Telegram's flood limits. A member floods one group with COMMANDS
/help commands over 10 s; meanwhile a member of another group sends /help every 2 s for
SECONDS seconds. Printed: the other group's reply latency, the number of 429 answers, and
the busy group's replies (the most in any sliding minute must stay at 20). The busy group's
backlog is left unsent: asyncio.run cancels it at the end.

Reproduce: .venv/bin/python bench/busy_group.py [--commands 200] [--seconds 40]
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import logging
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.broadcast import start
from bot.ratelimit import counts_as_message
from emulator.emulator import BotApiEmulator
from emulator.world import Chat, User

FLOOD_SECONDS = 10
PROBE_EVERY = 2.0


async def flood(emu: BotApiEmulator, group: Chat, user: User, commands: int) -> None:
    """`commands` /help commands, evenly over FLOOD_SECONDS."""
    for _ in range(commands):
        emu.send_text(group, user, "/help")
        await asyncio.sleep(FLOOD_SECONDS / commands)


async def probe(emu: BotApiEmulator, group: Chat, user: User, seconds: float) -> list[float]:
    """Reply latencies of a /help every PROBE_EVERY s; a reply later than 60 s counts as 60."""
    latencies = []
    ends = time.perf_counter() + seconds
    while time.perf_counter() < ends:
        began = time.perf_counter()
        emu.send_text(group, user, "/help")
        with contextlib.suppress(TimeoutError):
            await emu.wait_for_bot_message(group, timeout=60)
        latencies.append(time.perf_counter() - began)
        await asyncio.sleep(max(0.0, PROBE_EVERY - latencies[-1]))
    return latencies


def busy_replies(emu: BotApiEmulator, group: Chat) -> tuple[int, int]:
    """Replies Telegram accepted in the group, and the most in any sliding minute."""
    times = [
        r.at
        for r in emu.requests
        if counts_as_message(r.method)
        and r.status == 200
        and int(r.params.get("chat_id", 0)) == group.id
    ]
    most = max((bisect.bisect_left(times, t + 60.0) - n for n, t in enumerate(times)), default=0)
    return len(times), most


async def run(commands: int, seconds: float) -> None:
    """Set up, flood, probe, print; the backlog is cancelled by asyncio.run."""
    folder = tempfile.mkdtemp()
    emu = BotApiEmulator(check_results=False)
    await emu.start()
    await start(emu, f"sqlite+aiosqlite:///{folder}/bench.db")
    flooder, member = emu.add_user("刷屏的人"), emu.add_user("隔壁群党员")
    busy = emu.add_group("忙碌的支部群", members=[flooder], with_bot=True)
    calm = emu.add_group("隔壁支部群", members=[member], with_bot=True)
    flooding = asyncio.create_task(flood(emu, busy, flooder, commands))
    latencies = await probe(emu, calm, member, seconds)
    await flooding
    sent, most = busy_replies(emu, busy)
    print(f"busy group: {commands} /help in {FLOOD_SECONDS} s; other group: /help every 2 s")
    print(
        f"other group's reply latency ({len(latencies)} probes): "
        f"median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies):.1f} s"
    )
    print(f"429 responses: {emu.stats.rate_limited}")
    print(f"busy group replies in {seconds:.0f} s: {sent}; most in any sliding minute: {most}")


def main() -> None:
    """Parse arguments and run."""
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    # The cancelled backlog and the rate limiter's 429 retries are expected; keep it readable.
    logging.getLogger("telegram").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message="coroutine .* was never awaited")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=40)
    arguments = parser.parse_args()
    asyncio.run(run(arguments.commands, arguments.seconds))


if __name__ == "__main__":
    main()
