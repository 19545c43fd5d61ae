"""Use cases about the groups the bot lives in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.records import ChatRecord
from storage.repositories import ChatRepo


async def seen_chat(
    session: AsyncSession, telegram_id: int, title: str, type_: str, now: datetime
) -> ChatRecord:
    """The chat, created or refreshed from what Telegram says (the bot is in it)."""
    repo = ChatRepo(session)
    chat = await repo.get(telegram_id)
    if chat is not None and (chat.title, chat.type, chat.active) == (title, type_, True):
        return chat
    return await repo.upsert(telegram_id, title=title, type_=type_, now=now)


async def bot_removed(session: AsyncSession, telegram_id: int, now: datetime) -> None:
    """The bot left or was removed: keep everything, mark the chat inactive."""
    await ChatRepo(session).set_active(telegram_id, False, now)


async def chat_migrated(
    session: AsyncSession, old_id: int, new_id: int, now: datetime
) -> ChatRecord | None:
    """A group became a supergroup: move its rows to the new id."""
    return await ChatRepo(session).migrate(old_id, new_id, now)
