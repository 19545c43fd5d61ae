"""What operations ask of the running bot: does the database answer, how is the outbox doing.

The HTTP door (web/) serves these as /healthz and /metrics; it never touches SQL itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.core.clock import Clock
from storage.db import Database
from storage.records import DeliveryStatus
from storage.repositories import DeliveryRepo


@dataclass(frozen=True)
class OutboxStats:
    """Deliveries per status (every status, zeros included) and how late the sweep is."""

    by_status: dict[DeliveryStatus, int]
    lag: timedelta  # now minus the due time of the oldest due pending delivery; 0 if none


class OpsService:
    """Read-only checks on the database and the outbox (no access check: the door guards)."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self.database, self.clock = database, clock

    async def database_problem(self) -> str | None:
        """None when the database answers SELECT 1; otherwise one line saying why not."""
        try:
            async with self.database.sessions() as session:
                await session.execute(text("SELECT 1"))
        except (OSError, SQLAlchemyError) as exc:
            return describe(exc)
        return None

    async def outbox_stats(self) -> OutboxStats:
        """Deliveries per status and the sweep's lag, read in one transaction."""
        now = self.clock.now()
        async with self.database.transaction() as session:
            repo = DeliveryRepo(session)
            counts = await repo.counts()
            oldest = await repo.oldest_due(now)
        by_status = {status: counts.get(status, 0) for status in DeliveryStatus}
        lag = max(now - oldest, timedelta(0)) if oldest is not None else timedelta(0)
        return OutboxStats(by_status, lag)


def describe(exc: BaseException) -> str:
    """`ErrorType: first line` of the driver's error (SQLAlchemy wraps it; URLs not shown)."""
    cause = getattr(exc, "orig", None) or exc
    first = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    return f"{type(cause).__name__}: {first}" if first else type(cause).__name__
