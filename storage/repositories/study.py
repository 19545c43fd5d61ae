"""Study topics, their targets, records and quiz answers; returned as frozen dataclasses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.study import TopicDraft
from bot.core.study_quiz import QuizItem
from storage.db import dialect_insert
from storage.models import (
    Chat,
    Member,
    StudyAnswer,
    StudyPoll,
    StudyRecord,
    StudyTarget,
    StudyTopic,
)
from storage.records import (
    DELETED,
    PLANNED,
    PUBLISHED,
    PollRecord,
    TargetRecord,
    TopicRecord,
)


def _topic(row: StudyTopic) -> TopicRecord:
    return TopicRecord(
        id=row.id,
        organisation_id=row.organisation_id,
        title=row.title,
        summary=row.summary,
        materials=tuple(row.materials),
        questions=tuple(row.questions),
        quiz=tuple(QuizItem.from_dict(item) for item in row.quiz),
        scope=row.scope,
        publish_at=row.publish_at,
        rule=row.rule,
        deadline_at=row.deadline_at,
        status=row.status,
        version=row.version,
        published_at=row.published_at,
    )


def _columns(draft: TopicDraft) -> dict[str, Any]:
    """A checked, scheduled draft as StudyTopic columns (JSON lists, quiz as dicts)."""
    assert draft.publish_at is not None
    assert draft.deadline_at is not None
    return {
        "title": draft.title,
        "summary": draft.summary,
        "materials": list(draft.materials),
        "questions": list(draft.questions),
        "quiz": [item.to_dict() for item in draft.quiz],
        "scope": draft.scope,
        "publish_at": draft.publish_at,
        "rule": draft.rule,
        "deadline_at": draft.deadline_at,
    }


class StudyRepo:
    """Reads and writes study topics and what members did with them."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(
        self, *, now: datetime, organisation_id: int, created_by: int, draft: TopicDraft
    ) -> TopicRecord:
        """Add a planned topic (version 1); rule topics are scheduled already."""
        row = StudyTopic(
            organisation_id=organisation_id,
            created_by=created_by,
            status=PLANNED,
            version=1,
            created_at=now,
            updated_at=now,
            **_columns(draft),
        )
        self._session.add(row)
        await self._session.flush()
        return _topic(row)

    async def get(self, topic_id: int) -> TopicRecord | None:
        """The topic with this id (deleted ones too)."""
        row = await self._session.scalar(
            select(StudyTopic)
            .where(StudyTopic.id == topic_id)
            .execution_options(populate_existing=True)
        )
        return _topic(row) if row else None

    async def update_planned(self, topic_id: int, now: datetime, draft: TopicDraft) -> bool:
        """Replace a topic that is still planned, raising its version; False if it is not."""
        result = await self._session.execute(
            update(StudyTopic)
            .where(StudyTopic.id == topic_id, StudyTopic.status == PLANNED)
            .values(updated_at=now, version=StudyTopic.version + 1, **_columns(draft))
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def delete_planned(self, topic_id: int, now: datetime) -> bool:
        """Delete a topic that is still planned; False if it is not."""
        return await self._set_status(topic_id, PLANNED, DELETED, updated_at=now)

    async def mark_published(self, topic_id: int, version: int, now: datetime) -> bool:
        """Publish this version of a planned topic; False if it changed or went already."""
        result = await self._session.execute(
            update(StudyTopic)
            .where(
                StudyTopic.id == topic_id,
                StudyTopic.status == PLANNED,
                StudyTopic.version == version,
            )
            .values(status=PUBLISHED, published_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def _set_status(self, topic_id: int, old: str, new: str, **values: Any) -> bool:
        result = await self._session.execute(
            update(StudyTopic)
            .where(StudyTopic.id == topic_id, StudyTopic.status == old)
            .values(status=new, **values)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def upcoming(self, org_ids: list[int], *, limit: int = 30) -> list[TopicRecord]:
        """Planned topics of these organisations, soonest first."""
        rows = await self._session.scalars(
            select(StudyTopic)
            .where(StudyTopic.organisation_id.in_(org_ids), StudyTopic.status == PLANNED)
            .order_by(StudyTopic.publish_at, StudyTopic.id)
            .limit(limit)
        )
        return [_topic(row) for row in rows]

    async def rule_slots_taken(self, org_id: int) -> dict[str, datetime]:
        """For each rule, the latest publish time a planned topic of the organisation holds."""
        rows = await self._session.execute(
            select(StudyTopic.rule, func.max(StudyTopic.publish_at))
            .where(
                StudyTopic.organisation_id == org_id,
                StudyTopic.status == PLANNED,
                StudyTopic.rule.is_not(None),
            )
            .group_by(StudyTopic.rule)
        )
        return {rule: when for rule, when in rows if rule is not None}

    async def published_reaching(self, org_ids: list[int], *, limit: int = 1) -> list[TopicRecord]:
        """Published topics that went to any of these organisations, newest first."""
        reached = select(StudyTarget.topic_id).where(StudyTarget.organisation_id.in_(org_ids))
        rows = await self._session.scalars(
            select(StudyTopic)
            .where(StudyTopic.id.in_(reached), StudyTopic.status == PUBLISHED)
            .order_by(StudyTopic.published_at.desc(), StudyTopic.id.desc())
            .limit(limit)
        )
        return [_topic(row) for row in rows]

    async def published_since(self, since: datetime) -> list[TopicRecord]:
        """Topics published at or after `since` (make-up material may still be due)."""
        rows = await self._session.scalars(
            select(StudyTopic)
            .where(StudyTopic.status == PUBLISHED, StudyTopic.published_at >= since)
            .order_by(StudyTopic.id)
        )
        return [_topic(row) for row in rows]

    async def add_target(self, topic_id: int, organisation_id: int, chat_id: int) -> None:
        """Note that the topic went to this group (once)."""
        statement = (
            dialect_insert(self._session)(StudyTarget)
            .values(topic_id=topic_id, organisation_id=organisation_id, chat_id=chat_id)
            .on_conflict_do_nothing(index_elements=["topic_id", "chat_id"])
        )
        await self._session.execute(statement)

    async def targets(self, topic_id: int) -> list[TargetRecord]:
        """Where the topic went, with each group's current Telegram id."""
        rows = await self._session.execute(
            select(StudyTarget.organisation_id, Chat.id, Chat.telegram_id)
            .join(Chat, StudyTarget.chat_id == Chat.id)
            .where(StudyTarget.topic_id == topic_id)
            .order_by(StudyTarget.id)
        )
        return [TargetRecord(org, chat, telegram) for org, chat, telegram in rows]

    async def record_study(
        self, topic_id: int, user_id: int, now: datetime, *, makeup: bool
    ) -> tuple[datetime, bool] | None:
        """Record 已学习/已补学 once; None when new, else the earlier (time, makeup)."""
        earlier = await self._session.execute(
            select(StudyRecord.studied_at, StudyRecord.makeup).where(
                StudyRecord.topic_id == topic_id, StudyRecord.user_id == user_id
            )
        )
        found = earlier.first()
        if found is not None:
            return found[0], found[1]
        statement = (
            dialect_insert(self._session)(StudyRecord)
            .values(topic_id=topic_id, user_id=user_id, studied_at=now, makeup=makeup)
            .on_conflict_do_nothing(index_elements=["topic_id", "user_id"])
        )
        await self._session.execute(statement)
        return None

    async def studied(
        self, topic_id: int, *, user_id: int | None = None, organisation_id: int | None = None
    ) -> dict[int, tuple[datetime, bool]]:
        """Who studied the topic: user id -> (when, make-up or not); only that user, or only
        active members of that organisation, when given (a county-wide topic has thousands
        of records: a composer asking about one person reads one row)."""
        query = select(StudyRecord.user_id, StudyRecord.studied_at, StudyRecord.makeup).where(
            StudyRecord.topic_id == topic_id
        )
        if user_id is not None:
            query = query.where(StudyRecord.user_id == user_id)
        if organisation_id is not None:
            members = select(Member.user_id).where(
                Member.organisation_id == organisation_id, Member.left_at.is_(None)
            )
            query = query.where(StudyRecord.user_id.in_(members))
        rows = await self._session.execute(query)
        return {user: (when, makeup) for user, when, makeup in rows}

    async def add_poll(self, poll_id: str, topic_id: int, question: int, correct: int) -> None:
        """Remember what a sent quiz poll asks."""
        self._session.add(
            StudyPoll(
                poll_id=poll_id, topic_id=topic_id, question=question, correct_option=correct
            )
        )
        await self._session.flush()

    async def poll(self, poll_id: str) -> PollRecord | None:
        """The quiz question behind a poll id."""
        row = await self._session.get(StudyPoll, poll_id)
        return PollRecord(row.topic_id, row.question, row.correct_option) if row else None

    async def record_answer(
        self, poll: PollRecord, user_id: int, option: int, now: datetime
    ) -> bool:
        """Record a member's first answer to a quiz question; False if they had answered."""
        statement = (
            dialect_insert(self._session)(StudyAnswer)
            .values(
                topic_id=poll.topic_id,
                question=poll.question,
                user_id=user_id,
                option=option,
                correct=option == poll.correct_option,
                answered_at=now,
            )
            .on_conflict_do_nothing(index_elements=["topic_id", "question", "user_id"])
        )
        result = await self._session.execute(statement)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def scores(self, topic_id: int) -> dict[int, tuple[int, int]]:
        """Quiz results per user: (correct answers, questions answered)."""
        correct = func.sum(case((StudyAnswer.correct.is_(True), 1), else_=0))
        rows = await self._session.execute(
            select(StudyAnswer.user_id, correct, func.count())
            .where(StudyAnswer.topic_id == topic_id)
            .group_by(StudyAnswer.user_id)
        )
        return {user: (int(right or 0), int(total)) for user, right, total in rows}
