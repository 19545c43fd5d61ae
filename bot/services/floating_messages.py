"""What floating members (流动党员) get through the outbox: a home meeting's notice saying
they need not come in person (and may take part remotely where allowed), the home branch's
study topic with the same 已学习 button, and a monthly digest. Each is composed at send time.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.floating import Stay
from bot.core.meetings import Attendee, format_when
from bot.core.study_time import month_bounds
from bot.services.outbox import DeliveryKind, SessionCompose, Skip, composed_in_transaction
from bot.services.outgoing import Button, Outgoing, Text, keyboard
from bot.services.study_views import mention, topic_message
from bot.texts import floating as texts
from bot.texts import study as study_texts
from storage.db import Database
from storage.records import DeliveryRecord, MeetingRecord, TopicRecord
from storage.repositories import ChatRepo, DeliveryRepo, MemberRepo, OrganisationRepo, UserRepo
from storage.repositories.floating import FloatingRepo
from storage.repositories.ledger import LedgerRepo
from storage.repositories.meetings import MeetingRepo
from storage.repositories.study import StudyRepo

AWAY_MEETING = "floating_meeting"
TOPIC = "floating_topic"
DIGEST = "floating_digest"
DIGEST_AT = time(19, 0)  # on the month's last day, local


async def enqueue_away_notices(
    session: AsyncSession, meeting: MeetingRecord, away: list[tuple[Attendee, str]], now: datetime
) -> None:
    """Each floating member away who can be messaged hears of the home meeting privately."""
    deliveries = DeliveryRepo(session)
    for person, _ in away:
        if person.can_dm:
            await deliveries.enqueue(
                key=f"{AWAY_MEETING}:{meeting.id}:v{meeting.version}:{person.user_id}",
                kind=AWAY_MEETING,
                chat_id=person.user_id,
                due_at=now,
                now=now,
                payload={"meeting": meeting.id, "org": meeting.organisation_id},
                expires_at=meeting.starts_at,
            )


async def _floating_group(session: AsyncSession, user_id: int) -> int | None:
    """The Telegram id of a 流动党员党支部 group the member belongs to, if any."""
    orgs = OrganisationRepo(session)
    for member in await MemberRepo(session).of_user(user_id):
        org = await orgs.get(member.organisation_id)
        if org is not None and org.floating:
            chats = await ChatRepo(session).for_organisations([org.id])
            if chats:
                return chats[0].telegram_id
    return None


async def _reach(session: AsyncSession, user_id: int) -> int | None:
    """Where to tell a floating member something: privately, else their floating group."""
    user = await UserRepo(session).get(user_id)
    if user is not None and user.can_dm:
        return user_id
    return await _floating_group(session, user_id)


async def enqueue_topics(
    session: AsyncSession, topic: TopicRecord, org_ids: list[int], now: datetime
) -> int:
    """The topic reaches each target organisation's members away: privately, or in their
    floating members' group (once per group). Returns how many deliveries are new."""
    deliveries, added = DeliveryRepo(session), 0
    for org_id in org_ids:
        for stay in await FloatingRepo(session).open_of_org(org_id):
            chat = await _reach(session, stay.user_id)
            if chat is None:
                continue
            added += await deliveries.enqueue(
                key=f"{TOPIC}:{topic.id}:{chat}",
                kind=TOPIC,
                chat_id=chat,
                due_at=now,
                now=now,
                payload={"topic": topic.id, "org": org_id},
                expires_at=topic.deadline_at,
            )
    return added


async def plan_digest(session: AsyncSession, stay: Stay, now: datetime, tz: ZoneInfo) -> bool:
    """This month's digest for the stay, due on the month's last day at 19:00 (local)."""
    start, end = month_bounds(now, tz)
    last_day = (end - timedelta(days=1)).date()
    due = datetime.combine(last_day, DIGEST_AT, tz)
    return await DeliveryRepo(session).enqueue(
        key=f"{DIGEST}:{stay.id}:{start:%Y-%m}",
        kind=DIGEST,
        chat_id=stay.user_id,
        due_at=max(due, now),
        now=now,
        payload={"stay": stay.id, "org": stay.org_id, "user": stay.user_id},
        expires_at=end,
    )


class FloatingMessages:
    """The composers, in the bot's zone."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    async def meeting(
        self, session: AsyncSession, delivery: DeliveryRecord, now: datetime
    ) -> Outgoing:
        """A home meeting, told to a member away: no need to come; remotely if allowed."""
        meeting = await MeetingRepo(session).get(int(delivery.payload["meeting"]))
        if meeting is None or meeting.cancelled or now >= meeting.starts_at:
            raise Skip
        repo = FloatingRepo(session)
        if await repo.current(meeting.organisation_id, delivery.chat_id) is None:
            raise Skip  # back home: the ordinary notice and reminders concern them
        org = await OrganisationRepo(session).get(meeting.organisation_id)
        remote = await repo.remote_allowed(meeting.id)
        text = texts.AWAY_REMINDER.format(
            org=org.name if org else "",
            when=format_when(meeting.starts_at, self.tz, now),
            kind=meeting.kind.label,
            id=meeting.id,
            remote=texts.AWAY_REMINDER_REMOTE if remote else texts.AWAY_REMINDER_LOCAL,
        )
        return Text(text, html=False)

    async def topic(
        self, session: AsyncSession, delivery: DeliveryRecord, _now: datetime
    ) -> Outgoing:
        """The home branch's topic with the same 已学习 button (in a group: naming them)."""
        topic = await StudyRepo(session).get(int(delivery.payload["topic"]))
        org = await OrganisationRepo(session).get(int(delivery.payload["org"]))
        if topic is None or topic.status != "published" or org is None:
            raise Skip
        head = texts.TOPIC_HEADER.format(org=escape(org.name))
        if delivery.chat_id < 0:  # a group: name the home branch's members away there
            head += " " + "、".join(await _mentions_in(session, delivery.chat_id, org.id))
        button = Button(study_texts.BUTTON_STUDIED, f"study:done:{topic.id}")
        return Text(f"{head}\n{topic_message(topic, self.tz)}", keyboard=keyboard([button]))

    async def digest(
        self, session: AsyncSession, delivery: DeliveryRecord, now: datetime
    ) -> Outgoing:
        """What the home branch did this month, and what the member has not done yet."""
        org_id, user_id = int(delivery.payload["org"]), int(delivery.payload["user"])
        stay = await FloatingRepo(session).current(org_id, user_id)
        org, user = (
            await OrganisationRepo(session).get(org_id),
            await UserRepo(session).get(user_id),
        )
        if stay is None or org is None or user is None or not user.can_dm:
            raise Skip  # back home, or privately unreachable: a branch's digest stays private
        start, end = month_bounds(now - timedelta(seconds=1), self.tz)
        ledger = LedgerRepo(session, [org_id])
        held = sorted(await ledger.meetings(start, min(end, now)), key=lambda m: m.starts_at)
        topics = await ledger.topics(start, end)
        studied = await ledger.studied(start, end)
        todo = [t.title for t in topics if (t.id, user_id) not in studied]
        lines = [
            texts.DIGEST_MEETING.format(
                when=format_when(m.starts_at, self.tz, now), kind=m.kind.label
            )
            for m in held
        ]
        text = texts.DIGEST.format(
            month=f"{start.year}年{start.month}月",
            name=user.name,
            place=stay.place,
            org=org.name,
            count=len(held),
            meetings="".join(lines),
            topics="、".join(t.title for t in topics) or texts.DIGEST_NO_TOPICS,
            todo="、".join(todo) or texts.DIGEST_ALL_DONE,
        )
        return Text(text, html=False)


async def _mentions_in(session: AsyncSession, chat_id: int, org_id: int) -> list[str]:
    """Mentions of the organisation's members away who belong to this group's organisation
    and cannot be messaged privately (the others got the topic privately)."""
    chat = await ChatRepo(session).get(chat_id)
    if chat is None or chat.organisation_id is None:
        return []
    roster = await MemberRepo(session).of_organisation(chat.organisation_id)
    here = {m.user.id: m.user.name for m in roster if not m.user.can_dm}
    return [
        mention(stay.user_id, here[stay.user_id])
        for stay in await FloatingRepo(session).open_of_org(org_id)
        if stay.user_id in here
    ]


def delivery_kinds(database: Database, tz: ZoneInfo) -> dict[str, DeliveryKind]:
    """Every floating-member delivery kind, composed in one transaction each."""
    messages = FloatingMessages(tz)
    composers: dict[str, SessionCompose] = {
        AWAY_MEETING: messages.meeting,
        TOPIC: messages.topic,
        DIGEST: messages.digest,
    }
    return {name: composed_in_transaction(database, c) for name, c in composers.items()}
