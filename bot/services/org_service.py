"""Which organisation a group belongs to, and where organisations sit in the tree."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.domain import Domain
from bot.core.errors import InvalidInput, NotBound
from bot.services import organisations
from bot.services.access import Actor
from bot.services.base import Service
from bot.services.organisations import BindResult
from storage.records import OrganisationRecord


class OrganisationService(Service):
    """/bind, /unbind and /org_parent."""

    async def bind(
        self,
        actor: Actor,
        name: str,
        domain: Domain | None,
        admin_ids: Callable[[], Awaitable[list[int]]],
    ) -> BindResult:
        """Bind the group to the named organisation; the group's admins become members."""
        now = self.now()
        async with self.database.transaction() as session:
            access = await self.access.group_admin(session, actor, now)
            if not name:
                raise InvalidInput(code="bind_usage")
            result = await organisations.bind_chat(session, access.group, name, domain, now)
            admins = [*await admin_ids(), actor.user_id]
            await organisations.seed_members(session, result.organisation, admins, now)
        return result

    async def unbind(self, actor: Actor) -> OrganisationRecord:
        """Unbind the group; the organisation it was bound to (NotBound if none)."""
        async with self.database.transaction() as session:
            access = await self.access.group_admin(session, actor, self.now())
            previous = await organisations.unbind_chat(session, access.group, self.now())
        if previous is None:
            raise NotBound
        return previous

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
