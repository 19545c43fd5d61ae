"""The outbox as the delivery door uses it: claim what is due, compose it, record the outcome.

Each feature declares its delivery kinds: a composer that renders the message at send time
from the database (so a reminder names who has *still* not answered) and, optionally, what
to store once Telegram accepted it. The door (delivery/) sends; this module never touches
Telegram. Every delivery is recorded in its own transaction right after its send: a crash
can repeat only the message in flight, never a batch.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.services.outgoing import Outgoing, Sent
from storage.db import Database
from storage.records import DeliveryRecord
from storage.repositories import ChatRepo, DeliveryRepo, UserRepo

log = logging.getLogger(__name__)

# Few rows per claim: a killed process strands only these until their lease runs out, and
# claiming again is cheap (one indexed UPDATE … RETURNING).
BATCH = 10
# A sweeping process holds the rows it claimed for LEASE and renews the lease every
# RENEW_EVERY while it lives; rows of a process killed mid-sweep are claimable again at
# most LEASE later, so a restart (or another process) resumes within seconds.
LEASE = timedelta(seconds=4)
RENEW_EVERY = timedelta(seconds=1)
MAX_ATTEMPTS = 5


class Skip(Exception):
    """Raised by a composer when the message is no longer wanted (meeting cancelled …)."""


Compose = Callable[[DeliveryRecord, datetime], Awaitable[Outgoing | None]]
AfterSent = Callable[[AsyncSession, DeliveryRecord, Sent], Awaitable[None]]


@dataclass(frozen=True)
class DeliveryKind:
    """How one kind of delivery is composed (None: nothing to send, e.g. a fan-out), and
    what is stored once it went out."""

    compose: Compose
    after_sent: AfterSent | None = None


SessionCompose = Callable[[AsyncSession, DeliveryRecord, datetime], Awaitable[Outgoing | None]]


def composed_in_transaction(
    database: Database, compose: SessionCompose, after_sent: AfterSent | None = None
) -> DeliveryKind:
    """A kind whose composer reads (and may enqueue) in a transaction of its own."""

    async def composed(delivery: DeliveryRecord, now: datetime) -> Outgoing | None:
        async def attempt() -> Outgoing | None:
            async with database.transaction() as session:
                return await compose(session, delivery, now)

        return await database.retrying(attempt)

    return DeliveryKind(composed, after_sent)


class Outcome(Enum):
    """How one attempt ended."""

    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"
    GONE = "gone"  # the chat is gone for the bot: fail; a group goes inactive, a person's DM off
    MIGRATED = "migrated"


@dataclass(frozen=True)
class Attempt:
    """The outcome of one send, with what is needed to record it."""

    outcome: Outcome
    sent: Sent | None = None
    reason: str = ""
    retry_after: timedelta = timedelta(0)
    new_chat_id: int = 0


@dataclass
class SweepReport:
    """What one sweep did, by outcome."""

    sent: int = 0
    failed: int = 0
    expired: int = 0
    retried: int = 0
    errors: list[str] = field(default_factory=list)

    def count(self, counter: str, delivery: DeliveryRecord, attempt: Attempt) -> None:
        """Add one delivery's outcome."""
        setattr(self, counter, getattr(self, counter) + 1)
        if counter == "failed":
            self.errors.append(f"{delivery.key}: {attempt.reason}")


class Outbox:
    """The deliveries table, the registered kinds, and the clock."""

    def __init__(self, database: Database, clock: Clock, owner: str) -> None:
        self.database, self.clock = database, clock
        self.owner = owner  # who claims: this process start (bot/services/processes.py)
        self._kinds: dict[str, DeliveryKind] = {}

    def register(self, kinds: Mapping[str, DeliveryKind]) -> None:
        """Use these composers for deliveries of their kinds (the composition root calls it)."""
        self._kinds.update(kinds)

    def kind(self, name: str) -> DeliveryKind:
        """The registered kind called `name`."""
        return self._kinds[name]

    async def claim(self) -> list[DeliveryRecord]:
        """Take up to BATCH due deliveries for sending, leased to this process."""
        async with self.database.transaction() as session:
            return await DeliveryRepo(session).claim_due(
                self.clock.now(), owner=self.owner, limit=BATCH, lease=LEASE
            )

    async def seconds_to_next_due(self) -> float | None:
        """How long until the earliest pending delivery falls due (None: nothing pending)."""
        async with self.database.transaction() as session:
            due = await DeliveryRepo(session).next_due()
        return None if due is None else (due - self.clock.now()).total_seconds()

    async def renew(self) -> int:
        """Keep holding what this process is sending; how many rows it holds."""
        async with self.database.transaction() as session:
            return await DeliveryRepo(session).renew(self.owner, self.clock.now(), LEASE)

    async def prepare(self, delivery: DeliveryRecord) -> Outgoing | Attempt | None:
        """The message to send now; an Attempt when it ends without sending; None when the
        delivery sends nothing itself (it fanned out)."""
        now = self.clock.now()
        kind = self._kinds.get(delivery.kind)
        if delivery.expires_at is not None and now >= delivery.expires_at:
            return Attempt(Outcome.SKIPPED)
        if kind is None:
            return Attempt(Outcome.FAILED, reason=f"no sender for {delivery.kind!r}")
        try:
            return await kind.compose(delivery, now)
        except Skip:
            return Attempt(Outcome.SKIPPED)
        except Exception as exc:
            log.exception("Composing %s crashed", delivery.key)
            return Attempt(Outcome.FAILED, reason=f"internal error: {type(exc).__name__}")

    async def record(self, delivery: DeliveryRecord, attempt: Attempt) -> str:
        """Store the attempt's outcome (and what its kind keeps); return the report counter."""
        kind = self._kinds.get(delivery.kind)

        async def recorded() -> str:
            # Retried on a lock: otherwise the row would stay `sending` and go out again.
            async with self.database.transaction() as session:
                counter = await _record(session, delivery, attempt, self.clock.now())
                if counter == "sent" and attempt.sent is not None and kind and kind.after_sent:
                    await kind.after_sent(session, delivery, attempt.sent)
            return counter

        return await self.database.retrying(recorded)


async def _record(
    session: AsyncSession, delivery: DeliveryRecord, attempt: Attempt, now: datetime
) -> str:
    repo = DeliveryRepo(session)
    match attempt.outcome:
        case Outcome.SENT:
            message_id = attempt.sent.message_id if attempt.sent else None
            await repo.mark_sent(delivery.id, message_id=message_id, now=now)
            return "sent"
        case Outcome.SKIPPED:
            await repo.mark_expired(delivery.id)
            return "expired"
        case Outcome.MIGRATED if delivery.attempts < MAX_ATTEMPTS:
            # Follow the supergroup and send again at once; the chat's rows all move.
            await ChatRepo(session).migrate(delivery.chat_id, attempt.new_chat_id, now)
            await repo.retry_at(delivery.id, now, f"migrated to {attempt.new_chat_id}")
            return "retried"
        case Outcome.RETRY if delivery.attempts < MAX_ATTEMPTS:
            await repo.retry_at(delivery.id, now + attempt.retry_after, attempt.reason)
            return "retried"
        case Outcome.GONE if delivery.chat_id < 0:
            await ChatRepo(session).set_active(delivery.chat_id, False, now)
        case Outcome.GONE:
            # The person blocked the bot (or never started it): stop messaging them.
            await UserRepo(session).set_can_dm(delivery.chat_id, False, now)
    await repo.mark_failed(delivery.id, attempt.reason)
    return "failed"
