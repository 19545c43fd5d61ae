"""双找 inside a caller's transaction: the groups where members declared, counted, and those
flagged 应建尽建 (read by /liangshen and by the monthly checkup's word to the county)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.liangshen_render import GroupView, group_views
from storage.repositories import OrganisationRepo, UserRepo
from storage.repositories.declarations import DeclarationRepo


async def groups(session: AsyncSession, chat_ids: list[int] | None) -> list[GroupView]:
    """The groups (of these, by chats.id; None: every group) where anyone declared, each
    with its declarations and tally (three queries)."""
    repo = DeclarationRepo(session)
    chats = await repo.chats(chat_ids)
    declarations = await repo.in_chats([chat.id for chat in chats])
    org_ids = sorted({c.organisation_id for c in chats if c.organisation_id is not None})
    orgs = await OrganisationRepo(session).get_many(org_ids)
    return group_views(chats, orgs, declarations)


async def to_build(session: AsyncSession) -> list[GroupView]:
    """The groups flagged 应建尽建: 3 or more 正式党员 declared, no organisation."""
    return [view for view in await groups(session, None) if view.tally.should_build]


async def reachable(session: AsyncSession, user_ids: Iterable[int]) -> list[int]:
    """Those of these people (the county's superadmins) the bot may message privately."""
    users = UserRepo(session)
    found = [await users.get(user_id) for user_id in sorted(user_ids)]
    return [user.id for user in found if user is not None and user.can_dm]
