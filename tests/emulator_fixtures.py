"""pytest fixtures. Load with `pytest_plugins = ["tests.emulator_fixtures"]` in conftest.py."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from emulator.emulator import BotApiEmulator
from emulator.spec import spec_path_from_env, spec_was_missing

EmulatorFactory = Callable[..., Awaitable[BotApiEmulator]]


def fail_on_violations(emu: BotApiEmulator) -> None:
    """Fail the test when the bot broke the Bot API contract."""
    if emu.violations:
        listing = "\n".join(f"  - {v}" for v in emu.violations)
        pytest.fail(f"Bot API contract violations:\n{listing}", pytrace=False)


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A started emulator; the test fails at teardown if the bot broke the API contract.

    A test that provokes a violation on purpose must empty `emulator.violations`.
    """
    emu = BotApiEmulator()
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()
    fail_on_violations(emu)


@pytest.fixture
async def make_emulator() -> AsyncIterator[EmulatorFactory]:
    """Start emulators with custom options (rate limits, clock ...); same teardown check."""
    started: list[BotApiEmulator] = []

    async def make(**options: Any) -> BotApiEmulator:
        emu = BotApiEmulator(**options)
        await emu.start()
        started.append(emu)
        return emu

    yield make
    for emu in started:
        await emu.stop()
    for emu in started:
        fail_on_violations(emu)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """When loaded as a plugin: say at the end of the run if spec checks were off (asked of
    the file itself too: with pytest-xdist the emulators ran in the workers)."""
    if spec_was_missing() or not spec_path_from_env().is_file():
        terminalreporter.write_line(
            "NOTE: Bot API spec not found; the emulator ran WITHOUT spec checks.", yellow=True
        )
