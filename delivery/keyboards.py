"""Plain button rows (bot/services/outgoing.py) as Telegram inline keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.outgoing import Keyboard


def markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    """The inline keyboard for `keyboard` (None stays None: no buttons)."""
    if keyboard is None:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in keyboard]
    )
