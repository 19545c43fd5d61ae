"""The outbox sweep: send every due delivery once, through the rate-limited bot.

Each feature registers a sender per delivery kind. A sender renders the message at send
time (so a reminder names who has *still* not answered) and returns the sent message id.
Every delivery is finished in its own transaction right after its send: a crash can
repeat only the message in flight, never a batch.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.core.clock import Clock
from storage.records import DeliveryRecord
from storage.repositories import ChatRepo, DeliveryRepo

log = logging.getLogger(__name__)

BATCH = 50
# A row left `sending` this long belongs to a process that died: send it again.
STALE_AFTER = timedelta(minutes=3)
MAX_ATTEMPTS = 5


class Skip(Exception):
    """Raised by a sender when the message is no longer wanted (meeting cancelled …)."""


@dataclass(frozen=True)
class Outbox:
    """What a sender needs: the bot, the database, the time."""

    bot: Bot
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock


Sender = Callable[[Outbox, DeliveryRecord], Awaitable[int | None]]


class Outcome(Enum):
    """How one attempt ended."""

    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"
    GONE = "gone"  # the chat is gone for the bot: fail, and mark the chat inactive
    MIGRATED = "migrated"


@dataclass(frozen=True)
class Attempt:
    """The outcome of one send, with what is needed to record it."""

    outcome: Outcome
    message_id: int | None = None
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


async def attempt(outbox: Outbox, sender: Sender, delivery: DeliveryRecord) -> Attempt:
    """Send once and classify Telegram's answer."""
    try:
        return Attempt(Outcome.SENT, message_id=await sender(outbox, delivery))
    except Skip:
        return Attempt(Outcome.SKIPPED)
    except RetryAfter as exc:
        wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        return Attempt(Outcome.RETRY, reason="429", retry_after=timedelta(seconds=seconds))
    except ChatMigrated as exc:
        return Attempt(Outcome.MIGRATED, new_chat_id=exc.new_chat_id)
    except Forbidden as exc:
        return Attempt(Outcome.GONE, reason=exc.message)
    except BadRequest as exc:
        gone = "chat not found" in exc.message.lower()
        return Attempt(Outcome.GONE if gone else Outcome.FAILED, reason=exc.message)
    except NetworkError as exc:
        backoff = timedelta(seconds=10 * 2**delivery.attempts)
        return Attempt(Outcome.RETRY, reason=f"network: {exc}", retry_after=backoff)
    except Exception as exc:
        log.exception("Sender for %s crashed", delivery.key)
        return Attempt(Outcome.FAILED, reason=f"internal error: {type(exc).__name__}")


async def record(
    session: AsyncSession, delivery: DeliveryRecord, result: Attempt, outbox: Outbox
) -> str:
    """Store the attempt's outcome; return the counter it adds to."""
    repo, now = DeliveryRepo(session), outbox.clock.now()
    match result.outcome:
        case Outcome.SENT:
            await repo.mark_sent(delivery.id, message_id=result.message_id, now=now)
            return "sent"
        case Outcome.SKIPPED:
            await repo.mark_expired(delivery.id)
            return "expired"
        case Outcome.MIGRATED if delivery.attempts < MAX_ATTEMPTS:
            # Follow the supergroup and send again at once; the chat's rows all move.
            await ChatRepo(session).migrate(delivery.chat_id, result.new_chat_id, now)
            await repo.retry_at(delivery.id, now, f"migrated to {result.new_chat_id}")
            return "retried"
        case Outcome.RETRY if delivery.attempts < MAX_ATTEMPTS:
            await repo.retry_at(delivery.id, now + result.retry_after, result.reason)
            return "retried"
        case Outcome.GONE if delivery.chat_id < 0:
            await ChatRepo(session).set_active(delivery.chat_id, False, now)
    await repo.mark_failed(delivery.id, result.reason)
    return "failed"


class Senders:
    """The registry of senders by delivery kind, and the sweep that uses it."""

    def __init__(self) -> None:
        self._senders: dict[str, Sender] = {}
        self._lock = asyncio.Lock()

    @property
    def sweeping(self) -> bool:
        """True while a sweep runs in this process."""
        return self._lock.locked()

    def register(self, kind: str, sender: Sender) -> None:
        """Use `sender` for deliveries of `kind`."""
        self._senders[kind] = sender

    async def sweep(self, outbox: Outbox) -> SweepReport:
        """Send everything due now; one sweep at a time per process."""
        report = SweepReport()
        async with self._lock:
            # Until nothing is due: a delivery re-queued for "now" (a migrated chat) goes out
            # in the same sweep; every claim counts an attempt, so this ends.
            while batch := await self._claim(outbox):
                for delivery in batch:
                    await self._deliver(outbox, delivery, report)
        return report

    @staticmethod
    async def _claim(outbox: Outbox) -> list[DeliveryRecord]:
        async with outbox.sessions.begin() as session:
            return await DeliveryRepo(session).claim_due(
                outbox.clock.now(), limit=BATCH, stale_after=STALE_AFTER
            )

    async def _deliver(
        self, outbox: Outbox, delivery: DeliveryRecord, report: SweepReport
    ) -> None:
        sender = self._senders.get(delivery.kind)
        if delivery.expires_at is not None and outbox.clock.now() >= delivery.expires_at:
            result = Attempt(Outcome.SKIPPED)
        elif sender is None:
            result = Attempt(Outcome.FAILED, reason=f"no sender for {delivery.kind!r}")
        else:
            result = await attempt(outbox, sender, delivery)
        async with outbox.sessions.begin() as session:
            counter = await record(session, delivery, result, outbox)
        setattr(report, counter, getattr(report, counter) + 1)
        if counter == "failed":
            report.errors.append(f"{delivery.key}: {result.reason}")
