"""What the FAQ management handlers share: who may change an organisation's entries.

Entries are managed in the organisation's own group (not in private): the group names the
organisation, and Telegram's admin list there is part of who counts as a manager.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Chat, User

from bot import texts as common_texts
from bot.context import AppContext
from bot.core.errors import NotFound, PermissionDenied
from bot.services.organisations import organisation_of
from handlers.common import group_record, is_group, require_manager
from storage.records import ChatRecord, OrganisationRecord


async def managed_group(
    session: AsyncSession, chat: Chat, user: User, context: AppContext
) -> tuple[ChatRecord, OrganisationRecord]:
    """The group and its organisation, if the user manages it; else the matching error."""
    if not is_group(chat):
        raise PermissionDenied(common_texts.GROUP_ONLY)
    record = await group_record(session, chat, context)
    await require_manager(session, context, record, user.id)
    organisation = await organisation_of(session, record)
    if organisation is None:
        raise NotFound(common_texts.NOT_BOUND)
    return record, organisation


async def managed_organisation(
    session: AsyncSession, chat: Chat, user: User, context: AppContext
) -> OrganisationRecord:
    """The group's organisation, if the user manages it; else the matching error."""
    return (await managed_group(session, chat, user, context))[1]
