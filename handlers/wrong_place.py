"""A command used where it does not work gets told where it does; a button nobody knows
gets an answer.

Registered after every feature: a feature whose handler accepts the command in this kind of
chat has already taken it, so only commands filtered to the other kind of chat land here;
likewise only callback data no feature reads (a button of an older version, or forged, or
with an id no database holds) reaches `stale_button`, which ends the client's spinner.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import texts
from bot.commands import COMMANDS, Where
from bot.context import AppApplication, AppContext
from handlers.common import acknowledge


async def group_only(update: Update, _context: AppContext) -> None:
    """A group command sent privately."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.GROUP_ONLY)


async def private_only(update: Update, _context: AppContext) -> None:
    """A private command sent in a group."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.PRIVATE_ONLY)


async def stale_button(update: Update, _context: AppContext) -> None:
    """A button whose data no handler reads."""
    if update.callback_query is not None:
        await acknowledge(update.callback_query, texts.BUTTON_STALE)


def setup(application: AppApplication, group: int) -> None:
    """Register the two fallbacks from the command registry, and the one for buttons."""
    in_groups = [c.name for c in COMMANDS if c.where is Where.GROUP]
    in_private = [c.name for c in COMMANDS if c.where is Where.PRIVATE]
    application.add_handler(CommandHandler(in_groups, group_only, filters.ChatType.PRIVATE), group)
    application.add_handler(
        CommandHandler(in_private, private_only, filters.ChatType.GROUPS), group
    )
    application.add_handler(CallbackQueryHandler(stale_button), group)
