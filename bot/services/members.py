"""Use cases about people: who they are, where they belong, their post and standing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import MemberStatus, Role, clean_real_name
from bot.core.errors import NotFound
from storage.records import ChatRecord, MemberRecord, OrganisationRecord, UserRecord
from storage.repositories import MemberRepo, OrganisationRepo, UserRepo


@dataclass(frozen=True, slots=True)
class Person:
    """What Telegram tells us about a user, as plain values."""

    id: int
    username: str | None
    display_name: str


@dataclass(frozen=True, slots=True)
class Profile:
    """A user with their memberships and the organisations they belong to."""

    user: UserRecord
    memberships: list[tuple[MemberRecord, OrganisationRecord]]


async def record_user(session: AsyncSession, person: Person, now: datetime) -> UserRecord:
    """Create or refresh the user."""
    return await UserRepo(session).upsert(
        person.id, username=person.username, display_name=person.display_name, now=now
    )


async def record_presence(
    session: AsyncSession, chat: ChatRecord, person: Person, now: datetime
) -> None:
    """Someone wrote in a group: refresh them and, in a bound group, count them a member."""
    if chat.organisation_id is not None:
        existing = await MemberRepo(session).get(chat.organisation_id, person.id)
        if existing is None or not existing.active:
            await member_joined(session, chat, person, now)  # records the user too
            return
    await record_user(session, person, now)


async def member_joined(
    session: AsyncSession, chat: ChatRecord, person: Person, now: datetime
) -> MemberRecord | None:
    """A user joined a group; in a bound group they become a member of its organisation."""
    await record_user(session, person, now)
    if chat.organisation_id is None:
        return None
    organisation = await OrganisationRepo(session).get(chat.organisation_id)
    floating = organisation.floating if organisation else False
    return await MemberRepo(session).join(chat.organisation_id, person.id, now, floating=floating)


async def member_left(
    session: AsyncSession, chat: ChatRecord, user_id: int, now: datetime
) -> bool:
    """A user left (or was removed from) a bound group."""
    if chat.organisation_id is None:
        return False
    return await MemberRepo(session).leave(chat.organisation_id, user_id, now)


async def set_real_name(session: AsyncSession, person: Person, text: str, now: datetime) -> str:
    """Record the caller's real name; return it as stored."""
    name = clean_real_name(text)
    await record_user(session, person, now)
    await UserRepo(session).set_real_name(person.id, name, now)
    return name


async def open_private_chat(session: AsyncSession, person: Person, now: datetime) -> Profile:
    """The user started the bot privately: it may message them from now on."""
    await record_user(session, person, now)
    await UserRepo(session).set_can_dm(person.id, True, now)
    return await profile(session, person.id)


async def close_private_chat(session: AsyncSession, user_id: int, now: datetime) -> None:
    """The user blocked the bot: stop messaging them privately."""
    await UserRepo(session).set_can_dm(user_id, False, now)


async def profile(session: AsyncSession, user_id: int) -> Profile:
    """The user and their active memberships."""
    user = await UserRepo(session).get(user_id)
    if user is None:
        raise NotFound("还没有您的记录，请先在支部群里发一条消息或发送 /start")
    return Profile(user, await memberships(session, user_id))


async def memberships(
    session: AsyncSession, user_id: int
) -> list[tuple[MemberRecord, OrganisationRecord]]:
    """The user's active memberships with their organisations, oldest first."""
    organisations = OrganisationRepo(session)
    found = []
    for member in await MemberRepo(session).of_user(user_id):
        organisation = await organisations.get(member.organisation_id)
        if organisation is not None:
            found.append((member, organisation))
    return found


async def assign(
    session: AsyncSession,
    chat: ChatRecord,
    person: Person,
    now: datetime,
    *,
    role: Role | None = None,
    status: MemberStatus | None = None,
) -> MemberRecord:
    """Set a member's post or standing in the chat's organisation (they join if new)."""
    member = await member_joined(session, chat, person, now)
    if member is None:
        raise NotFound("本群还没有绑定党组织，请先 /bind")
    repo = MemberRepo(session)
    if role is not None:
        await repo.set_role(member.organisation_id, person.id, role)
    if status is not None:
        await repo.set_status(member.organisation_id, person.id, status)
    updated = await repo.get(member.organisation_id, person.id)
    assert updated is not None
    return updated


async def own_organisations(session: AsyncSession, user_id: int) -> list[OrganisationRecord]:
    """The organisations the user belongs to (active memberships), oldest first."""
    organisations = OrganisationRepo(session)
    found = [
        await organisations.get(m.organisation_id)
        for m in await MemberRepo(session).of_user(user_id)
    ]
    return [org for org in found if org is not None]


async def is_manager(session: AsyncSession, organisation_id: int, user_id: int) -> bool:
    """True when the user holds a managing post here or in an organisation above."""
    members = MemberRepo(session)
    for org_id in await OrganisationRepo(session).ancestor_ids(organisation_id):
        member = await members.get(org_id, user_id)
        if member is not None and member.active and member.role.is_manager:
            return True
    return False
