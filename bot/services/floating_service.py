"""Floating members' use cases: /away, /back and /floating (bot/core/floating.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import InvalidInput, NotFound
from bot.core.floating import Stay, parse_away
from bot.services.access import Access, AccessService, Actor
from bot.services.base import ZonedService, retried
from bot.services.floating_messages import plan_digest
from bot.services.members import Person, record_user
from bot.texts import floating as texts
from storage.records import OrganisationRecord
from storage.repositories import MemberRepo, OrganisationRepo, UserRepo
from storage.repositories.floating import FloatingRepo


@dataclass(frozen=True, slots=True)
class StayShown:
    """A stay as /away, /back and /floating show it."""

    name: str
    stay: Stay
    home: str
    host: str  # the 流入地 organisation's name, or ""
    last: datetime | None  # the latest activity the viewer may see


@dataclass(frozen=True, slots=True)
class FloatingList:
    """/floating: the organisation's members away, and floating members active here."""

    org: str
    away: list[StayShown]
    hosted: list[StayShown]


class FloatingService(ZonedService):
    """Members away from their branch of record, recorded and listed."""

    @retried
    async def away(self, actor: Actor, target: Person | None, text: str) -> StayShown:
        """The caller (or, as a manager's reply, the member replied to) is away from now."""
        now = self.now()
        async with self.database.transaction() as session:
            home, person = await self._whose(session, actor, target, now)
            request = parse_away(text, now.astimezone(self.tz).date())
            host = await _host(session, request.host, home)
            stay = await FloatingRepo(session).start(
                org_id=home.id,
                user_id=person.id,
                place=request.place,
                host_org_id=host.id if host else None,
                since=request.since,
                contact=request.contact,
                recorded_by=actor.user_id,
                now=now,
            )
            await plan_digest(session, stay, now, self.tz)
            return await _shown(session, stay, home.name, None)

    @retried
    async def back(self, actor: Actor, target: Person | None) -> StayShown:
        """The caller (or the member a manager replied to) is back home."""
        now = self.now()
        async with self.database.transaction() as session:
            home, person = await self._whose(session, actor, target, now)
            repo = FloatingRepo(session)
            stay = await repo.current(home.id, person.id)
            name = await _name(session, person.id)
            if stay is None:
                raise InvalidInput(texts.NOT_AWAY.format(name=name))
            await repo.end(home.id, person.id, now)
            return await _shown(session, stay, home.name, None)

    @retried
    async def listing(self, actor: Actor, name: str = "") -> FloatingList:
        """A manager's view: their members away (last activity anywhere), and the floating
        members whose 流入地 is here (their activity here only, never their home records)."""
        now = self.now()
        async with self.database.transaction() as session:
            access = await self.access.acting(session, actor, now, name, "/floating")
            org, repo = access.org, FloatingRepo(session)
            away = [
                await _shown(session, stay, org.name, await repo.last_activity(stay.user_id))
                for stay in await repo.open_of_org(org.id)
            ]
            hosted = [
                await _shown(
                    session,
                    stay,
                    await _org_name(session, stay.org_id),
                    await repo.last_activity(stay.user_id, [org.id]),
                )
                for stay in await _hosted(session, org)
            ]
            return FloatingList(org.name, away, hosted)

    @retried
    async def plan_digests(self) -> int:
        """This month's digest for every member away (idempotent); how many are new."""
        now = self.now()
        async with self.database.transaction() as session:
            added = 0
            for stay in await FloatingRepo(session).all_open():
                added += await plan_digest(session, stay, now, self.tz)
            return added

    async def _whose(
        self, session: AsyncSession, actor: Actor, target: Person | None, now: datetime
    ) -> tuple[OrganisationRecord, Person]:
        """The branch of record and the person concerned: the caller, or the member a
        manager replied to."""
        if target is not None:
            access = await self.access.manager(session, actor, now)
            await _active_member(session, access, target)
            return access.org, target
        await record_user(session, actor.person, now)
        return await _own_home(session, self.access, actor, now), actor.person


async def _active_member(session: AsyncSession, access: Access, target: Person) -> None:
    if access.org.floating:  # the record belongs to the member's branch of record
        raise InvalidInput(texts.FLOATING_GROUP_REPLY)
    member = await MemberRepo(session).get(access.org.id, target.id)
    if member is None or not member.active:
        name = member.user.name if member else target.display_name
        raise InvalidInput(texts.TARGET_NOT_A_MEMBER.format(name=name))


async def _own_home(
    session: AsyncSession, access: AccessService, actor: Actor, now: datetime
) -> OrganisationRecord:
    """The caller's branch of record: the group's, or privately their only branch."""
    here = await access.here(session, actor, now)
    if here.organisation is not None and not here.organisation.floating:
        member = await MemberRepo(session).get(here.organisation.id, actor.user_id)
        if member is None or not member.active:
            raise InvalidInput(texts.NOT_A_MEMBER)
        return here.organisation
    orgs = OrganisationRepo(session)
    homes = []
    for member in await MemberRepo(session).of_user(actor.user_id):
        org = await orgs.get(member.organisation_id)
        if org is not None and not org.floating:
            homes.append(org)
    if len(homes) == 1:
        return homes[0]
    if not homes:
        raise InvalidInput(texts.NOT_A_MEMBER)
    raise InvalidInput(texts.FLOATING_GROUP if here.organisation else texts.PICK_HOME)


async def _host(
    session: AsyncSession, name: str, home: OrganisationRecord
) -> OrganisationRecord | None:
    if not name:
        return None
    host = await OrganisationRepo(session).by_name(name)
    if host is None:
        raise NotFound(texts.HOST_NOT_FOUND.format(name=name))
    if host.id == home.id:
        raise InvalidInput(texts.HOST_IS_HOME)
    return host


async def _hosted(session: AsyncSession, org: OrganisationRecord) -> list[Stay]:
    """Open stays whose 流入地 is `org`: named as host, or (a 流动党员党支部) the stays of its
    own members."""
    repo = FloatingRepo(session)
    found = {stay.id: stay for stay in await repo.hosted_by(org.id)}
    if org.floating:
        for member in await MemberRepo(session).of_organisation(org.id):
            for stay in await repo.open_of_user(member.user.id):
                found.setdefault(stay.id, stay)
    return [stay for stay in found.values() if stay.org_id != org.id]


async def _name(session: AsyncSession, user_id: int) -> str:
    user = await UserRepo(session).get(user_id)
    return user.name if user else str(user_id)


async def _org_name(session: AsyncSession, org_id: int | None) -> str:
    org = await OrganisationRepo(session).get(org_id) if org_id is not None else None
    return org.name if org else ""


async def _shown(session: AsyncSession, stay: Stay, home: str, last: datetime | None) -> StayShown:
    return StayShown(
        name=await _name(session, stay.user_id),
        stay=stay,
        home=home,
        host=await _org_name(session, stay.host_org_id),
        last=last,
    )
