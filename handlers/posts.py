"""设岗定责: /post (managers), /posts (the board), /duty (a member's report, also as a
photo's caption) and the button that files a report under one of several posts
(callback `duty:pick:<report>:<post>`)."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import AppApplication, AppContext
from bot.services.posts_service import Reported
from bot.services.posts_views import render_board
from bot.texts import posts as texts
from handlers.common import acknowledge, actor, command_args, replied_person, sender

log = logging.getLogger(__name__)


async def cmd_post(update: Update, context: AppContext) -> None:
    """A manager sets up, removes, gives or takes a post."""
    if (found := sender(update)) is None:
        return
    message, user = found
    said = await context.services.posts.post(
        actor(user, message.chat), command_args(message), replied_person(message)
    )
    await message.reply_text(said)


async def cmd_posts(update: Update, context: AppContext) -> None:
    """The board: posts, holders, duties and reports this month."""
    if (found := sender(update)) is None:
        return
    message, user = found
    board = await context.services.posts.board(actor(user, message.chat))
    await message.reply_text(render_board(board))


def _answer(reported: Reported) -> tuple[str, InlineKeyboardMarkup | None]:
    if reported.post is None:
        rows = [
            [InlineKeyboardButton(name, callback_data=f"duty:pick:{reported.report_id}:{pid}")]
            for pid, name in reported.choices
        ]
        return texts.DUTY_PICK.format(when=reported.when), InlineKeyboardMarkup(rows)
    photo = texts.DUTY_DONE_PHOTO if reported.photo else ""
    said = texts.DUTY_DONE.format(post=reported.post, when=reported.when, text=reported.text)
    return said + photo, None


async def cmd_duty(update: Update, context: AppContext) -> None:
    """A member reports what they did on their post (text, or a photo's caption)."""
    if (found := sender(update)) is None:
        return
    message, user = found
    photo = message.photo[-1].file_id if message.photo else None
    reported = await context.services.posts.report(
        actor(user, message.chat), command_args(message), photo
    )
    said, markup = _answer(reported)
    await message.reply_text(said, reply_markup=markup)


async def cb_duty_pick(update: Update, context: AppContext) -> None:
    """The reporter picks which of their posts the report belongs to."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.message is None or query.data is None:
        return
    _, _, report_id, post_id = query.data.split(":")
    said = await context.services.posts.pick(
        actor(user, query.message.chat), int(report_id), int(post_id)
    )
    await acknowledge(query, said)
    if isinstance(query.message, Message):
        try:  # the buttons go; a message Telegram no longer lets us edit keeps them
            await query.message.edit_text(f"{query.message.text or ''}\n{said}")
        except TelegramError as exc:
            log.warning("Could not edit the duty question %s: %s", query.message.id, exc)


def setup(application: AppApplication, group: int) -> None:
    """Register the commands, the photo caption and the button."""
    # An edited /duty or /post is not a second report or a second change.
    new = filters.UpdateType.MESSAGE
    in_groups = new & filters.ChatType.GROUPS
    application.add_handler(CommandHandler("post", cmd_post, in_groups), group)
    application.add_handler(CommandHandler("posts", cmd_posts, filters.ChatType.GROUPS), group)
    application.add_handler(CommandHandler("duty", cmd_duty, new), group)
    caption = new & filters.PHOTO & filters.CaptionRegex(r"^/duty(@\w+)?(\s|$)")
    application.add_handler(MessageHandler(caption, cmd_duty), group)
    application.add_handler(
        CallbackQueryHandler(cb_duty_pick, pattern=r"^duty:pick:\d{1,12}:\d{1,12}$"), group
    )
