"""A command used where it does not work gets told where it does.

Registered after every feature: a feature whose handler accepts the command in this kind of
chat has already taken it, so only commands filtered to the other kind of chat land here.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot import texts
from bot.commands import COMMANDS, Where
from bot.context import AppApplication, AppContext


async def group_only(update: Update, _context: AppContext) -> None:
    """A group command sent privately."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.GROUP_ONLY)


async def private_only(update: Update, _context: AppContext) -> None:
    """A private command sent in a group."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.PRIVATE_ONLY)


def setup(application: AppApplication, group: int) -> None:
    """Register the two fallbacks from the command registry."""
    in_groups = [c.name for c in COMMANDS if c.where is Where.GROUP]
    in_private = [c.name for c in COMMANDS if c.where is Where.PRIVATE]
    application.add_handler(CommandHandler(in_groups, group_only, filters.ChatType.PRIVATE), group)
    application.add_handler(
        CommandHandler(in_private, private_only, filters.ChatType.GROUPS), group
    )
