"""Outbox senders for meetings: each renders at send time from the database and sends once.

A sender raises Skip when its message is no longer wanted (meeting cancelled or moved,
everybody answered); Telegram's errors go back to the sweep, which fails the delivery
(deleted notice, bot removed) or retries it (429, network). Group messages that concern
people also queue private copies for those who can be messaged (meeting_delivery.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.core.meetings import Attendee, format_offset
from bot.services import meeting_plan as plan
from bot.services.meeting_delivery import (
    Context,
    fan_out,
    live,
    org_name,
    send_group,
    send_private,
)
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
from bot.services.outbox import Outbox, Senders, Skip
from bot.texts import meetings as texts
from storage.records import DeliveryRecord, DeliveryStatus, MeetingRecord
from storage.repositories import DeliveryRepo, UserRepo
from storage.repositories.meetings import MeetingRepo

Sender = Callable[[Outbox, DeliveryRecord], Awaitable[int | None]]


async def send_notice(ctx: Context) -> int:
    """Post the notice in the group and remember its message for later edits."""
    now = ctx.outbox.clock.now()
    async with ctx.outbox.sessions.begin() as session:
        meeting = await live(session, ctx, versioned=False)
        if meeting.notice_message_id is not None:
            raise Skip  # already posted under an earlier plan; edits keep it current
        view = await notice_view(session, meeting, ctx.config, now)
    message = await ctx.outbox.bot.send_message(
        ctx.delivery.chat_id,
        render_notice(view),
        parse_mode=ParseMode.HTML,
        reply_markup=notice_keyboard(meeting, now),
    )
    async with ctx.outbox.sessions.begin() as session:
        await MeetingRepo(session).set_notice_message(meeting.id, message.message_id)
    return message.message_id


async def _superseded(session: AsyncSession, ctx: Context) -> bool:
    """A later refresh of the same notice is also due: let that one edit (one edit, not two)."""
    now, mine = ctx.outbox.clock.now(), ctx.delivery
    for other in await DeliveryRepo(session).with_prefix(
        f"{plan.prefix(ctx.meeting_id())}refresh:"
    ):
        if (
            other.id != mine.id
            and other.status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
            and mine.due_at < other.due_at <= now
        ):
            return True
    return False


async def send_refresh(ctx: Context) -> int:
    """Edit the live notice to the current state; an unchanged notice counts as done."""
    now = ctx.outbox.clock.now()
    async with ctx.outbox.sessions.begin() as session:
        meeting = await MeetingRepo(session).get(ctx.meeting_id())
        if meeting is None or meeting.notice_message_id is None or await _superseded(session, ctx):
            raise Skip
        view = await notice_view(session, meeting, ctx.config, now)
    try:
        await ctx.outbox.bot.edit_message_text(
            render_notice(view),
            chat_id=ctx.delivery.chat_id,
            message_id=meeting.notice_message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=notice_keyboard(meeting, now),
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise
    return meeting.notice_message_id


async def send_reminder(ctx: Context) -> int:
    """Mention everyone who has not answered (never those on leave); DM those we can."""
    payload = ctx.delivery.payload
    async with ctx.outbox.sessions.begin() as session:
        meeting = await live(session, ctx, versioned=True)
        pending = (await attendance(session, meeting)).tally.none
        if not pending:
            raise Skip  # everybody answered: nothing to remind
        await fan_out(session, ctx, plan.PRIVATE_REMINDER, pending)
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
    return await send_group(ctx, text, meeting, rsvp_keyboard(meeting.id))


async def send_private_reminder(ctx: Context) -> int:
    """Remind one person privately, unless they answered meanwhile."""
    async with ctx.outbox.sessions.begin() as session:
        meeting = await live(session, ctx, versioned=True)
        tally = (await attendance(session, meeting)).tally
        if all(person.user_id != ctx.delivery.chat_id for person in tally.none):
            raise Skip
        org = await org_name(session, meeting)
    text = texts.REMINDER_PRIVATE.format(
        org=esc(org),
        kind=meeting.kind.label,
        when=ctx.when(meeting),
        place=place_text(meeting),
        id=meeting.id,
    )
    return await send_private(ctx, text, rsvp_keyboard(meeting.id))


async def send_checkin(ctx: Context) -> int:
    """At the start: the 签到 post; the notice is refreshed to show the meeting started."""
    now = ctx.outbox.clock.now()
    async with ctx.outbox.sessions.begin() as session:
        meeting = await MeetingRepo(session).get(ctx.meeting_id())
        if meeting is None or meeting.cancelled:
            raise Skip
        if ctx.delivery.payload.get("version") != meeting.version:
            raise Skip
        await plan.refresh(session, meeting, now)
    text = texts.CHECKIN_POST.format(
        kind=meeting.kind.label, id=meeting.id, place=place_text(meeting)
    )
    return await send_group(ctx, text, meeting, checkin_keyboard(meeting.id))


async def _quorum_text(session: AsyncSession, ctx: Context, meeting: MeetingRecord) -> str:
    """The warning, or Skip when enough voting members are coming."""
    count = (await attendance(session, meeting)).quorum
    if not count.at_risk:
        raise Skip
    return texts.QUORUM_WARNING.format(
        org=esc(await org_name(session, meeting)),
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


async def send_quorum(ctx: Context) -> int | None:
    """24 h before a 支部党员大会: warn the managers privately, else in the group."""
    async with ctx.outbox.sessions.begin() as session:
        meeting = await live(session, ctx, versioned=True)
        text = await _quorum_text(session, ctx, meeting)
        managers = [person for person in await _managers(session, meeting) if person.can_dm]
        await fan_out(session, ctx, plan.QUORUM_PRIVATE, managers)
    if managers:
        return None  # the private copies carry the warning
    return await send_group(ctx, text, meeting)


async def send_private_quorum(ctx: Context) -> int:
    """The quorum warning to one manager, if it still holds."""
    async with ctx.outbox.sessions.begin() as session:
        meeting = await live(session, ctx, versioned=True)
        text = await _quorum_text(session, ctx, meeting)
    return await send_private(ctx, text)


async def _change_texts(
    session: AsyncSession, ctx: Context, meeting: MeetingRecord
) -> tuple[str, str, list[Attendee]]:
    """Group text, private text and the people who answered."""
    payload, tally = ctx.delivery.payload, (await attendance(session, meeting)).tally
    answered = tally.yes + [person for person, _ in tally.leave]
    org = esc(await org_name(session, meeting))
    common = {"id": meeting.id, "kind": meeting.kind.label, "org": org, "when": ctx.when(meeting)}
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


async def _changed(session: AsyncSession, ctx: Context) -> MeetingRecord:
    """The meeting, unless a later cancellation made this change moot."""
    meeting = await MeetingRepo(session).get(ctx.meeting_id())
    if meeting is None or (meeting.cancelled and not ctx.delivery.payload.get("cancelled")):
        raise Skip
    return meeting


async def send_change(ctx: Context) -> int:
    """Tell the group about a change or cancellation, mentioning who answered; DM copies."""
    async with ctx.outbox.sessions.begin() as session:
        meeting = await _changed(session, ctx)
        group, _, answered = await _change_texts(session, ctx, meeting)
        await fan_out(session, ctx, plan.CHANGE_PRIVATE, answered)
    return await send_group(ctx, group, meeting)


async def send_private_change(ctx: Context) -> int:
    """The change or cancellation to one person who answered."""
    async with ctx.outbox.sessions.begin() as session:
        meeting = await _changed(session, ctx)
        _, private, _ = await _change_texts(session, ctx, meeting)
    return await send_private(ctx, private)


_SENDERS: dict[str, Callable[[Context], Awaitable[int | None]]] = {
    plan.NOTICE: send_notice,
    plan.REFRESH: send_refresh,
    plan.REMINDER: send_reminder,
    plan.PRIVATE_REMINDER: send_private_reminder,
    plan.CHECK_IN: send_checkin,
    plan.QUORUM: send_quorum,
    plan.QUORUM_PRIVATE: send_private_quorum,
    plan.CHANGE: send_change,
    plan.CHANGE_PRIVATE: send_private_change,
}


def register(senders: Senders, config: MeetingConfig) -> None:
    """Register a sender for every meeting delivery kind."""
    for kind in _SENDERS:
        senders.register(kind, sender_for(kind, config))


def sender_for(kind: str, config: MeetingConfig) -> Sender:
    """The outbox sender of one meeting delivery kind."""
    send = _SENDERS[kind]

    async def sender(outbox: Outbox, delivery: DeliveryRecord) -> int | None:
        return await send(Context(outbox, delivery, config))

    return sender
