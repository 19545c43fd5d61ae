"""/iam (a member declares themself: 亮明身份, with buttons for what is missing) and
/liangshen (who declared, for the managers and the county)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Forbidden
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import AppApplication, AppContext
from bot.core.domain import MemberStatus
from bot.core.liangshen import button_data
from bot.services.liangshen_service import Ask
from bot.texts import liangshen as texts
from handlers.common import acknowledge, actor, command_args, replied_person, sender

# iam:<user>:<f|p>[:<h|a>] (bot/core/liangshen.py).
BUTTON_PATTERN = r"^iam:\d{1,15}:[fp](:[ha])?$"


def prompt(ask: Ask) -> tuple[str, InlineKeyboardMarkup]:
    """The question and its buttons: the status, or (knowing it) where the 组织关系 is."""
    if ask.status is None:
        statuses = (MemberStatus.FULL, MemberStatus.PROBATIONARY)
        row = [
            InlineKeyboardButton(s.label, callback_data=button_data(ask.user_id, s))
            for s in statuses
        ]
        return texts.IAM_PICK_STATUS.format(name=ask.name), InlineKeyboardMarkup([row])
    choices = [(texts.BUTTON_HERE, True)] if ask.bound else []
    choices.append((texts.BUTTON_ELSEWHERE, False))
    row = [
        InlineKeyboardButton(label, callback_data=button_data(ask.user_id, ask.status, here))
        for label, here in choices
    ]
    text = texts.IAM_PICK_RELATION.format(name=ask.name, status=ask.status.label)
    return text, InlineKeyboardMarkup([row])


def shown(outcome: Ask | str) -> tuple[str, InlineKeyboardMarkup | None]:
    """What the chat shows of an outcome: the next question with its buttons, or the reply."""
    return prompt(outcome) if isinstance(outcome, Ask) else (outcome, None)


async def cmd_iam(update: Update, context: AppContext) -> None:
    """A member declares themself in the group; buttons ask what the command left out."""
    if (found := sender(update)) is None:
        return
    message, user = found
    target = replied_person(message)
    outcome = await context.services.liangshen.declare(
        actor(user, message.chat), command_args(message), target.id if target else None
    )
    text, buttons = shown(outcome)
    await message.reply_text(text, reply_markup=buttons)


async def cb_iam(update: Update, context: AppContext) -> None:
    """A press of /iam's buttons: the next question, or the declaration recorded."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None or query.message is None:
        return
    here = actor(user, query.message.chat)
    outcome = await context.services.liangshen.declare_by_button(here, query.data)
    await acknowledge(query)
    text, buttons = shown(outcome)
    await query.edit_message_text(text, reply_markup=buttons)


async def cmd_liangshen(update: Update, context: AppContext) -> None:
    """Managers and the county see who declared and where: privately, also when asked in a
    group (the list names people and where their 组织关系 is)."""
    if (found := sender(update)) is None:
        return
    message, user = found
    here = actor(user, message.chat)
    listing = await context.services.liangshen.overview(here)
    if not here.place.is_group:
        await message.reply_text(listing.text)
        return
    sent = listing.can_dm and await _send_privately(context, user.id, listing.text)
    await message.reply_text(texts.SENT_PRIVATELY if sent else texts.START_FIRST)


async def _send_privately(context: AppContext, user_id: int, text: str) -> bool:
    """False when the person has blocked the bot (or never started it)."""
    try:
        await context.bot.send_message(user_id, text)
    except Forbidden:
        return False
    return True


def setup(application: AppApplication, group: int) -> None:
    """Register the two commands and the buttons."""
    application.add_handler(CommandHandler("iam", cmd_iam, filters.ChatType.GROUPS), group)
    application.add_handler(CommandHandler("liangshen", cmd_liangshen), group)
    application.add_handler(CallbackQueryHandler(cb_iam, pattern=BUTTON_PATTERN), group)
