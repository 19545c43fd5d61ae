"""Buttons whose data no handler reads: from an older version of the bot, or forged."""

from __future__ import annotations

import logging

import pytest

from bot import texts
from tests.e2e.harness import RunningBot

STALE = [
    "m:rsvp:99999999999:y",  # ids beyond the database's integer overflowed it (issue 9)
    "study:done:2147483648",
    "bind:99999999999999999999:y",
    "m:nudge:²",  # not a decimal digit: no pattern matched, the client spun
    "bc:-1:own",
    "旧版本的按钮",
]


async def test_a_button_nobody_reads_is_answered(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Regression (issue 9, the command fuzzer): huge ids reached the database and answered
    ERROR_GENERIC; unknown data was never answered."""
    emu = bot.emulator
    user = emu.add_user("张三")
    emu.start_private_chat(user)
    start = await emu.wait_for_bot_message(user)
    for data in STALE:
        query = emu.forge_button(user, user, start["message_id"], data)
        answer = await emu.wait_for(lambda q=query: emu.callback_answers.get(q), what=data)
        assert answer.text == texts.BUTTON_STALE, data
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
