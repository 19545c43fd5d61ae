"""/checkup (三会一课 held versus required) and /meeting_held (a meeting nobody checked in
to took place)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import AppApplication, AppContext
from handlers.common import actor, command_args, sender


async def cmd_checkup(update: Update, context: AppContext) -> None:
    """A manager sees the organisation's 三会一课 this month, quarter and year."""
    if (found := sender(update)) is None:
        return
    message, user = found
    text = await context.services.checkup.checkup(actor(user, message.chat), command_args(message))
    await message.reply_text(text)


async def cmd_meeting_held(update: Update, context: AppContext) -> None:
    """A manager marks a past meeting as held: it counts towards 三会一课."""
    if (found := sender(update)) is None:
        return
    message, user = found
    text = await context.services.checkup.mark_held(
        actor(user, message.chat), command_args(message)
    )
    await message.reply_text(text)


def setup(application: AppApplication, group: int) -> None:
    """Register the two commands."""
    application.add_handler(CommandHandler("checkup", cmd_checkup), group)
    application.add_handler(CommandHandler("meeting_held", cmd_meeting_held), group)
