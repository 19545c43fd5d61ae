"""Outbox senders for study topics: each renders at send time from the database, sends once.

A sender raises Skip when its message is no longer wanted (everybody studied, the member
made up already or is no longer on leave). Private messages to people who blocked the bot
clear their `can_dm` before the error goes back to the sweep, which fails the delivery.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Poll, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import Forbidden

from bot.core.study_time import month_bounds
from bot.services import study
from bot.services.outbox import Outbox, Senders, Skip
from bot.services.study_views import mention, topic_body, topic_message, when_text
from bot.texts import study as texts
from storage.records import DeliveryRecord, MemberRecord, TopicRecord
from storage.repositories import DeliveryRepo, MemberRepo, UserRepo
from storage.repositories.meetings import AnswerRepo
from storage.repositories.study import StudyRepo

MAX_MENTIONS = 30


def studied_keyboard(topic_id: int) -> InlineKeyboardMarkup:
    """The 已学习 button under a published topic."""
    button = InlineKeyboardButton(texts.BUTTON_STUDIED, callback_data=f"study:done:{topic_id}")
    return InlineKeyboardMarkup([[button]])


def makeup_keyboard(topic_id: int) -> InlineKeyboardMarkup:
    """The 已补学 button under private make-up material."""
    button = InlineKeyboardButton(texts.BUTTON_MADE_UP, callback_data=f"study:mk:{topic_id}")
    return InlineKeyboardMarkup([[button]])


async def _topic(outbox: Outbox, delivery: DeliveryRecord) -> TopicRecord:
    async with outbox.sessions.begin() as session:
        topic = await StudyRepo(session).get(int(delivery.payload["topic"]))
    if topic is None or topic.status != "published":
        raise Skip
    return topic


async def send_publish(tz: ZoneInfo, outbox: Outbox, delivery: DeliveryRecord) -> int | None:
    """Fan out a topic to its groups (the sweep sends what this enqueues right after)."""
    async with outbox.sessions.begin() as session:
        groups = await study.publish(
            session,
            int(delivery.payload["topic"]),
            int(delivery.payload["version"]),
            outbox.clock.now(),
            tz,
        )
    if groups is None:
        raise Skip
    return None


async def send_topic(tz: ZoneInfo, outbox: Outbox, delivery: DeliveryRecord) -> int:
    """The topic in a group, with its 已学习 button."""
    topic = await _topic(outbox, delivery)
    message = await outbox.bot.send_message(
        delivery.chat_id,
        topic_message(topic, tz),
        parse_mode=ParseMode.HTML,
        reply_markup=studied_keyboard(topic.id),
    )
    return message.message_id


async def send_quiz(outbox: Outbox, delivery: DeliveryRecord) -> int:
    """One quiz question as a Telegram quiz poll; its poll id is remembered for answers."""
    topic = await _topic(outbox, delivery)
    number = int(delivery.payload["question"])
    item = topic.quiz[number]
    prefix = texts.QUIZ_PREFIX.format(number=number + 1, total=len(topic.quiz))
    message = await outbox.bot.send_poll(
        delivery.chat_id,
        (prefix + item.question)[:300],
        list(item.options),
        is_anonymous=False,  # poll_answer updates only come for named polls
        type=Poll.QUIZ,
        correct_option_ids=[item.answer],  # type: ignore[list-item]  # checked at import
    )
    assert message.poll is not None
    async with outbox.sessions.begin() as session:
        await StudyRepo(session).add_poll(message.poll.id, topic.id, number, item.answer)
    return message.message_id


async def _not_studied(outbox: Outbox, topic: TopicRecord, org_id: int) -> list[MemberRecord]:
    async with outbox.sessions.begin() as session:
        studied = await StudyRepo(session).studied(topic.id)
        roster = await MemberRepo(session).of_organisation(org_id)
    return [member for member in roster if member.user.id not in studied]


async def send_reminder(tz: ZoneInfo, outbox: Outbox, delivery: DeliveryRecord) -> int:
    """Name in the group who has not studied; private reminders fan out to those reachable."""
    topic = await _topic(outbox, delivery)
    missing = await _not_studied(outbox, topic, int(delivery.payload["org"]))
    if not missing:
        raise Skip
    names = [mention(m.user.id, m.user.name) for m in missing[:MAX_MENTIONS]]
    if len(missing) > MAX_MENTIONS:
        names.append(texts.REMIND_MORE.format(count=len(missing)))
    text = texts.REMIND_GROUP.format(
        title=topic.title, deadline=when_text(topic.deadline_at, tz), names="、".join(names)
    )
    async with outbox.sessions.begin() as session:
        deliveries = DeliveryRepo(session)
        original = await deliveries.by_key(str(delivery.payload["topic_key"]))
        now = outbox.clock.now()
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
    reply = None
    if original is not None and original.message_id is not None:
        reply = ReplyParameters(original.message_id, allow_sending_without_reply=True)
    message = await outbox.bot.send_message(
        delivery.chat_id, text, parse_mode=ParseMode.HTML, reply_parameters=reply
    )
    return message.message_id


async def _private(
    outbox: Outbox, delivery: DeliveryRecord, send: Callable[[], Awaitable[int]]
) -> int:
    """Send privately; a blocked bot clears the member's can_dm."""
    try:
        return await send()
    except Forbidden:
        async with outbox.sessions.begin() as session:
            await UserRepo(session).set_can_dm(delivery.chat_id, False, outbox.clock.now())
        raise


async def _has_studied(outbox: Outbox, topic: TopicRecord, user_id: int) -> bool:
    async with outbox.sessions.begin() as session:
        return user_id in await StudyRepo(session).studied(topic.id)


async def send_private_reminder(tz: ZoneInfo, outbox: Outbox, delivery: DeliveryRecord) -> int:
    """A member who has not studied gets a private nudge."""
    topic = await _topic(outbox, delivery)
    if await _has_studied(outbox, topic, delivery.chat_id):
        raise Skip
    text = texts.REMIND_PRIVATE.format(
        title=topic.title, deadline=when_text(topic.deadline_at, tz)
    )

    async def send() -> int:
        return (await outbox.bot.send_message(delivery.chat_id, text)).message_id

    return await _private(outbox, delivery, send)


async def send_makeup(tz: ZoneInfo, outbox: Outbox, delivery: DeliveryRecord) -> int:
    """The material, privately, to a member on leave from that month's 主题党日."""
    topic = await _topic(outbox, delivery)
    user_id = delivery.chat_id
    start, end = month_bounds(topic.publish_at, tz)
    async with outbox.sessions.begin() as session:
        repo = StudyRepo(session)
        on_leave = await AnswerRepo(session).leaves_from_themed_days(
            int(delivery.payload["org"]), start, end
        )
        studied = await repo.studied(topic.id)
    if user_id in studied or user_id not in {user for user, _ in on_leave}:
        raise Skip
    head = texts.MAKEUP_HEAD.format(month=start.month)
    text = "\n".join([head, "", *topic_body(topic)])

    async def send() -> int:
        message = await outbox.bot.send_message(
            user_id, text, parse_mode=ParseMode.HTML, reply_markup=makeup_keyboard(topic.id)
        )
        return message.message_id

    return await _private(outbox, delivery, send)


def register(senders: Senders, tz: ZoneInfo) -> None:
    """Register every study sender."""
    senders.register(study.PUBLISH, partial(send_publish, tz))
    senders.register(study.TOPIC, partial(send_topic, tz))
    senders.register(study.QUIZ, send_quiz)
    senders.register(study.REMIND, partial(send_reminder, tz))
    senders.register(study.REMIND_DM, partial(send_private_reminder, tz))
    senders.register(study.MAKEUP, partial(send_makeup, tz))
