"""A running bot keeps what its start-up made out of the garbage collector's scans (issue 9:
a full collection rescanned ~230,000 long-lived objects with every update waiting)."""

from __future__ import annotations

import gc

from bot.core.clock import FakeClock
from emulator.emulator import BotApiEmulator
from tests.e2e.harness import start_bot, stop_bot


async def test_start_up_objects_are_frozen_while_the_bot_runs(
    emulator: BotApiEmulator, database_url: str, clock: FakeClock
) -> None:
    assert gc.get_freeze_count() == 0
    running = await start_bot(emulator, database_url, clock, freeze_gc=True)
    try:
        assert gc.get_freeze_count() > 100_000
    finally:
        await stop_bot(running)
    assert gc.get_freeze_count() == 0  # nothing stays frozen after the bot (tests, restarts)
