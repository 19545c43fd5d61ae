"""/broadcast: copy one message to every group in a manager's scope, through the outbox.

A broadcast is a draft until confirmed; confirming enqueues `broadcast:<id>:<chat>` for
each target group (due now), so a restart resumes from the outbox and no group gets two
copies. The progress message is edited at most every PROGRESS_EVERY (by the injected
clock) and becomes the delivery report when nothing is pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Domain
from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.study import Scope
from bot.core.study_stats import BROADCAST_DOMAINS, OrgRef, scope_targets
from bot.services.outbox import DeliveryKind
from bot.services.outgoing import Copy, Edit, Outgoing
from bot.texts import broadcast as texts
from storage.db import Database
from storage.records import BroadcastRecord, ChatRecord, DeliveryRecord, DeliveryStatus
from storage.repositories import ChatRepo, DeliveryRepo, OrganisationRepo
from storage.repositories.study_broadcasts import BroadcastRepo

KIND = "broadcast"
PROGRESS_EVERY = timedelta(seconds=5)
MAX_FAILURES_LISTED = 20


def key_prefix(broadcast_id: int) -> str:
    """The idempotency-key prefix of a broadcast's copies."""
    return f"{KIND}:{broadcast_id}:"


def parse_choice(choice: str) -> tuple[Scope, Domain | None]:
    """`own`, `below` or a domain value (the button data) as scope and domain."""
    if choice in (Scope.OWN.value, Scope.BELOW.value):
        return Scope(choice), None
    domain = Domain(choice)
    if domain not in BROADCAST_DOMAINS:
        raise InvalidInput(texts.BAD_CHOICE)
    return Scope.BELOW, domain


def scope_label(scope: Scope, domain: Domain | None) -> str:
    """How the chosen scope reads: 本组织, 下级组织, 下级组织中的农村组织."""
    if domain is not None:
        return texts.SCOPE_DOMAIN.format(domain=domain.label)
    return texts.SCOPE_OWN if scope is Scope.OWN else texts.SCOPE_BELOW


async def targets(
    session: AsyncSession, broadcast: BroadcastRecord, scope: Scope, domain: Domain | None
) -> list[ChatRecord]:
    """Active groups in the scope, below or at the broadcast's organisation, but not the source."""
    orgs = OrganisationRepo(session)
    subtree_ids = set(await orgs.descendant_ids(broadcast.organisation_id))
    subtree = [
        OrgRef(org.id, org.name, org.domain) for org in await orgs.all() if org.id in subtree_ids
    ]
    org_ids = scope_targets(broadcast.organisation_id, subtree, scope, domain)
    chats = await ChatRepo(session).for_organisations(org_ids)
    return [chat for chat in chats if chat.telegram_id != broadcast.source_chat_id]


async def start(
    session: AsyncSession,
    org_id: int,
    user_id: int,
    source: tuple[int, int],
    control_chat_id: int,
    now: datetime,
) -> BroadcastRecord:
    """A draft broadcast of the message `source` (chat id, message id)."""
    return await BroadcastRepo(session).create(
        now=now,
        organisation_id=org_id,
        created_by=user_id,
        source=source,
        control_chat_id=control_chat_id,
    )


async def draft_of(session: AsyncSession, broadcast_id: int, user_id: int) -> BroadcastRecord:
    """A draft the user started; anything else is refused."""
    broadcast = await BroadcastRepo(session).get(broadcast_id)
    if broadcast is None or broadcast.created_by != user_id:
        raise PermissionDenied(texts.NOT_YOURS)
    if broadcast.status != "draft":
        raise InvalidInput(texts.NOT_A_DRAFT)
    return broadcast


@dataclass(frozen=True)
class Preview:
    """What a confirmation would do."""

    label: str
    chats: list[ChatRecord]


async def choose(session: AsyncSession, broadcast_id: int, user_id: int, choice: str) -> Preview:
    """Set the scope of a draft and say how many groups it would reach."""
    broadcast = await draft_of(session, broadcast_id, user_id)
    scope, domain = parse_choice(choice)
    chats = await targets(session, broadcast, scope, domain)
    await BroadcastRepo(session).choose(broadcast.id, scope, domain, len(chats))
    return Preview(scope_label(scope, domain), chats)


async def confirm(session: AsyncSession, broadcast_id: int, user_id: int, now: datetime) -> int:
    """Enqueue one copy per target group (due now); return how many."""
    broadcast = await draft_of(session, broadcast_id, user_id)
    if broadcast.scope is None:
        raise InvalidInput(texts.CHOOSE_FIRST)
    chats = await targets(session, broadcast, broadcast.scope, broadcast.domain)
    if not chats:
        raise InvalidInput(texts.NO_TARGETS)
    if not await BroadcastRepo(session).confirm(broadcast.id, len(chats), now):
        raise InvalidInput(texts.NOT_A_DRAFT)
    deliveries = DeliveryRepo(session)
    payload = {
        "broadcast": broadcast.id,
        "from_chat_id": broadcast.source_chat_id,
        "message_id": broadcast.source_message_id,
    }
    for chat in chats:
        await deliveries.enqueue(
            key=f"{key_prefix(broadcast.id)}{chat.telegram_id}",
            kind=KIND,
            chat_id=chat.telegram_id,
            due_at=now,
            now=now,
            payload=payload,
        )
    return len(chats)


async def cancel(session: AsyncSession, broadcast_id: int, user_id: int) -> None:
    """Drop a draft."""
    broadcast = await draft_of(session, broadcast_id, user_id)
    await BroadcastRepo(session).cancel(broadcast.id)


async def _copy(delivery: DeliveryRecord, _now: datetime) -> Outgoing:
    """One copy of the broadcast message.

    Copies exist only for confirmed broadcasts, which cannot be called off, so nothing is
    read first: a broadcast runs at the rate limit, not at the database's pace.
    """
    payload = delivery.payload
    return Copy(int(payload["from_chat_id"]), int(payload["message_id"]))


def delivery_kinds() -> dict[str, DeliveryKind]:
    """The broadcast copy."""
    return {KIND: DeliveryKind(_copy)}


def failure_reason(error: str | None) -> str:
    """Why a copy failed, in the manager's words."""
    text = (error or "").lower()
    if "kicked" in text or "not a member" in text or "forbidden" in text:
        return texts.REASON_REMOVED
    if "chat not found" in text:
        return texts.REASON_NOT_FOUND
    return texts.REASON_OTHER.format(error=error or "")


async def _titles(session: AsyncSession, deliveries: list[DeliveryRecord]) -> list[str]:
    chats = ChatRepo(session)
    lines = []
    for delivery in deliveries[:MAX_FAILURES_LISTED]:
        chat = await chats.get(delivery.chat_id)
        title = chat.title if chat is not None and chat.title else str(delivery.chat_id)
        reason = failure_reason(delivery.last_error)
        lines.append(texts.FAILED_LINE.format(title=title, reason=reason))
    if len(deliveries) > MAX_FAILURES_LISTED:
        lines.append(texts.FAILED_MORE.format(count=len(deliveries) - MAX_FAILURES_LISTED))
    return lines


async def _report(session: AsyncSession, broadcast: BroadcastRecord) -> tuple[str, bool]:
    """The progress text, and whether the broadcast is over."""
    rows = await DeliveryRepo(session).with_prefix(key_prefix(broadcast.id))
    by_status: dict[DeliveryStatus, list[DeliveryRecord]] = {}
    for row in rows:
        by_status.setdefault(row.status, []).append(row)
    sent = len(by_status.get(DeliveryStatus.SENT, []))
    failed = by_status.get(DeliveryStatus.FAILED, [])
    waiting = len(by_status.get(DeliveryStatus.PENDING, [])) + len(
        by_status.get(DeliveryStatus.SENDING, [])
    )
    if waiting:
        text = texts.PROGRESS.format(done=sent + len(failed), total=len(rows), sent=sent)
        return text, False
    lines = [texts.REPORT.format(total=len(rows), sent=sent, failed=len(failed))]
    lines += await _titles(session, failed)
    return "\n".join(lines), True


@dataclass(frozen=True)
class ProgressEdit:
    """A broadcast's progress (or final report) to show on its control message."""

    broadcast_id: int
    chat_id: int
    edit: Edit


async def progress_to_show(database: Database, now: datetime) -> list[ProgressEdit]:
    """Each running broadcast's progress, at most every 5 s; those done get their report."""
    async with database.transaction() as session:
        running = await BroadcastRepo(session).sending()
    edits = []
    for broadcast in running:
        async with database.transaction() as session:
            text, done = await _report(session, broadcast)
            repo = BroadcastRepo(session)
            if done:
                show = await repo.finish(broadcast.id, now, text)
            else:
                show = await repo.claim_progress(broadcast.id, now, PROGRESS_EVERY, text)
        if show and broadcast.control_message_id is not None:
            edit = Edit(broadcast.control_message_id, text, html=False)
            edits.append(ProgressEdit(broadcast.id, broadcast.control_chat_id, edit))
    return edits
