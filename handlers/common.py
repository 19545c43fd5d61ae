"""Small helpers every handler shares: who is speaking, where, and what they typed."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.error import TelegramError

from bot.services.access import Actor, Place
from bot.services.members import Person

log = logging.getLogger(__name__)


def person(user: User) -> Person:
    """The plain values of a Telegram user."""
    return Person(id=user.id, username=user.username, display_name=user.full_name)


def place(chat: Chat) -> Place:
    """The plain values of a Telegram chat."""
    return Place(chat_id=chat.id, title=chat.title or "", type=chat.type)


def actor(user: User, chat: Chat) -> Actor:
    """Who acts, and where."""
    return Actor(person(user), place(chat))


def replied_person(message: Message) -> Person | None:
    """The person whose message the command replies to (not a bot)."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.is_bot:
        return None
    return person(replied.from_user)


def is_group(chat: Chat | None) -> bool:
    """Groups and supergroups (the bot ignores channels)."""
    return chat is not None and chat.type in (Chat.GROUP, Chat.SUPERGROUP)


def sender(update: Update) -> tuple[Message, User] | None:
    """The message and its sender, when the update has both."""
    message, user = update.effective_message, update.effective_user
    return None if message is None or user is None else (message, user)


def command_args(message: Message) -> str:
    """Everything after the command word, whitespace-trimmed."""
    text = message.text or message.caption or ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def acknowledge(
    query: CallbackQuery, text: str | None = None, *, alert: bool = False
) -> None:
    """Answer a button press; an answer Telegram refuses (the press is older than 15 s, the
    query is gone) is logged, and what the press did still follows (the reason prompt …)."""
    try:
        await query.answer(text, show_alert=alert)
    except TelegramError as exc:
        log.warning("Could not answer the button press %s: %s", query.id, exc)
