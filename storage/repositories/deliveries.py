"""The deliveries outbox: enqueue once by key, claim atomically, mark the outcome."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import DUE_NOW, dialect_insert
from storage.models import Delivery
from storage.records import DeliveryRecord, DeliveryStatus


def _record(row: Delivery) -> DeliveryRecord:
    return DeliveryRecord(
        id=row.id,
        key=row.key,
        kind=row.kind,
        chat_id=row.chat_id,
        due_at=row.due_at,
        expires_at=row.expires_at,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        payload=dict(row.payload or {}),
        message_id=row.message_id,
        last_error=row.last_error,
    )


class DeliveryRepo:
    """Reads and writes the outbox."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    async def enqueue(
        self,
        *,
        key: str,
        kind: str,
        chat_id: int,
        due_at: datetime,
        now: datetime,
        payload: dict[str, Any] | None = None,
        expires_at: datetime | None = None,
    ) -> bool:
        """Add a delivery unless one with this key exists; True when added."""
        values = {
            "key": key,
            "kind": kind,
            "chat_id": chat_id,
            "payload": payload or {},
            "due_at": due_at,
            "expires_at": expires_at,
            "status": DeliveryStatus.PENDING.value,
            "attempts": 0,
            "created_at": now,
        }
        statement = (
            dialect_insert(self._session)(Delivery)
            .values(values)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        result = await self._session.execute(statement)
        added = bool(result.rowcount)  # type: ignore[attr-defined]
        if added and due_at <= now:
            self._session.info[DUE_NOW] = True  # Database wakes the sweep after the commit
        return added

    async def enqueue_many(self, deliveries: list[dict[str, Any]], now: datetime) -> None:
        """Add each delivery (key, kind, chat_id, due_at, payload, expires_at) unless one
        with its key exists: one statement for all (a weekly run queues 300 posts)."""
        if not deliveries:
            return
        rows = [
            {
                **row,
                "payload": row.get("payload") or {},
                "expires_at": row.get("expires_at"),
                "status": DeliveryStatus.PENDING.value,
                "attempts": 0,
                "created_at": now,
            }
            for row in deliveries
        ]
        statement = dialect_insert(self._session)(Delivery).on_conflict_do_nothing(
            index_elements=["key"]
        )
        await self._session.execute(statement, rows)
        if any(row["due_at"] <= now for row in rows):
            self._session.info[DUE_NOW] = True  # Database wakes the sweep after the commit

    async def claim_due(
        self, now: datetime, *, owner: str, limit: int, lease: timedelta
    ) -> list[DeliveryRecord]:
        """Atomically take up to `limit` due rows for `owner` to send, oldest first.

        A row in `sending` whose lease ran out belongs to a process that died: it is taken
        again (delivery is at least once; only the message in flight can repeat).
        """
        claimable = (Delivery.status == DeliveryStatus.PENDING.value) | (
            (Delivery.status == DeliveryStatus.SENDING.value)
            & ((Delivery.lease_until.is_(None)) | (Delivery.lease_until < now))
        )
        candidates = (
            select(Delivery.id)
            .where(claimable, Delivery.due_at <= now)
            .order_by(Delivery.due_at, Delivery.id)
            .limit(limit)
        )
        if self._dialect == "postgresql":
            # Several bot processes may sweep at once: the row lock is the claim.
            candidates = candidates.with_for_update(skip_locked=True)
        rows = await self._session.scalars(
            update(Delivery)
            .where(Delivery.id.in_(candidates.scalar_subquery()))
            .values(
                status=DeliveryStatus.SENDING.value,
                claimed_at=now,
                claimed_by=owner,
                lease_until=now + lease,
                attempts=Delivery.attempts + 1,
            )
            .returning(Delivery),
            execution_options={"synchronize_session": False},
        )
        return sorted((_record(row) for row in rows), key=lambda d: (d.due_at, d.id))

    async def next_due(self) -> datetime | None:
        """When the earliest pending delivery falls due."""
        return await self._session.scalar(
            select(func.min(Delivery.due_at)).where(
                Delivery.status == DeliveryStatus.PENDING.value
            )
        )

    async def renew(self, owner: str, now: datetime, lease: timedelta) -> int:
        """Extend the leases of every row `owner` is sending; how many it holds."""
        result = await self._session.execute(
            update(Delivery)
            .where(
                Delivery.claimed_by == owner,
                Delivery.status == DeliveryStatus.SENDING.value,
            )
            .values(lease_until=now + lease)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def _finish(self, delivery_id: int, **values: Any) -> None:
        await self._session.execute(
            update(Delivery).where(Delivery.id == delivery_id).values(**values)
        )

    async def mark_sent(self, delivery_id: int, *, message_id: int | None, now: datetime) -> None:
        """The message went out."""
        await self._finish(
            delivery_id, status=DeliveryStatus.SENT.value, message_id=message_id, sent_at=now
        )

    async def mark_failed(self, delivery_id: int, error: str) -> None:
        """The message can never go out (chat gone, bot removed …)."""
        await self._finish(delivery_id, status=DeliveryStatus.FAILED.value, last_error=error)

    async def mark_expired(self, delivery_id: int) -> None:
        """Too late to be useful; not sent."""
        await self._finish(delivery_id, status=DeliveryStatus.EXPIRED.value)

    async def retry_at(self, delivery_id: int, due_at: datetime, error: str) -> None:
        """A passing failure: try again at `due_at`."""
        await self._finish(
            delivery_id, status=DeliveryStatus.PENDING.value, due_at=due_at, last_error=error
        )

    async def cancel(self, key_prefix: str) -> int:
        """Cancel pending deliveries whose key starts with the prefix; return how many."""
        result = await self._session.execute(
            update(Delivery)
            .where(
                Delivery.key.startswith(key_prefix, autoescape=True),
                Delivery.status == DeliveryStatus.PENDING.value,
            )
            .values(status=DeliveryStatus.CANCELLED.value)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def by_key(self, key: str) -> DeliveryRecord | None:
        """The delivery with this key."""
        row = await self._session.scalar(select(Delivery).where(Delivery.key == key))
        return _record(row) if row else None

    async def with_prefix(self, key_prefix: str) -> list[DeliveryRecord]:
        """Every delivery whose key starts with the prefix, by due time."""
        rows = await self._session.scalars(
            select(Delivery)
            .where(Delivery.key.startswith(key_prefix, autoescape=True))
            .order_by(Delivery.due_at, Delivery.id)
        )
        return [_record(row) for row in rows]

    async def counts(self, key_prefix: str = "") -> dict[DeliveryStatus, int]:
        """Deliveries per status, optionally for one key prefix."""
        statement = select(Delivery.status, func.count()).group_by(Delivery.status)
        if key_prefix:
            # Without a prefix the (status, due_at) index answers alone: metrics count often.
            statement = statement.where(Delivery.key.startswith(key_prefix, autoescape=True))
        rows = await self._session.execute(statement)
        return {DeliveryStatus(status): count for status, count in rows}

    async def oldest_due(self, now: datetime) -> datetime | None:
        """The due time of the longest-waiting pending delivery that is due; None if none."""
        return await self._session.scalar(
            select(func.min(Delivery.due_at)).where(
                Delivery.status == DeliveryStatus.PENDING.value, Delivery.due_at <= now
            )
        )
