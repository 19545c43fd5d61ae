"""Small helpers every handler shares: who is speaking, where, and may they."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Chat, Message, User

from bot import texts
from bot.commands import Who
from bot.context import AppContext
from bot.core.errors import PermissionDenied
from bot.services.chats import seen_chat
from bot.services.members import Person, is_manager
from storage.records import ChatRecord


def person(user: User) -> Person:
    """The plain values of a Telegram user."""
    return Person(id=user.id, username=user.username, display_name=user.full_name)


def is_group(chat: Chat | None) -> bool:
    """Groups and supergroups (the bot ignores channels)."""
    return chat is not None and chat.type in (Chat.GROUP, Chat.SUPERGROUP)


async def group_record(session: AsyncSession, chat: Chat, context: AppContext) -> ChatRecord:
    """The stored record of a group the update came from."""
    return await seen_chat(session, chat.id, chat.title or "", chat.type, context.now())


async def access_level(
    session: AsyncSession, context: AppContext, chat: ChatRecord | None, user_id: int
) -> Who:
    """What the user may do here: superadmin, manager of the chat's organisation, or member."""
    if context.is_superadmin(user_id):
        return Who.SUPERADMIN
    if chat is None:
        return Who.EVERYONE
    if await context.runtime.admins.is_admin(context.bot, chat.telegram_id, user_id):
        return Who.MANAGER
    if chat.organisation_id is not None and await is_manager(
        session, chat.organisation_id, user_id
    ):
        return Who.MANAGER
    return Who.EVERYONE


async def require_manager(
    session: AsyncSession, context: AppContext, chat: ChatRecord | None, user_id: int
) -> Who:
    """The caller's level; PermissionDenied unless they manage the chat's organisation."""
    level = await access_level(session, context, chat, user_id)
    if level is Who.EVERYONE:
        raise PermissionDenied(texts.MANAGERS_ONLY)
    return level


def command_args(message: Message) -> str:
    """Everything after the command word, whitespace-trimmed."""
    text = message.text or message.caption or ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""
