"""A home branch (tests/e2e/meetings_world.py) and a 流动党员党支部 group where one of its
members, 张三, takes part while away."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.world import Chat, User
from storage.repositories import OrganisationRepo
from tests.e2e.meetings_world import Branch, make_branch
from tests.e2e.worlds import on_roster, started

FLOATING_ORG = "东莞流动党员党支部"


@dataclass
class FloatingWorld:
    """The home branch, the floating members' group and its secretary."""

    home: Branch
    group: Chat
    secretary: User

    async def say(self, user: User, text: str) -> str:
        """`user` writes in the floating members' group; the bot's reply."""
        return await self.home.bot.say(self.group, user, text)


async def make_world(branch: Branch | None = None, *, bot: object = None) -> FloatingWorld:
    """The branch (made when not given) and a bound 流动党员党支部 group with 张三 in it."""
    home = branch if branch is not None else await make_branch(bot)  # type: ignore[arg-type]
    emu = home.bot.emulator
    secretary = emu.add_user("流动书记", username="liudong")
    await started(emu, secretary)
    group = await home.bot.bound_group("东莞流动党员群", FLOATING_ORG, secretary, [home.zhang])
    async with home.bot.db() as session:
        org = await OrganisationRepo(session).by_name(FLOATING_ORG)
        assert org is not None
        await OrganisationRepo(session).update(org.id, floating=True)
    await on_roster(emu, group, [home.zhang], "报到")
    return FloatingWorld(home, group, secretary)
