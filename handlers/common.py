"""Small helpers every handler shares: who is speaking, where, and what they typed."""

from __future__ import annotations

from telegram import Chat, Message, Update, User

from bot.services.access import Actor, Place
from bot.services.members import Person


def person(user: User) -> Person:
    """The plain values of a Telegram user."""
    return Person(id=user.id, username=user.username, display_name=user.full_name)


def place(chat: Chat) -> Place:
    """The plain values of a Telegram chat."""
    return Place(chat_id=chat.id, title=chat.title or "", type=chat.type)


def actor(user: User, chat: Chat) -> Actor:
    """Who acts, and where."""
    return Actor(person(user), place(chat))


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
