"""The permission matrix of issue 9: what tests/e2e/test_permissions*.py share.

The matrix is split by caller over two test modules so that the suite's workers (one module
each) run it side by side: it is the suite's longest module otherwise.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot import texts
from bot.commands import COMMANDS, Who
from tests.e2e.harness import ModuleEnv
from tests.e2e.permission_buttons import BUTTON_CASES
from tests.e2e.permission_cases import COMMAND_CASES, Case
from tests.e2e.permission_world import Caller, World, build_world

# Managers' commands, and commands with sub-commands (anyone lists /study; its verbs are the
# managers').
MANAGER_COMMANDS = [c for c in COMMANDS if c.who is not Who.EVERYONE or "/" in c.args]


def verbs_of(args: str) -> set[str]:
    """The sub-commands a registry entry lists (`[template/add/edit/delete]`), if any."""
    words = args.strip("[]").split("/")
    return set(words) if len(words) > 1 and all(w.isascii() for w in words) else set()


def matrix(callers: tuple[Caller, ...]) -> list[object]:
    """(case, caller) for every row and each of `callers`; a registry command without a row is
    a failing case."""
    params: list[object] = []
    for command in MANAGER_COMMANDS:
        for case in COMMAND_CASES.get(command.name, [None]):  # type: ignore[list-item]
            label = case.label if case else f"/{command.name} (no row)"
            params += [pytest.param(case, caller, id=f"{label}-{caller}") for caller in callers]
    for cases in BUTTON_CASES.values():
        params += [
            pytest.param(case, caller, id=f"button {case.label}-{caller}")
            for case in cases
            for caller in callers
        ]
    return params


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(module_env: ModuleEnv) -> AsyncIterator[World]:
    """The county, built once per backend."""
    yield await build_world(module_env)


async def check_permission(world: World, case: Case | None, caller: Caller) -> None:
    """Try one row as one caller: refused with the database unchanged, or done."""
    assert case is not None, "a manager command of the registry has no row in permission_cases"
    user = world.callers[caller]
    allowed = caller in case.allowed
    action = await case.arrange(world, user)
    looks = not allowed or case.writes  # whether the database is compared
    before = await world.snapshot() if looks else {}
    try:
        # An empty button answer shows the user nothing (buttons that build files answer first).
        said = [text for text in await action() if text]
        after = await world.snapshot() if looks else {}
    finally:
        while world.undo:
            await world.undo.pop()()
    assert texts.ERROR_GENERIC not in said
    if allowed:
        assert any(case.done in text for text in said), said
        assert case.refusal not in said
        assert not case.writes or after != before, "allowed, but nothing was stored"
    else:
        assert said == [case.refusal]
        changed = {
            name: (set(before[name]) - set(after[name]), set(after[name]) - set(before[name]))
            for name in before
            if before[name] != after[name]
        }
        assert not changed, f"refused, yet rows changed (gone, new): {changed}"
