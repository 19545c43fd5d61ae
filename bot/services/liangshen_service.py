"""双找 in enterprises: members declare themselves (/iam), managers and the county follow up
(/liangshen).

A declaration is kept by the group it was made in, bound to an organisation or not: the bot
is in the group and knows it, so the county sees enterprise groups where members declared
but no Party organisation exists yet. Who sees them: in a group, its organisation's
managers (and those above) see its groups and those below; in a group with no organisation,
its Telegram admins; privately, a manager what they manage and the superadmins the county.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import Who
from bot.core.domain import MemberStatus
from bot.core.errors import InvalidInput, NotManager
from bot.core.liangshen import Declared, parse_declaration, read_button
from bot.services import liangshen
from bot.services.access import Actor
from bot.services.base import ZonedService, retried
from bot.services.liangshen_render import render_done, render_overview
from bot.services.members import record_user
from bot.texts import liangshen as texts
from storage.repositories import ChatRepo, OrganisationRepo, UserRepo
from storage.repositories.declarations import DeclarationRepo


@dataclass(frozen=True, slots=True)
class Ask:
    """/iam said too little: ask with buttons for the status (None) or, knowing it, the
    relation (在本单位 offered only where the group has an organisation)."""

    name: str
    user_id: int
    status: MemberStatus | None
    bound: bool


@dataclass(frozen=True, slots=True)
class Listing:
    """/liangshen's answer, and whether the caller can be sent it privately (it names people
    and where their 组织关系 is: in a group it goes to the caller, not to everyone)."""

    text: str
    can_dm: bool


class LiangshenService(ZonedService):
    """/iam, its buttons, and /liangshen."""

    @retried
    async def declare(self, actor: Actor, args: str, replied_to: int | None) -> Ask | str:
        """`/iam 党员 组织关系在 …` in a group: the caller declares themself (never as a reply
        to someone else); what is missing is asked with buttons."""
        if replied_to is not None and replied_to != actor.user_id:
            raise InvalidInput(code="iam_not_for_others")
        return await self._declare(actor, parse_declaration(args))

    @retried
    async def declare_by_button(self, actor: Actor, data: str) -> Ask | str:
        """A press of /iam's buttons, only by the person they were for."""
        user_id, declared = read_button(data)
        if user_id != actor.user_id:
            raise InvalidInput(code="iam_not_yours")
        return await self._declare(actor, declared)

    async def _declare(self, actor: Actor, declared: Declared) -> Ask | str:
        now = self.now()
        async with self.database.transaction() as session:
            found = await self.access.here(session, actor, now)
            user = await record_user(session, actor.person, now)
            org = found.organisation
            if declared.status is None or declared.here is None:
                return Ask(user.name, user.id, declared.status, org is not None)
            if declared.here and org is None:
                raise InvalidInput(code="iam_no_org_here")
            new = await DeclarationRepo(session).declare(
                found.group.id,
                user.id,
                status=declared.status,
                here=declared.here,
                place=declared.place,
                now=now,
            )
        return render_done(user.name, declared, org, new)

    @retried
    async def overview(self, actor: Actor) -> Listing:
        """/liangshen: who declared where, with the groups to build an organisation in."""
        now = self.now()
        async with self.database.transaction() as session:
            scope, chat_ids = await self._scope(session, actor, now)
            views = await liangshen.groups(session, chat_ids)
            caller = await UserRepo(session).get(actor.user_id)
        can_dm = caller is not None and caller.can_dm
        return Listing(render_overview(scope, views, self.tz), can_dm)

    async def _scope(
        self, session: AsyncSession, actor: Actor, now: datetime
    ) -> tuple[str, list[int] | None]:
        """What the caller may see, named: the groups (by chats.id), None for every group."""
        if actor.place.is_group:
            found = await self.access.here(session, actor, now)
            if await self.access.level_in(session, actor.user_id, found.chat) is Who.EVERYONE:
                raise NotManager
            if found.organisation is None:
                return texts.SCOPE_GROUP, [found.group.id]
            below = await OrganisationRepo(session).descendant_ids(found.org.id)
            chats = await ChatRepo(session).for_organisations(below)
            return found.org.name, [chat.id for chat in chats]
        visible = await self.access.visible(session, actor.user_id)
        if visible.superadmin:
            return texts.SCOPE_COUNTY, None
        if not visible.managed:
            raise NotManager(texts.PRIVATE_NO_ORG)
        chats = await ChatRepo(session).for_organisations(sorted(visible.managed))
        return texts.SCOPE_MANAGED, [chat.id for chat in chats]
