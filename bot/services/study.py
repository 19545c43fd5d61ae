"""Study topics: import, add, edit and delete plans; publish; record study, quiz and make-up.

Publishing is a chain of outbox deliveries (design.md): at import each topic gets one
`study_publish:<topic>:<version>` row due at its publish time (chat 0: it fans out). When
it is due, `publish` marks the topic published and enqueues, per target group,
`study:<topic>:<chat>` (the topic), `study_quiz:<topic>:<chat>:<n>` (quiz polls) and
`study_remind:<topic>:<chat>` (due before the deadline), plus `makeup:<topic>:<user>` for
members on leave from that month's 主题党日. An edit bumps the version, so the old row is
cancelled and a new one carries the new time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import InvalidInput, NotFound, PermissionDenied
from bot.core.recurrence import is_recurrence
from bot.core.study import TopicDraft, schedule_rules, validate_fields
from bot.core.study_fields import key_of
from bot.core.study_time import month_bounds, parse_relative, reminder_time
from bot.core.timeparse import TimeParseError, parse_meeting_time
from bot.core.uploads import read_study_plan
from bot.services import floating_messages
from bot.services.members import Person, record_user
from bot.texts import study as texts
from storage.records import TopicRecord
from storage.repositories import ChatRepo, DeliveryRepo, OrganisationRepo
from storage.repositories.meetings import AnswerRepo
from storage.repositories.study import StudyRepo

PUBLISH, TOPIC, QUIZ, REMIND, REMIND_DM, MAKEUP = (
    "study_publish",
    "study",
    "study_quiz",
    "study_remind",
    "study_remind_dm",
    "makeup",
)
# Make-up material follows leaves recorded up to this long after publishing.
MAKEUP_WINDOW = timedelta(days=45)


async def _enqueue_publish(session: AsyncSession, topic: TopicRecord, now: datetime) -> None:
    await DeliveryRepo(session).enqueue(
        key=f"{PUBLISH}:{topic.id}:{topic.version}",
        kind=PUBLISH,
        chat_id=0,  # a fan-out: it sends nothing itself
        due_at=topic.publish_at,
        now=now,
        payload={"topic": topic.id, "version": topic.version},
    )


async def _store(
    session: AsyncSession,
    org_id: int,
    user_id: int,
    drafts: Sequence[TopicDraft],
    now: datetime,
    tz: ZoneInfo,
) -> list[TopicRecord]:
    repo = StudyRepo(session)
    scheduled = schedule_rules(drafts, await repo.rule_slots_taken(org_id), now, tz)
    topics = []
    for draft in scheduled:
        topic = await repo.create(now=now, organisation_id=org_id, created_by=user_id, draft=draft)
        await _enqueue_publish(session, topic, now)
        topics.append(topic)
    return topics


async def import_plan(
    session: AsyncSession,
    org_id: int,
    user_id: int,
    file: tuple[str, bytes],
    now: datetime,
    tz: ZoneInfo,
) -> list[TopicRecord]:
    """Import a plan file (name, content) whole, or raise PlanError; the caller's transaction."""
    drafts = await read_study_plan(file, now, tz)  # off the event loop, on a budget
    return await _store(session, org_id, user_id, drafts, now, tz)


def typed_value(key: str, text: str, now: datetime, tz: ZoneInfo) -> Any:
    """A value typed in a chat: times may be colloquial (明天下午3点); the rest stays text."""
    if key not in ("publish_at", "deadline") or is_recurrence(text):
        return text
    if key == "deadline" and parse_relative(text) is not None:
        return text
    try:
        return parse_meeting_time(text, now, tz)
    except TimeParseError as err:
        raise InvalidInput(err.message) from None


async def add_topic(
    session: AsyncSession,
    org_id: int,
    user_id: int,
    values: dict[str, Any],
    now: datetime,
    tz: ZoneInfo,
) -> TopicRecord:
    """Add one topic typed in a chat (the guided /study add)."""
    (topic,) = await _store(session, org_id, user_id, [validate_fields(values, now, tz)], now, tz)
    return topic


def values_of(topic: TopicRecord) -> dict[str, Any]:
    """A stored topic as plan values, to change one of them and check the whole again."""
    return {
        "title": topic.title,
        "publish_at": topic.publish_at,
        "summary": topic.summary,
        "materials": list(topic.materials),
        "questions": list(topic.questions),
        "deadline": topic.deadline_at,
        "quiz": [
            {"question": q.question, "options": list(q.options), "answer": q.options[q.answer]}
            for q in topic.quiz
        ],
        "scope": topic.scope.value,
    }


async def planned_topic(session: AsyncSession, topic_id: int, org_id: int | None) -> TopicRecord:
    """A topic the organisation (None: a superadmin) may still change."""
    topic = await StudyRepo(session).get(topic_id)
    if topic is None or topic.status == "deleted":
        raise NotFound(texts.NOT_FOUND.format(id=topic_id))
    if org_id is not None and topic.organisation_id != org_id:
        raise PermissionDenied(texts.NOT_YOURS.format(id=topic_id))
    if not topic.planned:
        raise InvalidInput(texts.ALREADY_PUBLISHED.format(id=topic_id))
    return topic


async def edit_topic(
    session: AsyncSession,
    topic_id: int,
    org_id: int | None,
    change: tuple[str, str],
    now: datetime,
    tz: ZoneInfo,
) -> TopicRecord:
    """Change one field (name, new text) of a planned topic; the publish row follows."""
    topic = await planned_topic(session, topic_id, org_id)
    key = key_of(change[0])
    if key is None or not change[1].strip():
        raise InvalidInput(texts.EDIT_USAGE)
    values = values_of(topic)
    values[key] = typed_value(key, change[1].strip(), now, tz)
    repo = StudyRepo(session)
    draft = validate_fields(values, now, tz)
    taken = await repo.rule_slots_taken(topic.organisation_id) if draft.rule else {}
    (draft,) = schedule_rules([draft], taken, now, tz)
    if key != "publish_at":
        draft = replace(draft, rule=topic.rule)  # same slot: keep showing its rule
    if not await repo.update_planned(topic.id, now, draft):
        raise InvalidInput(texts.ALREADY_PUBLISHED.format(id=topic_id))
    await DeliveryRepo(session).cancel(f"{PUBLISH}:{topic.id}:")
    updated = await repo.get(topic.id)
    assert updated is not None
    await _enqueue_publish(session, updated, now)
    return updated


async def delete_topic(
    session: AsyncSession, topic_id: int, org_id: int | None, now: datetime
) -> TopicRecord:
    """Delete a planned topic and its publish row."""
    topic = await planned_topic(session, topic_id, org_id)
    if not await StudyRepo(session).delete_planned(topic.id, now):
        raise InvalidInput(texts.ALREADY_PUBLISHED.format(id=topic_id))
    await DeliveryRepo(session).cancel(f"{PUBLISH}:{topic.id}:")
    return topic


async def upcoming(session: AsyncSession, org_id: int) -> list[TopicRecord]:
    """The organisation's planned topics, soonest first."""
    return await StudyRepo(session).upcoming([org_id])


async def publish(
    session: AsyncSession, topic_id: int, version: int, now: datetime, tz: ZoneInfo
) -> int | None:
    """Publish this version of a topic to its target groups; None if it changed or went."""
    repo = StudyRepo(session)
    if not await repo.mark_published(topic_id, version, now):
        return None
    topic = await repo.get(topic_id)
    assert topic is not None
    org_ids = [topic.organisation_id]
    if topic.scope.value == "below":
        org_ids = await OrganisationRepo(session).descendant_ids(topic.organisation_id)
    chats = await ChatRepo(session).for_organisations(org_ids)
    deliveries = DeliveryRepo(session)
    for chat in chats:
        assert chat.organisation_id is not None
        await repo.add_target(topic.id, chat.organisation_id, chat.id)
        await _enqueue_group(deliveries, topic, chat.telegram_id, chat.organisation_id, now)
    await enqueue_makeups(session, topic, now, tz)
    await floating_messages.enqueue_topics(session, topic, org_ids, now)  # members away
    return len(chats)


async def _enqueue_group(
    deliveries: DeliveryRepo, topic: TopicRecord, chat_id: int, org_id: int, now: datetime
) -> None:
    """The topic, its quiz polls and its reminder for one group, in that order."""
    payload = {"topic": topic.id, "org": org_id}
    key = f"{TOPIC}:{topic.id}:{chat_id}"
    await deliveries.enqueue(
        key=key, kind=TOPIC, chat_id=chat_id, due_at=now, now=now, payload=payload
    )
    for number in range(len(topic.quiz)):
        await deliveries.enqueue(
            key=f"{QUIZ}:{topic.id}:{chat_id}:{number}",
            kind=QUIZ,
            chat_id=chat_id,
            due_at=now,
            now=now,
            payload={**payload, "question": number},
        )
    await deliveries.enqueue(
        key=f"{REMIND}:{topic.id}:{chat_id}",
        kind=REMIND,
        chat_id=chat_id,
        due_at=max(now, reminder_time(topic.publish_at, topic.deadline_at)),
        expires_at=topic.deadline_at,
        now=now,
        payload={**payload, "topic_key": key},
    )


async def enqueue_makeups(
    session: AsyncSession, topic: TopicRecord, now: datetime, tz: ZoneInfo
) -> int:
    """Make-up material for members on leave from that month's 主题党日; return how many new."""
    repo, deliveries, answers = StudyRepo(session), DeliveryRepo(session), AnswerRepo(session)
    start, end = month_bounds(topic.publish_at, tz)
    added = 0
    for org_id in sorted({target.organisation_id for target in await repo.targets(topic.id)}):
        for user_id, meeting_at in await answers.leaves_from_themed_days(org_id, start, end):
            added += await deliveries.enqueue(
                key=f"{MAKEUP}:{topic.id}:{user_id}",
                kind=MAKEUP,
                chat_id=user_id,
                # After the meeting they miss (and not before the topic is out).
                due_at=max(now, meeting_at),
                now=now,
                payload={"topic": topic.id, "org": org_id},
            )
    return added


async def sweep_makeups(session: AsyncSession, now: datetime, tz: ZoneInfo) -> int:
    """Catch leaves answered after publishing: enqueue make-up material for recent topics."""
    added = 0
    for topic in await StudyRepo(session).published_since(now - MAKEUP_WINDOW):
        added += await enqueue_makeups(session, topic, now, tz)
    return added


@dataclass(frozen=True)
class Recorded:
    """The outcome of a 已学习 / 已补学 tap."""

    topic: TopicRecord
    earlier: tuple[datetime, bool] | None


async def record_study(
    session: AsyncSession, topic_id: int, who: Person, now: datetime, *, makeup: bool
) -> Recorded:
    """Record that a member studied a published topic (the first tap counts)."""
    repo = StudyRepo(session)
    topic = await repo.get(topic_id)
    if topic is None or topic.status != "published":
        raise NotFound(texts.TOPIC_GONE)
    await record_user(session, who, now)
    earlier = await repo.record_study(topic.id, who.id, now, makeup=makeup)
    return Recorded(topic, earlier)


async def record_quiz_answer(
    session: AsyncSession, poll_id: str, who: Person, option_ids: Sequence[int], now: datetime
) -> bool:
    """Record a member's quiz answer; False for unknown polls, retractions and repeats."""
    repo = StudyRepo(session)
    poll = await repo.poll(poll_id)
    if poll is None or not option_ids:
        return False
    await record_user(session, who, now)
    return await repo.record_answer(poll, who.id, option_ids[0], now)
