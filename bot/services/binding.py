"""A group joins an organisation that exists already: with an invitation code its managers
made (`/invite`), or by a request they approve with a button.

Anyone who can make a group can name any organisation in `/bind`; binding gives the
group's admins that organisation's rights (broadcasts below it, its FAQ and plans). So a
group joins an existing organisation only with its managers' consent: a superadmin, a
member holding a managing post there or above, or a code or approval from one of them.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.binding import CODE_ALPHABET, CODE_LENGTH
from bot.core.errors import InvalidInput
from bot.services.outbox import DeliveryKind, Skip, composed_in_transaction
from bot.services.outgoing import Button, Outgoing, Text, keyboard
from bot.texts import binding as texts
from storage.db import Database
from storage.records import (
    BindRequestRecord,
    ChatRecord,
    DeliveryRecord,
    InviteRecord,
    OrganisationRecord,
    UserRecord,
)
from storage.repositories import ChatRepo, DeliveryRepo, MemberRepo, OrganisationRepo, UserRepo
from storage.repositories.binding import APPROVED, PENDING, REFUSED, BindRequestRepo, InviteRepo

REQUEST, DECISION = "bind_request", "bind_decision"
INVITE_VALID = timedelta(hours=24)


def new_code() -> str:
    """A fresh invitation code (unguessable: 32⁸ ≈ 10¹² codes, each valid for a day)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


async def invite(
    session: AsyncSession, organisation: OrganisationRecord, by: int, now: datetime
) -> InviteRecord:
    """A one-time code for a group to join the organisation."""
    return await InviteRepo(session).create(
        code=new_code(),
        organisation_id=organisation.id,
        created_by=by,
        now=now,
        expires_at=now + INVITE_VALID,
    )


async def redeem(
    session: AsyncSession, code: str, chat: ChatRecord, now: datetime
) -> OrganisationRecord:
    """The organisation a valid code stands for (the code is spent)."""
    used = await InviteRepo(session).use(code, chat.telegram_id, now)
    organisation = await OrganisationRepo(session).get(used.organisation_id) if used else None
    if organisation is None:
        raise InvalidInput(texts.INVITE_INVALID)
    return organisation


async def approvers(
    session: AsyncSession, organisation_id: int, superadmins: frozenset[int]
) -> list[UserRecord]:
    """Who may approve, and can be asked privately: post-holders here and above, superadmins."""
    members = MemberRepo(session)
    people: dict[int, UserRecord] = {}
    for org_id in await OrganisationRepo(session).ancestor_ids(organisation_id):
        for member in await members.of_organisation(org_id):
            if member.role.is_manager:
                people[member.user.id] = member.user
    users = UserRepo(session)
    for user_id in sorted(superadmins):
        if (user := await users.get(user_id)) is not None:
            people[user_id] = user
    return [person for person in people.values() if person.can_dm]


async def request(
    session: AsyncSession,
    chat: ChatRecord,
    organisation: OrganisationRecord,
    by: int,
    now: datetime,
    superadmins: frozenset[int],
) -> int:
    """Ask the organisation's managers to let the group join; how many were asked."""
    found = await BindRequestRepo(session).create(
        chat_id=chat.id, organisation_id=organisation.id, requested_by=by, now=now
    )
    asked = await approvers(session, organisation.id, superadmins)
    deliveries = DeliveryRepo(session)
    for person in asked:
        await deliveries.enqueue(
            key=f"{REQUEST}:{found.id}:{person.id}",
            kind=REQUEST,
            chat_id=person.id,
            due_at=now,
            now=now,
            payload={"request": found.id},
        )
    return len(asked)


async def pending_request(session: AsyncSession, request_id: int) -> BindRequestRecord:
    """A request still waiting for a decision."""
    found = await BindRequestRepo(session).get(request_id)
    if found is None or found.status != PENDING:
        raise InvalidInput(texts.ALREADY_DECIDED)
    return found


async def decide(
    session: AsyncSession, found: BindRequestRecord, approve: bool, by: int, now: datetime
) -> None:
    """Approve (the group is bound) or refuse; the group is told either way."""
    status = APPROVED if approve else REFUSED
    if not await BindRequestRepo(session).decide(found.id, status, by, now):
        raise InvalidInput(texts.ALREADY_DECIDED)  # another manager was quicker
    if approve:
        await ChatRepo(session).bind(found.chat_telegram_id, found.organisation_id, now)
    await DeliveryRepo(session).enqueue(
        key=f"{DECISION}:{found.id}",
        kind=DECISION,
        chat_id=found.chat_telegram_id,
        due_at=now,
        now=now,
        payload={"request": found.id},
    )


async def _request_message(session: AsyncSession, found: BindRequestRecord) -> tuple[str, str]:
    organisation = await OrganisationRepo(session).get(found.organisation_id)
    requester = await UserRepo(session).get(found.requested_by)
    name = requester.name if requester else str(found.requested_by)
    return (organisation.name if organisation else ""), name


async def compose_request(
    session: AsyncSession, delivery: DeliveryRecord, _now: datetime
) -> Outgoing:
    """The request, privately to one approver, with 同意 / 拒绝."""
    found = await BindRequestRepo(session).get(int(delivery.payload["request"]))
    if found is None or found.status != PENDING:
        raise Skip
    org, requester = await _request_message(session, found)
    text = texts.REQUEST_PRIVATE.format(group=found.chat_title, name=requester, org=org)
    buttons = [
        Button(texts.BUTTON_APPROVE, f"bind:{found.id}:y"),
        Button(texts.BUTTON_REFUSE, f"bind:{found.id}:n"),
    ]
    return Text(text, html=False, keyboard=keyboard(buttons))


async def compose_decision(
    session: AsyncSession, delivery: DeliveryRecord, _now: datetime
) -> Outgoing:
    """The group learns the decision."""
    found = await BindRequestRepo(session).get(int(delivery.payload["request"]))
    if found is None:
        raise Skip
    org, _ = await _request_message(session, found)
    template = texts.APPROVED_GROUP if found.status == APPROVED else texts.REFUSED_GROUP
    return Text(template.format(org=org), html=False)


def delivery_kinds(database: Database) -> dict[str, DeliveryKind]:
    """The request to approvers and the decision to the group."""
    return {
        REQUEST: composed_in_transaction(database, compose_request),
        DECISION: composed_in_transaction(database, compose_decision),
    }
