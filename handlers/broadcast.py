"""/broadcast: a manager replies to any message, picks the scope, sees the count, confirms.

Privately, a manager of several organisations names one: `/broadcast 城关镇党委`.
Every button is checked again on the server: only the person who started, and only
while they still manage the organisation.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import AppApplication, AppContext
from bot.core.study_stats import BROADCAST_DOMAINS
from bot.services import broadcast
from bot.texts import broadcast as texts
from handlers.common import acknowledge, actor, command_args, sender

SAMPLE = 5


def scope_keyboard(broadcast_id: int, *, confirm: bool = False) -> InlineKeyboardMarkup:
    """Scope buttons (本组织, 下级组织, the domains), then 确认发送 and 取消."""

    def button(label: str, choice: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=f"bc:{broadcast_id}:{choice}")

    rows = [
        [button(texts.BUTTON_OWN, "own"), button(texts.BUTTON_BELOW, "below")],
        [button(domain.label, domain.value) for domain in BROADCAST_DOMAINS],
    ]
    last = [button(texts.BUTTON_ABORT, "no")]
    if confirm:
        last.insert(0, button(texts.BUTTON_CONFIRM, "ok"))
    return InlineKeyboardMarkup([*rows, last])


async def cmd_broadcast(update: Update, context: AppContext) -> None:
    """Start a broadcast of the replied-to message: ask for the scope."""
    if (found := sender(update)) is None:
        return
    message, user = found
    source = message.reply_to_message
    broadcasts = context.services.broadcasts
    draft = await broadcasts.start(
        actor(user, message.chat),
        command_args(message),
        (source.chat.id, source.message_id) if source is not None else None,
    )
    assert source is not None
    # A reply to the source: the message being sent stays in view as its preview.
    prompt = await source.reply_text(texts.CHOOSE_SCOPE, reply_markup=scope_keyboard(draft.id))
    await broadcasts.shown_in(draft.id, prompt.message_id)


def _preview_text(preview: broadcast.Preview) -> str:
    if not preview.chats:
        return texts.PREVIEW_NONE.format(label=preview.label)
    titles = "、".join(chat.title for chat in preview.chats[:SAMPLE])
    if len(preview.chats) > SAMPLE:
        titles += texts.PREVIEW_MORE
    return texts.PREVIEW.format(label=preview.label, count=len(preview.chats), sample=titles)


async def cb_broadcast(update: Update, context: AppContext) -> None:
    """A scope, 确认发送 or 取消."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None:
        return
    message = query.message
    if not isinstance(message, Message):
        return
    _, number, choice = query.data.split(":")
    broadcast_id = int(number)
    pressed = await context.services.broadcasts.press(
        actor(user, message.chat), broadcast_id, choice
    )
    await acknowledge(query)
    if choice == "no":
        await query.edit_message_text(texts.CANCELLED)
    elif choice == "ok":
        await query.edit_message_text(texts.STARTED.format(count=pressed.count))
    else:
        assert pressed.preview is not None
        keyboard = scope_keyboard(broadcast_id, confirm=bool(pressed.preview.chats))
        await query.edit_message_text(_preview_text(pressed.preview), reply_markup=keyboard)


def setup(application: AppApplication, group: int) -> None:
    """Register /broadcast and its buttons."""
    application.add_handler(CommandHandler("broadcast", cmd_broadcast), group)
    application.add_handler(CallbackQueryHandler(cb_broadcast, pattern=r"^bc:\d{1,9}:\w+$"), group)
