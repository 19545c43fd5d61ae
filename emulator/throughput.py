"""Measure the emulator's own overhead: python -m emulator.throughput [--updates N].

Runs a real PTB Application that answers every message, feeds it N group messages and
reports updates handled per second, plus raw sendMessage calls per second.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from telegram import Bot, Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from .emulator import BotApiEmulator
from .ratelimit import RateLimits

_NO_LIMITS = RateLimits(global_per_second=None, group_per_minute=None)


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text("收到")


async def measure_round_trips(count: int, check_results: bool) -> float:
    """Updates per second through Application -> handler -> sendMessage -> emulator."""
    async with BotApiEmulator(
        rate_limits=_NO_LIMITS, privacy_mode=False, check_results=check_results
    ) as emu:
        app = Application.builder().token(emu.token).base_url(emu.base_url).build()
        app.add_handler(MessageHandler(filters.TEXT, _echo))
        user = emu.add_user("党员")
        groups = [emu.add_group(f"支部{i}", [user], with_bot=True) for i in range(50)]
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(timeout=1)
            started = time.perf_counter()
            for i in range(count):
                emu.send_text(groups[i % len(groups)], user, f"消息 {i}")
            await emu.wait_for(lambda: len(emu.sent) >= count, timeout=120)
            elapsed = time.perf_counter() - started
            await app.updater.stop()
            await app.stop()
        return count / elapsed


async def measure_sends(count: int) -> float:
    """Sequential sendMessage calls per second from a bare PTB Bot."""
    async with BotApiEmulator(rate_limits=_NO_LIMITS) as emu:
        user = emu.add_user("党员")
        emu.start_private_chat(user)
        async with Bot(emu.token, base_url=emu.base_url) as bot:
            started = time.perf_counter()
            for i in range(count):
                await bot.send_message(user.id, f"通知 {i}")
            return count / (time.perf_counter() - started)


def main() -> None:
    """Print both measurements."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=2000)
    args = parser.parse_args()
    for check in (True, False):
        rate = asyncio.run(measure_round_trips(args.updates, check))
        print(f"round trips (result self-check {'on' if check else 'off'}): {rate:.0f} updates/s")
    print(f"bare sendMessage: {asyncio.run(measure_sends(args.updates)):.0f} calls/s")


if __name__ == "__main__":
    main()
