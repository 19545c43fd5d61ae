"""/campaign, /award, /rank and /stars: campaigns with points and 五星党员评比, in groups."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import AppApplication, AppContext
from handlers.common import actor, command_args, replied_person, sender


async def cmd_campaign(update: Update, context: AppContext) -> None:
    """A manager lists, adds or changes the rules of the organisation's campaigns."""
    if (found := sender(update)) is None:
        return
    message, user = found
    text = await context.services.campaigns.campaign(
        actor(user, message.chat), command_args(message)
    )
    await message.reply_text(text)


async def cmd_award(update: Update, context: AppContext) -> None:
    """A manager awards points to the member they reply to, with a reason."""
    if (found := sender(update)) is None:
        return
    message, user = found
    text = await context.services.campaigns.award(
        actor(user, message.chat), replied_person(message), command_args(message)
    )
    await message.reply_text(text)


async def cmd_rank(update: Update, context: AppContext) -> None:
    """Anyone in the group sees its campaign leaderboard."""
    if (found := sender(update)) is None:
        return
    message, user = found
    text = await context.services.campaigns.rank(actor(user, message.chat), command_args(message))
    await message.reply_text(text)


async def cmd_stars(update: Update, context: AppContext) -> None:
    """A manager drafts, edits or publishes the 五星党员 rating."""
    if (found := sender(update)) is None:
        return
    message, user = found
    text = await context.services.campaigns.stars(
        actor(user, message.chat), replied_person(message), command_args(message)
    )
    await message.reply_text(text)


def setup(application: AppApplication, group: int) -> None:
    """Register the four commands (groups only; wrong_place answers elsewhere)."""
    # New messages only: an edited /award (a typo in the reason) is not a second award.
    in_groups = filters.UpdateType.MESSAGE & filters.ChatType.GROUPS
    for name, callback in (
        ("campaign", cmd_campaign),
        ("award", cmd_award),
        ("rank", cmd_rank),
        ("stars", cmd_stars),
    ):
        application.add_handler(CommandHandler(name, callback, in_groups), group)
