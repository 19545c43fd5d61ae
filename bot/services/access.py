"""Who is acting, where, with which rights: the one access check behind every command and button.

Every use case a person starts calls this service once, inside its own transaction, and
acts on the Access it returns. Refusals come in one order, one exception each: the group is
not bound (NotBound), the caller manages neither the group nor its organisation
(NotManager), the caller manages an organisation but not the one concerned
(NotYourOrganisation).

Managers of an organisation: the Telegram admins of its groups (Telegram's word, asked
through `is_admin`, a callable, so that this service knows no Telegram), its members with
a managing post here or in any organisation above, and the superadmins (SUPERADMIN_IDS).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.commands import Who
from bot.core.errors import InvalidInput, NotBound, NotFound, NotManager, NotYourOrganisation
from bot.services.chats import seen_chat
from bot.services.members import Person, is_manager
from storage.records import ChatRecord, OrganisationRecord
from storage.repositories import ChatRepo, MemberRepo, OrganisationRepo

GROUP_TYPES = frozenset({"group", "supergroup"})

IsAdmin = Callable[[int, int], Awaitable[bool]]  # (chat id, user id) -> Telegram admin there


@dataclass(frozen=True, slots=True)
class Place:
    """The chat an update came from, as plain values."""

    chat_id: int
    title: str = ""
    type: str = "private"

    @property
    def is_group(self) -> bool:
        """A group or supergroup (the bot ignores channels)."""
        return self.type in GROUP_TYPES


@dataclass(frozen=True, slots=True)
class Actor:
    """Who does something, and where."""

    person: Person
    place: Place

    @property
    def user_id(self) -> int:
        """The person's Telegram id."""
        return self.person.id


@dataclass(frozen=True, slots=True)
class Access:
    """The outcome of one check: the group (in a group), the organisation acted for, the level."""

    actor: Actor
    level: Who
    chat: ChatRecord | None = None
    organisation: OrganisationRecord | None = None

    @property
    def superadmin(self) -> bool:
        """A county administrator."""
        return self.level is Who.SUPERADMIN

    @property
    def org(self) -> OrganisationRecord:
        """The organisation acted for (checked to exist by the call that returned this)."""
        assert self.organisation is not None
        return self.organisation

    @property
    def group(self) -> ChatRecord:
        """The group acted in (checked to be one by the call that returned this)."""
        assert self.chat is not None
        return self.chat


@dataclass(frozen=True, slots=True)
class Visibility:
    """What a person may see outside any chat (the dashboard): organisations they manage
    (with everything below them), or only their own record in the organisations they belong
    to."""

    user_id: int
    superadmin: bool
    roots: tuple[int, ...]  # the topmost organisations they manage, by id
    managed: frozenset[int]  # those and everything below them
    member_of: tuple[int, ...]  # organisations where they are an active member

    @property
    def manages_any(self) -> bool:
        """A manager somewhere (or a superadmin)."""
        return bool(self.managed) or self.superadmin


class AccessService:
    """Answers "may this person do this here?" from the database and Telegram's admin list."""

    def __init__(self, superadmins: frozenset[int], is_admin: IsAdmin) -> None:
        self._superadmins, self._is_admin = superadmins, is_admin

    @property
    def superadmins(self) -> frozenset[int]:
        """The county administrators (SUPERADMIN_IDS)."""
        return self._superadmins

    def is_superadmin(self, user_id: int) -> bool:
        """A county administrator named in SUPERADMIN_IDS."""
        return user_id in self._superadmins

    async def anyone(self, session: AsyncSession, actor: Actor, now: datetime) -> Access:
        """Anyone may: the group's record (in a group) and the caller's level there."""
        found = await self.here(session, actor, now)
        level = await self.level_in(session, actor.user_id, found.chat)
        return Access(actor, level, found.chat, found.organisation)

    async def here(self, session: AsyncSession, actor: Actor, now: datetime) -> Access:
        """Anyone: the group's record and organisation (in a group); no level is looked up."""
        chat = await self._group(session, actor, now) if actor.place.is_group else None
        return Access(actor, Who.EVERYONE, chat, await _organisation(session, chat))

    async def bound_group(self, session: AsyncSession, actor: Actor, now: datetime) -> Access:
        """Anyone in a bound group; NotBound otherwise. The level is not looked up."""
        found = await self.here(session, actor, now)
        if found.organisation is None:
            if not actor.place.is_group:
                raise InvalidInput(texts.GROUP_ONLY)
            raise NotBound
        return found

    async def manager(self, session: AsyncSession, actor: Actor, now: datetime) -> Access:
        """A manager of the group's organisation, in a bound group."""
        found = await self.bound_group(session, actor, now)
        level = await self.level_in(session, actor.user_id, found.chat)
        if level is Who.EVERYONE:
            raise NotManager
        return Access(actor, level, found.chat, found.organisation)

    async def group_admin(self, session: AsyncSession, actor: Actor, now: datetime) -> Access:
        """A Telegram admin of the group (bound or not) or a superadmin: who binds groups."""
        chat = await self._group(session, actor, now)
        if self.is_superadmin(actor.user_id):
            level = Who.SUPERADMIN
        elif await self._is_admin(chat.telegram_id, actor.user_id):
            level = Who.MANAGER
        else:
            raise NotManager(code="admins_only")
        return Access(actor, level, chat, await _organisation(session, chat))

    def superadmin_only(self, actor: Actor) -> None:
        """Refuse everyone but the county administrators."""
        if not self.is_superadmin(actor.user_id):
            raise NotManager(texts.SUPERADMINS_ONLY)

    async def acting(
        self, session: AsyncSession, actor: Actor, now: datetime, name: str = "", command: str = ""
    ) -> Access:
        """The organisation a manager acts for: the group's; privately the named one, or the
        only one they manage (a superadmin names any)."""
        if actor.place.is_group:
            return await self.manager(session, actor, now)
        if name:
            return await self._named(session, actor, name)
        return await self._only_managed(session, actor, command)

    async def manager_of(
        self, session: AsyncSession, actor: Actor, org_id: int, now: datetime
    ) -> Access:
        """A manager acting for organisation `org_id` from here (its group, or privately)."""
        if self.is_superadmin(actor.user_id):
            org = await OrganisationRepo(session).get(org_id)
            return Access(actor, Who.SUPERADMIN, organisation=org)
        if actor.place.is_group:
            found = await self.manager(session, actor, now)
            if found.org.id != org_id:
                raise NotYourOrganisation
            return found
        if not await is_manager(session, org_id, actor.user_id):
            raise NotManager
        return Access(actor, Who.MANAGER, organisation=await OrganisationRepo(session).get(org_id))

    async def visible(self, session: AsyncSession, user_id: int) -> Visibility:
        """What the person may see: superadmins everything; a managing post in an
        organisation (or adminship of one of its groups), it and everything below; otherwise
        only their own record."""
        memberships = await MemberRepo(session).of_user(user_id)
        member_of = tuple(sorted({m.organisation_id for m in memberships}))
        orgs = OrganisationRepo(session)
        if self.is_superadmin(user_id):
            everything = await orgs.all()
            roots = tuple(o.id for o in everything if o.parent_id is None)
            managed = frozenset(o.id for o in everything)
            return Visibility(user_id, True, roots, managed, member_of)
        posts = {m.organisation_id for m in memberships if m.role.is_manager}
        # Telegram admins of an organisation's groups manage it too. Only the groups of
        # organisations the person belongs to are asked about (a few, cached a minute).
        others = [m.organisation_id for m in memberships if m.organisation_id not in posts]
        for chat in await ChatRepo(session).for_organisations(others):
            if chat.organisation_id is not None and await self._is_admin(
                chat.telegram_id, user_id
            ):
                posts.add(chat.organisation_id)
        below = {org_id: set(await orgs.descendant_ids(org_id)) for org_id in sorted(posts)}
        # A post under another post of the same person adds nothing: keep the topmost.
        roots = tuple(o for o in below if not any(o in below[p] for p in below if p != o))
        managed = frozenset(org_id for ids in below.values() for org_id in ids)
        return Visibility(user_id, False, roots, managed, member_of)

    async def _group(self, session: AsyncSession, actor: Actor, now: datetime) -> ChatRecord:
        place = actor.place
        if not place.is_group:
            raise InvalidInput(texts.GROUP_ONLY)
        return await seen_chat(session, place.chat_id, place.title, place.type, now)

    async def level_in(self, session: AsyncSession, user_id: int, chat: ChatRecord | None) -> Who:
        """The user's level in a group (or, for None, anywhere): superadmin, manager, member."""
        if self.is_superadmin(user_id):
            return Who.SUPERADMIN
        if chat is None:
            return Who.EVERYONE
        if await self._is_admin(chat.telegram_id, user_id):
            return Who.MANAGER
        if chat.organisation_id is not None and await is_manager(
            session, chat.organisation_id, user_id
        ):
            return Who.MANAGER
        return Who.EVERYONE

    async def _named(self, session: AsyncSession, actor: Actor, name: str) -> Access:
        organisation = await OrganisationRepo(session).by_name(name)
        if organisation is None:
            raise NotFound(texts.ORG_NOT_FOUND.format(name=name))
        if self.is_superadmin(actor.user_id):
            return Access(actor, Who.SUPERADMIN, organisation=organisation)
        if not await is_manager(session, organisation.id, actor.user_id):
            raise NotYourOrganisation(texts.NOT_MANAGER_OF.format(org=organisation.name))
        return Access(actor, Who.MANAGER, organisation=organisation)

    async def _only_managed(self, session: AsyncSession, actor: Actor, command: str) -> Access:
        superadmin = self.is_superadmin(actor.user_id)
        level = Who.SUPERADMIN if superadmin else Who.MANAGER
        memberships = await MemberRepo(session).of_user(actor.user_id)
        managed = [m for m in memberships if m.role.is_manager]
        orgs = OrganisationRepo(session)
        if len(managed) == 1:
            return Access(actor, level, organisation=await orgs.get(managed[0].organisation_id))
        if not managed and not superadmin:
            raise NotManager(texts.PRIVATE_NO_ORG)
        names = [org.name for m in managed if (org := await orgs.get(m.organisation_id))]
        raise InvalidInput(
            texts.PRIVATE_PICK_ORG.format(
                command=command,
                name=names[0] if names else "城关镇党委",
                names="、".join(names) or "任一组织",
            )
        )


async def _organisation(
    session: AsyncSession, chat: ChatRecord | None
) -> OrganisationRecord | None:
    if chat is None or chat.organisation_id is None:
        return None
    return await OrganisationRepo(session).get(chat.organisation_id)
