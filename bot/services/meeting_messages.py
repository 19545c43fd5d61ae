"""What meeting deliveries say: each is composed at send time from the database.

A composer raises Skip when its message is no longer wanted (meeting cancelled or moved,
everybody answered). Group messages are HTML replies to the live notice; group messages
that concern people also queue private copies for those who can be messaged
(`<key>:dm:<user>`, due at once), each sent and retried on its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.meetings import Attendee, format_offset, format_when
from bot.services import floating_messages
from bot.services import meeting_plan as plan
from bot.services.meeting_plan import MeetingConfig
from bot.services.meeting_views import (
    checkin_keyboard,
    esc,
    mentions,
    notice_keyboard,
    place_text,
    render_notice,
    rsvp_keyboard,
)
from bot.services.meetings import attendance, notice_view
from bot.services.outbox import AfterSent, DeliveryKind, Skip, composed_in_transaction
from bot.services.outgoing import Edit, Keyboard, Outgoing, Sent, Text
from bot.texts import meetings as texts
from storage.db import Database
from storage.records import DeliveryRecord, DeliveryStatus, MeetingRecord
from storage.repositories import DeliveryRepo, OrganisationRepo, UserRepo
from storage.repositories.meetings import MeetingRepo


@dataclass(frozen=True)
class Composing:
    """One delivery being composed, with the meeting it is about."""

    session: AsyncSession
    delivery: DeliveryRecord
    config: MeetingConfig
    now: datetime

    @property
    def meeting_id(self) -> int:
        """The meeting named in the payload."""
        return int(self.delivery.payload["meeting"])

    def when(self, meeting: MeetingRecord) -> str:
        """The meeting's start as users read it."""
        return format_when(meeting.starts_at, self.config.tz, self.now)

    async def live(self, *, versioned: bool) -> MeetingRecord:
        """The meeting if the message is still wanted: not cancelled, not started, same plan."""
        meeting = await MeetingRepo(self.session).get(self.meeting_id)
        if meeting is None or meeting.cancelled or self.now >= meeting.starts_at:
            raise Skip
        if versioned and self.delivery.payload.get("version", meeting.version) != meeting.version:
            raise Skip
        return meeting

    async def fan_out(self, kind: str, people: list[Attendee]) -> None:
        """Private copies for everyone here who can be messaged, as deliveries of their own."""
        repo, delivery = DeliveryRepo(self.session), self.delivery
        for person in people:
            if person.can_dm:
                await repo.enqueue(
                    key=f"{delivery.key}:dm:{person.user_id}",
                    kind=kind,
                    chat_id=person.user_id,
                    due_at=self.now,
                    now=self.now,
                    payload=delivery.payload,
                    expires_at=delivery.expires_at,
                )

    async def org_name(self, meeting: MeetingRecord) -> str:
        """The name of the meeting's organisation, escaped for HTML."""
        organisation = await OrganisationRepo(self.session).get(meeting.organisation_id)
        return esc(organisation.name) if organisation else ""


def in_group(text: str, meeting: MeetingRecord, buttons: Keyboard | None = None) -> Text:
    """A group message, as a reply to the notice when there is one."""
    return Text(text, keyboard=buttons, reply_to=meeting.notice_message_id)


async def notice(ctx: Composing) -> Outgoing:
    """The notice, posted once; its message is remembered for later edits."""
    meeting = await ctx.live(versioned=False)
    if meeting.notice_message_id is not None:
        raise Skip  # already posted under an earlier plan; edits keep it current
    view = await notice_view(ctx.session, meeting, ctx.config, ctx.now)
    await floating_messages.enqueue_away_notices(ctx.session, meeting, view.tally.away, ctx.now)
    return Text(render_notice(view), keyboard=notice_keyboard(meeting, ctx.now))


def shown(message: Text | Edit) -> str:
    """A digest of what a notice shows: its text and its buttons."""
    return hashlib.sha256(repr((message.text, message.keyboard)).encode()).hexdigest()[:32]


async def _superseded(ctx: Composing) -> bool:
    """A later refresh of the same notice is also due: let that one edit (one edit, not two)."""
    mine = ctx.delivery
    for other in await DeliveryRepo(ctx.session).with_prefix(
        f"{plan.prefix(ctx.meeting_id)}refresh:"
    ):
        if (
            other.id != mine.id
            and other.status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
            and mine.due_at < other.due_at <= ctx.now
        ):
            return True
    return False


async def refresh(ctx: Composing) -> Outgoing:
    """The live notice edited to the current state (unchanged counts as done)."""
    meeting = await MeetingRepo(ctx.session).get(ctx.meeting_id)
    if meeting is None or meeting.notice_message_id is None or await _superseded(ctx):
        raise Skip
    view = await notice_view(ctx.session, meeting, ctx.config, ctx.now)
    edit = Edit(
        meeting.notice_message_id, render_notice(view), keyboard=notice_keyboard(meeting, ctx.now)
    )
    if shown(edit) == meeting.notice_digest:
        raise Skip  # the notice shows this already: an edit would be "message is not modified"
    return edit


async def reminder(ctx: Composing) -> Outgoing:
    """Mention everyone who has not answered (never those on leave); DM those we can."""
    payload = ctx.delivery.payload
    meeting = await ctx.live(versioned=True)
    pending = (await attendance(ctx.session, meeting)).tally.none
    if not pending:
        raise Skip  # everybody answered: nothing to remind
    await ctx.fan_out(plan.PRIVATE_REMINDER, pending)
    fields = {
        "id": meeting.id,
        "kind": meeting.kind.label,
        "when": ctx.when(meeting),
        "place": place_text(meeting),
        "mentions": mentions(pending),
    }
    if payload.get("nudge"):
        text = texts.NUDGE_GROUP.format(**fields)
    else:
        # The planned offset (1天), not the exact time left after a late sweep (23小时59分钟).
        left = format_offset(timedelta(seconds=int(payload["offset"])))
        text = texts.REMINDER_GROUP.format(left=left, **fields)
    return in_group(text, meeting, rsvp_keyboard(meeting.id))


async def private_reminder(ctx: Composing) -> Outgoing:
    """Remind one person privately, unless they answered meanwhile."""
    meeting = await ctx.live(versioned=True)
    tally = (await attendance(ctx.session, meeting)).tally
    if all(person.user_id != ctx.delivery.chat_id for person in tally.none):
        raise Skip
    text = texts.REMINDER_PRIVATE.format(
        org=await ctx.org_name(meeting),
        kind=meeting.kind.label,
        when=ctx.when(meeting),
        place=place_text(meeting),
        id=meeting.id,
    )
    return Text(text, keyboard=rsvp_keyboard(meeting.id))


async def checkin(ctx: Composing) -> Outgoing:
    """At the start: the 签到 post; the notice is refreshed to show the meeting started."""
    meeting = await MeetingRepo(ctx.session).get(ctx.meeting_id)
    if meeting is None or meeting.cancelled:
        raise Skip
    if ctx.delivery.payload.get("version") != meeting.version:
        raise Skip
    await plan.refresh(ctx.session, meeting, ctx.now)
    text = texts.CHECKIN_POST.format(
        kind=meeting.kind.label, id=meeting.id, place=place_text(meeting)
    )
    return in_group(text, meeting, checkin_keyboard(meeting.id))


async def _quorum_text(ctx: Composing, meeting: MeetingRecord) -> str:
    """The warning, or Skip when enough voting members are coming."""
    count = (await attendance(ctx.session, meeting)).quorum
    if not count.at_risk:
        raise Skip
    return texts.QUORUM_WARNING.format(
        org=await ctx.org_name(meeting),
        when=ctx.when(meeting),
        id=meeting.id,
        voters=count.voters,
        attending=count.attending_voters,
    )


async def _managers(session: AsyncSession, meeting: MeetingRecord) -> list[Attendee]:
    """The organisation's managers and the organiser."""
    people = [p for p in (await attendance(session, meeting)).members if p.is_manager]
    if all(person.user_id != meeting.organiser_id for person in people):
        organiser = await UserRepo(session).get(meeting.organiser_id)
        if organiser is not None:
            people.append(Attendee(organiser.id, organiser.name, can_dm=organiser.can_dm))
    return people


async def quorum(ctx: Composing) -> Outgoing | None:
    """24 h before a 支部党员大会: warn the managers privately, else in the group."""
    meeting = await ctx.live(versioned=True)
    text = await _quorum_text(ctx, meeting)
    managers = [person for person in await _managers(ctx.session, meeting) if person.can_dm]
    await ctx.fan_out(plan.QUORUM_PRIVATE, managers)
    if managers:
        return None  # the private copies carry the warning
    return in_group(text, meeting)


async def private_quorum(ctx: Composing) -> Outgoing:
    """The quorum warning to one manager, if it still holds."""
    meeting = await ctx.live(versioned=True)
    return Text(await _quorum_text(ctx, meeting))


async def _change_texts(ctx: Composing, meeting: MeetingRecord) -> tuple[str, str, list[Attendee]]:
    """Group text, private text and the people who answered."""
    payload, tally = ctx.delivery.payload, (await attendance(ctx.session, meeting)).tally
    answered = tally.yes + [person for person, _ in tally.leave]
    common = {
        "id": meeting.id,
        "kind": meeting.kind.label,
        "org": await ctx.org_name(meeting),
        "when": ctx.when(meeting),
    }
    quiet = [person for person in answered if not person.can_dm]
    if payload.get("cancelled"):
        reason = payload.get("reason") or ""
        reason = texts.CANCEL_REASON.format(reason=esc(reason)) if reason else ""
        group = texts.CANCELLED_GROUP.format(reason=reason, mentions=mentions(quiet), **common)
        private = texts.CANCELLED_PRIVATE.format(reason=reason, **common)
    else:
        changes = "\n".join(esc(line) for line in payload["lines"])
        group = texts.CHANGED_GROUP.format(changes=changes, mentions=mentions(quiet), **common)
        private = texts.CHANGED_PRIVATE.format(changes=changes, **common)
    return group.rstrip(), private, answered


async def _changed(ctx: Composing) -> MeetingRecord:
    """The meeting, unless a later cancellation made this change moot."""
    meeting = await MeetingRepo(ctx.session).get(ctx.meeting_id)
    if meeting is None or (meeting.cancelled and not ctx.delivery.payload.get("cancelled")):
        raise Skip
    return meeting


async def change(ctx: Composing) -> Outgoing:
    """Tell the group about a change or cancellation, mentioning who answered; DM copies."""
    meeting = await _changed(ctx)
    group, _, answered = await _change_texts(ctx, meeting)
    await ctx.fan_out(plan.CHANGE_PRIVATE, answered)
    return in_group(group, meeting)


async def private_change(ctx: Composing) -> Outgoing:
    """The change or cancellation to one person who answered."""
    meeting = await _changed(ctx)
    _, private, _ = await _change_texts(ctx, meeting)
    return Text(private)


_COMPOSERS: dict[str, Callable[[Composing], Awaitable[Outgoing | None]]] = {
    plan.NOTICE: notice,
    plan.REFRESH: refresh,
    plan.REMINDER: reminder,
    plan.PRIVATE_REMINDER: private_reminder,
    plan.CHECK_IN: checkin,
    plan.QUORUM: quorum,
    plan.QUORUM_PRIVATE: private_quorum,
    plan.CHANGE: change,
    plan.CHANGE_PRIVATE: private_change,
}


class NoticeShown:
    """What each notice or refresh being sent shows, kept from composing until it went out;
    then the meeting remembers it (its digest), so that the next refresh can tell whether
    anything changed."""

    LIMIT = 1000  # deliveries whose send failed leave an entry; forget them past this

    def __init__(self) -> None:
        self._sending: dict[int, str] = {}

    def composed(self, delivery: DeliveryRecord, outgoing: Outgoing | None) -> None:
        """Note what the delivery is about to show."""
        if isinstance(outgoing, Text | Edit):
            if len(self._sending) >= self.LIMIT:
                self._sending.clear()
            self._sending[delivery.id] = shown(outgoing)

    async def posted(self, session: AsyncSession, delivery: DeliveryRecord, sent: Sent) -> None:
        """The notice went out: remember its message and what it shows."""
        digest = self._sending.pop(delivery.id, None)
        await MeetingRepo(session).set_notice_message(
            int(delivery.payload["meeting"]), sent.message_id, digest
        )

    async def edited(self, session: AsyncSession, delivery: DeliveryRecord, _: Sent) -> None:
        """The notice was edited (or already showed this): remember what it shows."""
        digest = self._sending.pop(delivery.id, None)
        if digest is not None:
            await MeetingRepo(session).set_notice_digest(int(delivery.payload["meeting"]), digest)


def delivery_kinds(database: Database, config: MeetingConfig) -> dict[str, DeliveryKind]:
    """Every meeting delivery kind, composed in one transaction each."""
    notices = NoticeShown()
    after_sent: dict[Callable[[Composing], Awaitable[Outgoing | None]], AfterSent] = {
        notice: notices.posted,
        refresh: notices.edited,
    }

    def kind(compose: Callable[[Composing], Awaitable[Outgoing | None]]) -> DeliveryKind:
        async def in_context(
            session: AsyncSession, delivery: DeliveryRecord, now: datetime
        ) -> Outgoing | None:
            outgoing = await compose(Composing(session, delivery, config, now))
            if compose in after_sent:
                notices.composed(delivery, outgoing)
            return outgoing

        return composed_in_transaction(database, in_context, after_sent.get(compose))

    return {name: kind(compose) for name, compose in _COMPOSERS.items()}
