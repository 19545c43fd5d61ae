"""Organisations' FAQ entries and unanswered questions, returned as frozen dataclasses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.faq import FaqEntry
from storage.models import Chat
from storage.models.faq import FaqEntryRow, FaqQuestion
from storage.records import PENDING, EntriesStamp, QuestionRecord, StoredEntry


def _entry(row: FaqEntryRow) -> StoredEntry:
    entry = FaqEntry(
        id=row.slug,
        question=row.question,
        phrasings=tuple(row.phrasings),
        keywords=tuple(row.keywords),
        answer=row.answer,
        source=row.source,
        org_id=row.organisation_id,
    )
    return StoredEntry(id=row.id, entry=entry, created_by=row.created_by)


class FaqEntryRepo:
    """Reads and writes organisations' entries."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, entry_id: int) -> StoredEntry | None:
        """The entry with this 编号."""
        row = await self._session.get(FaqEntryRow, entry_id)
        return _entry(row) if row else None

    async def of_organisation(self, organisation_id: int) -> list[StoredEntry]:
        """One organisation's entries, oldest first."""
        rows = await self._session.scalars(
            select(FaqEntryRow)
            .where(FaqEntryRow.organisation_id == organisation_id)
            .order_by(FaqEntryRow.id)
        )
        return [_entry(row) for row in rows]

    async def all(self) -> list[StoredEntry]:
        """Every organisation's entries (to build the matcher)."""
        rows = await self._session.scalars(select(FaqEntryRow).order_by(FaqEntryRow.id))
        return [_entry(row) for row in rows]

    async def count(self, organisation_id: int) -> int:
        """How many entries the organisation has."""
        total = await self._session.scalar(
            select(func.count()).where(FaqEntryRow.organisation_id == organisation_id)
        )
        return int(total or 0)

    async def stamp(self) -> EntriesStamp:
        """A cheap fingerprint of the whole table."""
        row = (
            await self._session.execute(
                select(func.count(), func.max(FaqEntryRow.id), func.max(FaqEntryRow.updated_at))
            )
        ).one()
        return EntriesStamp(int(row[0]), row[1], row[2])

    async def slugs(self, organisation_id: int) -> dict[str, int]:
        """The organisation's YAML ids, each with its entry's 编号."""
        rows = await self._session.execute(
            select(FaqEntryRow.slug, FaqEntryRow.id).where(
                FaqEntryRow.organisation_id == organisation_id
            )
        )
        return {slug: entry_id for slug, entry_id in rows}

    async def add(self, entry: FaqEntry, *, created_by: int, now: datetime) -> StoredEntry:
        """Store a new entry of ``entry.org_id``."""
        assert entry.org_id is not None
        row = FaqEntryRow(
            organisation_id=entry.org_id,
            slug=entry.id,
            created_by=created_by,
            created_at=now,
        )
        _fill(row, entry, now)
        self._session.add(row)
        await self._session.flush()
        return _entry(row)

    async def replace(self, entry_id: int, entry: FaqEntry, now: datetime) -> StoredEntry:
        """Overwrite an entry's texts (its organisation stays)."""
        row = await self._session.get_one(FaqEntryRow, entry_id)
        row.slug = entry.id
        _fill(row, entry, now)
        await self._session.flush()
        return _entry(row)

    async def delete(self, entry_id: int) -> None:
        """Remove an entry."""
        await self._session.execute(delete(FaqEntryRow).where(FaqEntryRow.id == entry_id))


def _fill(row: FaqEntryRow, entry: FaqEntry, now: datetime) -> None:
    row.question, row.answer, row.source = entry.question, entry.answer, entry.source
    row.phrasings, row.keywords = list(entry.phrasings), list(entry.keywords)
    row.updated_at = now


class FaqQuestionRepo:
    """Reads and writes the questions the bot could not answer."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @staticmethod
    def _select() -> Select[FaqQuestion, int]:
        return select(FaqQuestion, Chat.telegram_id).outerjoin(
            Chat, Chat.id == FaqQuestion.chat_id
        )

    async def get(self, question_id: int) -> QuestionRecord | None:
        """The question with this id."""
        row = await self._session.execute(self._select().where(FaqQuestion.id == question_id))
        found = row.first()
        return _question(*found) if found else None

    async def pending_of(self, organisation_id: int, limit: int) -> list[QuestionRecord]:
        """The organisation's oldest pending questions."""
        rows = await self._session.execute(
            self._select()
            .where(FaqQuestion.organisation_id == organisation_id, FaqQuestion.status == PENDING)
            .order_by(FaqQuestion.asked_at, FaqQuestion.id)
            .limit(limit)
        )
        return [_question(row, telegram_id) for row, telegram_id in rows]

    async def count_pending(self, organisation_id: int) -> int:
        """How many questions of the organisation wait for an answer."""
        total = await self._session.scalar(
            select(func.count()).where(
                FaqQuestion.organisation_id == organisation_id, FaqQuestion.status == PENDING
            )
        )
        return int(total or 0)

    async def record(
        self,
        *,
        organisation_id: int | None,
        chat_id: int | None,
        user_id: int,
        asker_name: str,
        question: str,
        now: datetime,
    ) -> int:
        """Keep a question; the same pending question of the organisation counts again."""
        same = await self._session.scalar(
            select(FaqQuestion).where(
                FaqQuestion.organisation_id.is_(None)
                if organisation_id is None
                else FaqQuestion.organisation_id == organisation_id,
                FaqQuestion.status == PENDING,
                FaqQuestion.question == question,
            )
        )
        if same is not None:
            same.times += 1
            await self._session.flush()
            return same.id
        row = FaqQuestion(
            organisation_id=organisation_id,
            chat_id=chat_id,
            user_id=user_id,
            asker_name=asker_name,
            question=question,
            times=1,
            asked_at=now,
            status=PENDING,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def resolve(
        self, question_id: int, *, status: str, by: int, now: datetime, entry_id: int | None = None
    ) -> bool:
        """Mark a pending question answered or dismissed; False when it no longer was pending."""
        result = await self._session.execute(
            update(FaqQuestion)
            .where(FaqQuestion.id == question_id, FaqQuestion.status == PENDING)
            .values(status=status, resolved_by=by, resolved_at=now, entry_id=entry_id)
        )
        return bool(getattr(result, "rowcount", 0))


def _question(row: FaqQuestion, telegram_id: int | None) -> QuestionRecord:
    return QuestionRecord(
        id=row.id,
        organisation_id=row.organisation_id,
        chat_telegram_id=telegram_id,
        user_id=row.user_id,
        asker_name=row.asker_name,
        question=row.question,
        times=row.times,
        asked_at=row.asked_at,
        status=row.status,
        entry_id=row.entry_id,
    )
