"""What study deliveries say: each is composed at send time from the database.

A composer raises Skip when its message is no longer wanted (everybody studied, the member
made up already or is no longer on leave). Publishing itself sends nothing: it fans out
into the topic, quiz and reminder deliveries of each target group.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.study_time import month_bounds
from bot.services import study
from bot.services.outbox import DeliveryKind, SessionCompose, Skip, composed_in_transaction
from bot.services.outgoing import Button, Outgoing, Quiz, Sent, Text, keyboard
from bot.services.study_views import mention, topic_body, topic_message, when_text
from bot.texts import study as texts
from storage.db import Database
from storage.records import DeliveryRecord, MemberRecord, TopicRecord
from storage.repositories import DeliveryRepo, MemberRepo
from storage.repositories.meetings import AnswerRepo
from storage.repositories.study import StudyRepo

MAX_MENTIONS = 30


async def _topic(session: AsyncSession, delivery: DeliveryRecord) -> TopicRecord:
    topic = await StudyRepo(session).get(int(delivery.payload["topic"]))
    if topic is None or topic.status != "published":
        raise Skip
    return topic


class StudyMessages:
    """The composers of study deliveries, in the bot's zone."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    async def publish(
        self, session: AsyncSession, delivery: DeliveryRecord, now: datetime
    ) -> Outgoing | None:
        """Fan a topic out to its groups (the sweep sends what this enqueues right after)."""
        payload = delivery.payload
        topic_id, version = int(payload["topic"]), int(payload["version"])
        if await study.publish(session, topic_id, version, now, self.tz) is None:
            raise Skip
        return None

    async def topic(
        self, session: AsyncSession, delivery: DeliveryRecord, _now: datetime
    ) -> Outgoing:
        """The topic in a group, with its 已学习 button."""
        topic = await _topic(session, delivery)
        button = Button(texts.BUTTON_STUDIED, f"study:done:{topic.id}")
        return Text(topic_message(topic, self.tz), keyboard=keyboard([button]))

    async def reminder(
        self, session: AsyncSession, delivery: DeliveryRecord, now: datetime
    ) -> Outgoing:
        """Name in the group who has not studied; private reminders fan out to those reachable."""
        topic = await _topic(session, delivery)
        missing = await _not_studied(session, topic, int(delivery.payload["org"]))
        if not missing:
            raise Skip
        names = [mention(m.user.id, m.user.name) for m in missing[:MAX_MENTIONS]]
        if len(missing) > MAX_MENTIONS:
            names.append(texts.REMIND_MORE.format(count=len(missing)))
        deliveries = DeliveryRepo(session)
        for member in missing:
            if member.user.can_dm:
                await deliveries.enqueue(
                    key=f"{delivery.key}:dm:{member.user.id}",
                    kind=study.REMIND_DM,
                    chat_id=member.user.id,
                    due_at=now,
                    expires_at=topic.deadline_at,
                    now=now,
                    payload={"topic": topic.id},
                )
        original = await deliveries.by_key(str(delivery.payload["topic_key"]))
        text = texts.REMIND_GROUP.format(
            title=topic.title,
            deadline=when_text(topic.deadline_at, self.tz),
            names="、".join(names),
        )
        return Text(text, reply_to=original.message_id if original else None)

    async def private_reminder(
        self, session: AsyncSession, delivery: DeliveryRecord, _now: datetime
    ) -> Outgoing:
        """A member who has not studied gets a private nudge."""
        topic = await _topic(session, delivery)
        if await StudyRepo(session).studied(topic.id, user_id=delivery.chat_id):
            raise Skip
        deadline = when_text(topic.deadline_at, self.tz)
        return Text(texts.REMIND_PRIVATE.format(title=topic.title, deadline=deadline), html=False)

    async def makeup(
        self, session: AsyncSession, delivery: DeliveryRecord, _now: datetime
    ) -> Outgoing:
        """The material, privately, to a member on leave from that month's 主题党日."""
        topic = await _topic(session, delivery)
        user_id = delivery.chat_id
        start, end = month_bounds(topic.publish_at, self.tz)
        org_id = int(delivery.payload["org"])
        # One person's rows only: a county-wide topic has thousands of records (issue 9).
        studied = await StudyRepo(session).studied(topic.id, user_id=user_id)
        if studied or not await AnswerRepo(session).leaves_from_themed_days(
            org_id, start, end, user_id
        ):
            raise Skip
        text = "\n".join([texts.MAKEUP_HEAD.format(month=start.month), "", *topic_body(topic)])
        button = Button(texts.BUTTON_MADE_UP, f"study:mk:{topic.id}")
        return Text(text, keyboard=keyboard([button]))


async def quiz(session: AsyncSession, delivery: DeliveryRecord, _now: datetime) -> Outgoing:
    """One quiz question as a Telegram quiz poll."""
    topic = await _topic(session, delivery)
    number = int(delivery.payload["question"])
    item = topic.quiz[number]
    prefix = texts.QUIZ_PREFIX.format(number=number + 1, total=len(topic.quiz))
    return Quiz(prefix + item.question, tuple(item.options), item.answer)


async def quiz_posted(session: AsyncSession, delivery: DeliveryRecord, sent: Sent) -> None:
    """Remember the poll, so that answers can be scored."""
    assert sent.poll_id is not None
    repo, number = StudyRepo(session), int(delivery.payload["question"])
    topic = await repo.get(int(delivery.payload["topic"]))
    assert topic is not None
    await repo.add_poll(sent.poll_id, topic.id, number, topic.quiz[number].answer)


async def _not_studied(
    session: AsyncSession, topic: TopicRecord, org_id: int
) -> list[MemberRecord]:
    studied = await StudyRepo(session).studied(topic.id, organisation_id=org_id)
    roster = await MemberRepo(session).of_organisation(org_id)
    return [member for member in roster if member.user.id not in studied]


def delivery_kinds(database: Database, tz: ZoneInfo) -> dict[str, DeliveryKind]:
    """Every study delivery kind, composed in one transaction each."""
    messages = StudyMessages(tz)
    composers: dict[str, SessionCompose] = {
        study.PUBLISH: messages.publish,
        study.TOPIC: messages.topic,
        study.REMIND: messages.reminder,
        study.REMIND_DM: messages.private_reminder,
        study.MAKEUP: messages.makeup,
    }
    kinds = {name: composed_in_transaction(database, c) for name, c in composers.items()}
    kinds[study.QUIZ] = composed_in_transaction(database, quiz, quiz_posted)
    return kinds
