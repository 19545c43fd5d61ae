"""Which organisation a group belongs to, and where organisations sit in the tree.

Binding a group to a new name creates the organisation; joining one that exists needs the
consent of its managers (bot/services/binding.py): the binder is one of them, brings their
invitation code, or asks them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.binding import parse_bind_args
from bot.core.errors import InvalidInput, NotBound
from bot.services import binding, organisations
from bot.services.access import Access, Actor
from bot.services.base import Service, retried
from bot.services.members import is_manager
from bot.services.organisations import BindResult
from bot.texts import binding as texts
from storage.records import InviteRecord, OrganisationRecord

AdminIds = Callable[[], Awaitable[list[int]]]


@dataclass(frozen=True, slots=True)
class Bound:
    """The group is bound now."""

    result: BindResult


@dataclass(frozen=True, slots=True)
class Requested:
    """The organisation exists: its managers were asked (`asked` of them could be reached)."""

    organisation: OrganisationRecord
    asked: int


@dataclass(frozen=True, slots=True)
class Decided:
    """A manager's decision on a request."""

    group: str
    organisation: OrganisationRecord
    approved: bool


class OrganisationService(Service):
    """/bind, /invite, the approval buttons, /unbind and /org_parent."""

    @retried
    async def bind(self, actor: Actor, args: str, admin_ids: AdminIds) -> Bound | Requested:
        """`/bind 名称 [领域] [邀请码]` by a group admin; its admins become members."""
        now = self.now()
        async with self.database.transaction() as session:
            access = await self.access.group_admin(session, actor, now)
            wanted = parse_bind_args(args)
            if wanted.code is not None:
                org = await binding.redeem(session, wanted.code, access.group, now)
                result = await organisations.bind_chat(session, access.group, org, now)
            elif not wanted.name:
                raise InvalidInput(code="bind_usage")
            else:
                org, created = await organisations.named(session, wanted.name, wanted.domain, now)
                if not created and not await self._manages(session, access, org):
                    return await self._ask(session, access, org)
                org = await organisations.set_domain(session, org, wanted.domain)
                result = await organisations.bind_chat(
                    session, access.group, org, now, created=created
                )
            admins = [*await admin_ids(), actor.user_id]
            await organisations.seed_members(session, org, admins, now)
        return Bound(result)

    @staticmethod
    async def _manages(session: AsyncSession, access: Access, org: OrganisationRecord) -> bool:
        """A superadmin, or a member holding a managing post there or above."""
        return access.superadmin or await is_manager(session, org.id, access.actor.user_id)

    async def _ask(
        self, session: AsyncSession, access: Access, org: OrganisationRecord
    ) -> Requested:
        if access.group.organisation_id == org.id:
            raise InvalidInput(texts.ALREADY_BOUND.format(org=org.name))
        by, superadmins = access.actor.user_id, self.access.superadmins
        asked = await binding.request(session, access.group, org, by, self.now(), superadmins)
        return Requested(org, asked)

    @retried
    async def invite(self, actor: Actor, name: str) -> tuple[OrganisationRecord, InviteRecord]:
        """A one-time code for another group to join the organisation the caller manages."""
        now = self.now()
        async with self.database.transaction() as session:
            org = (await self.access.acting(session, actor, now, name, "/invite")).org
            return org, await binding.invite(session, org, actor.user_id, now)

    @retried
    async def decide(self, actor: Actor, request_id: int, approve: bool) -> Decided:
        """同意 or 拒绝 under a request, by a manager of the organisation it names."""
        now = self.now()
        async with self.database.transaction() as session:
            found = await binding.pending_request(session, request_id)
            org = (await self.access.manager_of(session, actor, found.organisation_id, now)).org
            await binding.decide(session, found, approve, actor.user_id, now)
        return Decided(found.chat_title, org, approve)

    @retried
    async def unbind(self, actor: Actor) -> OrganisationRecord:
        """Unbind the group; the organisation it was bound to (NotBound if none)."""
        async with self.database.transaction() as session:
            access = await self.access.group_admin(session, actor, self.now())
            previous = await organisations.unbind_chat(session, access.group, self.now())
        if previous is None:
            raise NotBound
        return previous

    @retried
    async def place_under(
        self, actor: Actor, parent_name: str
    ) -> tuple[OrganisationRecord, OrganisationRecord]:
        """Place the group's organisation under another (superadmins); (it, its parent)."""
        self.access.superadmin_only(actor)
        if not parent_name:
            raise InvalidInput(code="org_parent_usage")
        async with self.database.transaction() as session:
            access = await self.access.bound_group(session, actor, self.now())
            parent = await organisations.place_under(session, access.org, parent_name)
        return access.org, parent
