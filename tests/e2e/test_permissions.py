"""Issue 9: the permission matrix, generated from the command registry and the buttons.

Every manager command of bot/commands.py and every manager button is tried by four callers
(tests/e2e/permission_world.py) with valid arguments, so that only the permission decides.
A refused caller gets the Chinese refusal alone and the database stays exactly as it was;
an allowed one gets the command done. The expectations are in permission_cases.py and
permission_buttons.py: a command added to the registry, a /study or /faq verb, or a button
pattern without a row there fails here. This module tries the plain member and the other
organisation's admin; test_permissions_above.py the 书记 above and a superadmin (the matrix is
split so that two workers run it side by side).
"""

from __future__ import annotations

import re

import pytest
from telegram.ext import CallbackQueryHandler

from tests.e2e.permission_buttons import BUTTON_CASES, MEMBER_BUTTONS
from tests.e2e.permission_cases import COMMAND_CASES, Case
from tests.e2e.permission_matrix import (
    MANAGER_COMMANDS,
    check_permission,
    matrix,
    verbs_of,
    world,
)
from tests.e2e.permission_world import Caller, World

pytestmark = pytest.mark.asyncio(loop_scope="module")

__all__ = ["world"]  # the module's fixture


async def test_every_manager_command_and_verb_has_a_row() -> None:
    names = {c.name for c in MANAGER_COMMANDS}
    assert set(COMMAND_CASES) == names, "rows and registry differ"
    for command in MANAGER_COMMANDS:
        verbs = {case.verb for case in COMMAND_CASES[command.name]}
        assert verbs_of(command.args) <= verbs, f"/{command.name}: verbs without a row"


async def test_every_button_has_a_row(world: World) -> None:
    """Each callback pattern the bot registers is in the matrix or pressed by anyone."""
    registered = {
        handler.pattern.pattern
        for handlers in world.bot.application.handlers.values()
        for handler in handlers
        if isinstance(handler, CallbackQueryHandler) and isinstance(handler.pattern, re.Pattern)
    }
    assert registered == set(BUTTON_CASES) | MEMBER_BUTTONS


@pytest.mark.parametrize(("case", "caller"), matrix((Caller.MEMBER, Caller.STRANGER)))
async def test_permission(world: World, case: Case | None, caller: Caller) -> None:
    await check_permission(world, case, caller)


# What /help shows and what the matrix allows disagree here; each is flagged in the report
# of issue 9. Fix one, and this test asks for the pair to be taken out.
HELP_DISAGREES = {
    # Listed (level MANAGER) but refused: only the group's Telegram admins (un)bind.
    (Caller.PARENT, "bind"),
    (Caller.PARENT, "unbind"),
}


async def test_help_lists_what_each_caller_may_do_in_the_group(world: World) -> None:
    disagree = set()
    for caller, user in world.callers.items():
        (listing,) = await world.command(world.group, user, "/help")
        listed = set(re.findall(r"^/(\w+)", listing, re.MULTILINE))
        for command in MANAGER_COMMANDS:
            in_group = [c for c in COMMAND_CASES[command.name] if "(private)" not in c.label]
            allowed = any(caller in case.allowed for case in in_group)
            if allowed != (command.name in listed):
                disagree.add((caller, command.name))
    assert disagree == HELP_DISAGREES
