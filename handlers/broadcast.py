"""/broadcast: a manager replies to any message, picks the scope, sees the count, confirms.

Privately, a manager of several organisations names one: `/broadcast 城关镇党委`.
Every button is checked again on the server: only the person who started, and only
while they still manage the organisation.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import AppContext
from bot.core.errors import InvalidInput
from bot.core.study_stats import BROADCAST_DOMAINS
from bot.services import broadcast
from bot.texts import broadcast as texts
from handlers.common import command_args
from handlers.study_common import acting_org, may_manage
from schedules.sweep import kick
from storage.repositories.study_broadcasts import BroadcastRepo

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
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    source = message.reply_to_message
    if source is None:
        raise InvalidInput(texts.USAGE)
    async with context.transaction() as session:
        acting = await acting_org(
            session, context, message, user, command_args(message), "/broadcast"
        )
        draft = await broadcast.start(
            session,
            acting.organisation.id,
            user.id,
            (source.chat.id, source.message_id),
            message.chat.id,
            context.now(),
        )
    # A reply to the source: the message being sent stays in view as its preview.
    prompt = await source.reply_text(texts.CHOOSE_SCOPE, reply_markup=scope_keyboard(draft.id))
    async with context.transaction() as session:
        await BroadcastRepo(session).set_control_message(draft.id, prompt.message_id)


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
    async with context.transaction() as session:
        draft = await broadcast.draft_of(session, broadcast_id, user.id)
        await may_manage(session, context, message, user, draft.organisation_id)
        if choice == "no":
            await broadcast.cancel(session, broadcast_id, user.id)
        elif choice == "ok":
            count = await broadcast.confirm(session, broadcast_id, user.id, context.now())
        else:
            preview = await broadcast.choose(session, broadcast_id, user.id, choice)
    await query.answer()
    if choice == "no":
        await query.edit_message_text(texts.CANCELLED)
    elif choice == "ok":
        await query.edit_message_text(texts.STARTED.format(count=count))
        kick(context)
    else:
        keyboard = scope_keyboard(broadcast_id, confirm=bool(preview.chats))
        await query.edit_message_text(_preview_text(preview), reply_markup=keyboard)


def setup(application: Application, group: int) -> None:  # type: ignore[type-arg]
    """Register /broadcast, its buttons and its outbox sender."""
    application.add_handler(CommandHandler("broadcast", cmd_broadcast), group)
    application.add_handler(CallbackQueryHandler(cb_broadcast, pattern=r"^bc:\d+:\w+$"), group)
    broadcast.register(application.bot_data.runtime.senders)
