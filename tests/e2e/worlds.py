"""The shapes the end-to-end worlds are built of, so that a world states only what is its own:
people who started the bot, members put on a bound group's roster, organisations placed below
another, and the bot on the fast clock of the module worlds (a bound group itself is
RunningBot.bound_group)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from bot.ratelimit import ChatRateLimiter
from emulator.emulator import BotApiEmulator
from emulator.world import Chat, User
from storage.repositories import OrganisationRepo
from tests.e2e.harness import SPEEDUP, BotFactory, RunningBot, fast_monotonic
from tests.emulator_fixtures import EmulatorFactory


@pytest.fixture
async def fast_emulator(make_emulator: EmulatorFactory) -> BotApiEmulator:
    """The emulator on the fast clock of the module worlds, for tests that say more than 20
    things a minute in one group: Telegram's windows still apply, only sooner. A module
    uses it as its `emulator` (import it under that name)."""
    return await make_emulator(clock=fast_monotonic, callback_query_ttl=15.0 * SPEEDUP)


async def sped_up_bot(bot_factory: BotFactory, **overrides: Any) -> RunningBot:
    """The bot with its rate limiter on the same fast clock as `fast_emulator`."""
    return await bot_factory(rate_limiter=ChatRateLimiter.sped_up(SPEEDUP), **overrides)


async def started(emu: BotApiEmulator, *people: User) -> None:
    """Each person opens a private chat with the bot (it can message them); its /start
    answer is read, out of the way of later waits."""
    for person in people:
        emu.start_private_chat(person)
        await emu.wait_for_bot_message(person)


async def on_roster(
    emu: BotApiEmulator, group: Chat, people: Sequence[User], word: str = "到"
) -> None:
    """Each person writes `word` once in the bound group, which puts them on its roster."""
    for person in people:
        emu.send_text(group, person, word)
    await emu.settle()


async def place_below(bot: RunningBot, parent: str, children: Sequence[str]) -> None:
    """The organisations named `children` are placed below the one named `parent`."""
    async with bot.db() as session:
        orgs = OrganisationRepo(session)
        above = await orgs.by_name(parent)
        assert above is not None
        for name in children:
            child = await orgs.by_name(name)
            assert child is not None
            await orgs.set_parent(child.id, above.id)
