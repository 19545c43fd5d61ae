"""Which organisation a manager acts for: the group's, or privately the one they manage.

Scope (issue 5): managers act for the organisation of the group where they act (and,
with 下级组织, all below it); privately for an organisation they manage by post, here or
above it; superadmins for any. Nothing upwards or sideways is reachable from there.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message, User

from bot import texts as base_texts
from bot.commands import Who
from bot.context import AppContext
from bot.core.errors import InvalidInput, NotFound, PermissionDenied
from bot.services.members import is_manager
from bot.texts import study as texts
from handlers.common import group_record, is_group, require_manager
from storage.records import OrganisationRecord
from storage.repositories import MemberRepo, OrganisationRepo


@dataclass(frozen=True)
class Acting:
    """The organisation a manager acts for, and whether they are a superadmin."""

    organisation: OrganisationRecord
    superadmin: bool

    @property
    def owner(self) -> int | None:
        """Whose topics may be changed: this organisation's (None: anyone's)."""
        return None if self.superadmin else self.organisation.id


async def _in_group(
    session: AsyncSession, context: AppContext, message: Message, user: User
) -> Acting:
    chat = await group_record(session, message.chat, context)
    if chat.organisation_id is None:
        raise InvalidInput(base_texts.NOT_BOUND)
    level = await require_manager(session, context, chat, user.id)
    organisation = await OrganisationRepo(session).get(chat.organisation_id)
    assert organisation is not None
    return Acting(organisation, level is Who.SUPERADMIN)


async def _named(session: AsyncSession, context: AppContext, user: User, name: str) -> Acting:
    organisation = await OrganisationRepo(session).by_name(name)
    if organisation is None:
        raise NotFound(texts.ORG_NOT_FOUND.format(name=name))
    superadmin = context.is_superadmin(user.id)
    if not superadmin and not await is_manager(session, organisation.id, user.id):
        raise PermissionDenied(texts.NOT_MANAGER_OF.format(org=organisation.name))
    return Acting(organisation, superadmin)


async def acting_org(
    session: AsyncSession,
    context: AppContext,
    message: Message,
    user: User,
    name: str = "",
    command: str = "/study",
) -> Acting:
    """The organisation the caller manages here; privately the named or only one."""
    if is_group(message.chat):
        return await _in_group(session, context, message, user)
    if name:
        return await _named(session, context, user, name)
    managed = [m for m in await MemberRepo(session).of_user(user.id) if m.role.is_manager]
    orgs = OrganisationRepo(session)
    if len(managed) == 1:
        organisation = await orgs.get(managed[0].organisation_id)
        assert organisation is not None
        return Acting(organisation, context.is_superadmin(user.id))
    if not managed and not context.is_superadmin(user.id):
        raise PermissionDenied(texts.PRIVATE_NO_ORG)
    names = [org.name for m in managed if (org := await orgs.get(m.organisation_id))]
    example = names[0] if names else "城关镇党委"
    raise InvalidInput(
        texts.PRIVATE_PICK_ORG.format(
            command=command, name=example, names="、".join(names) or "任一组织"
        )
    )


async def may_manage(
    session: AsyncSession, context: AppContext, message: Message, user: User, org_id: int
) -> None:
    """Refuse unless the caller may change things of organisation `org_id` from here."""
    if context.is_superadmin(user.id):
        return
    if is_group(message.chat):
        acting = await _in_group(session, context, message, user)
        if acting.organisation.id == org_id:
            return
    elif await is_manager(session, org_id, user.id):
        return
    raise PermissionDenied(base_texts.MANAGERS_ONLY)
