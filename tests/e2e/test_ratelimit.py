"""Issue 9 end to end: a flood of commands in one group does not stall another group.

The bot's limiter and the emulator's flood windows share one virtual clock that moves only
when nothing else happens, so the busy group's four minutes of backlog take seconds, and
the test can hold time still to show what the other group gets meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from bot.core.clock import FakeClock
from bot.ratelimit import GROUP_MESSAGES, GROUP_PERIOD, ChatRateLimiter, counts_as_message
from emulator.emulator import BotApiEmulator
from emulator.server import RequestRecord
from tests.e2e.harness import RunningBot, start_bot, stop_bot
from tests.emulator_fixtures import EmulatorFactory
from tests.virtual_time import VirtualTime, drive_when_quiet

FLOOD = 100


@pytest.fixture
def time() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
async def bot_on_virtual_time(
    make_emulator: EmulatorFactory, database_url: str, clock: FakeClock, time: VirtualTime
) -> AsyncIterator[RunningBot]:
    """The real bot and the emulator on one virtual clock, driven whenever things are quiet."""
    emu = await make_emulator(clock=time.clock)
    limiter = ChatRateLimiter(clock=time.clock, sleep=time.sleep)
    running = await start_bot(emu, database_url, clock, rate_limiter=limiter)
    driver = asyncio.create_task(drive_when_quiet(time, lambda: activity(emu)))
    try:
        yield running
    finally:
        driver.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await driver
        await stop_bot(running)


def activity(emu: BotApiEmulator) -> tuple[int, int]:
    """Requests started and answered so far: unchanged means the bot is waiting."""
    return len(emu.requests), sum(1 for r in emu.requests if r.status is not None)


def messages_to(emu: BotApiEmulator, chat_id: int) -> list[RequestRecord]:
    """Sends and edits Telegram accepted in one chat, in arrival order."""
    return [
        r
        for r in emu.requests
        if counts_as_message(r.method) and r.status == 200 and int(r.params["chat_id"]) == chat_id
    ]


def most_in_any_window(times: list[float], period: float) -> int:
    """The largest number of arrivals in any window (t - period, t]."""
    return max(sum(1 for u in times if t - period < u <= t) for t in times)


async def test_a_flooded_group_waits_alone_and_never_breaks_the_sliding_minute(
    bot_on_virtual_time: RunningBot, time: VirtualTime
) -> None:
    emu = bot_on_virtual_time.emulator
    flooder, neighbour = emu.add_user("刷屏的人"), emu.add_user("隔壁群党员")
    busy = emu.add_group("忙碌的支部群", members=[flooder], with_bot=True)
    calm = emu.add_group("隔壁支部群", members=[neighbour], with_bot=True)

    # Time stands still short of the busy group's next minute: whatever the calm group
    # gets now, it gets without waiting for the busy group's window.
    time.horizon = time.now + GROUP_PERIOD / 2
    for _ in range(FLOOD):
        emu.send_text(busy, flooder, "/help")
    await emu.wait_for(lambda: len(messages_to(emu, busy.id)) == GROUP_MESSAGES, timeout=30)
    # The busy group's minute is spent and 80 commands wait: now the calm group asks.
    emu.send_text(calm, neighbour, "/help")
    await emu.wait_for_bot_message(calm, timeout=10)
    answered_calm = len(emu.requests)
    assert len(messages_to(emu, busy.id)) == GROUP_MESSAGES  # the backlog still waits

    time.horizon = float("inf")
    await emu.wait_for(lambda: len(messages_to(emu, busy.id)) == FLOOD, timeout=60)
    await emu.settle()

    assert emu.stats.rate_limited == 0
    busy_times = [r.at for r in messages_to(emu, busy.id)]
    assert most_in_any_window(busy_times, GROUP_PERIOD) == GROUP_MESSAGES
    assert busy_times[-1] - busy_times[0] >= (FLOOD // GROUP_MESSAGES - 1) * GROUP_PERIOD
    calm_reply = emu.requests.index(messages_to(emu, calm.id)[0])
    first_of_backlog = emu.requests.index(messages_to(emu, busy.id)[GROUP_MESSAGES])
    assert calm_reply < answered_calm <= first_of_backlog
    assert [m["text"].splitlines()[0] for m in emu.bot_messages(calm)] == [
        emu.bot_messages(busy)[0]["text"].splitlines()[0]
    ]
