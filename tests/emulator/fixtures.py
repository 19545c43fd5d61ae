"""pytest fixtures: import `emulator` into conftest.py (or list this module in pytest_plugins)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from .emulator import BotApiEmulator
from .spec import spec_was_missing


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
    if emu.violations:
        listing = "\n".join(f"  - {v}" for v in emu.violations)
        pytest.fail(f"Bot API contract violations:\n{listing}", pytrace=False)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """When loaded as a plugin: say at the end of the run if spec checks were off."""
    if spec_was_missing():
        terminalreporter.write_line(
            "NOTE: Bot API spec not found; the emulator ran WITHOUT spec checks.", yellow=True
        )
