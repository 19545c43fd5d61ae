"""Meeting use cases: announce, answer, give reasons, check in, nudge, list and inspect.

Changes (time, place, cancel) and recurring series live in meeting_changes.py; the
messages themselves go out through the outbox (meeting_plan.py, meeting_senders.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import InvalidInput, NotFound
from bot.core.meeting_args import MeetingRequest, clean_reason
from bot.core.meetings import (
    Answer,
    Attendee,
    CheckInWindow,
    Quorum,
    Rsvp,
    Tally,
    checkin_window,
    expected_roster,
    quorum,
    set_away,
    tally,
)
from bot.services import meeting_plan
from bot.services.floating import allow_remote, away_now, remote_allowed
from bot.services.meeting_plan import MeetingConfig
from bot.services.meeting_views import NoticeView
from bot.services.members import Person, record_user
from bot.texts import NOT_BOUND
from bot.texts import meetings as texts
from storage.records import ChatRecord, MeetingRecord, MemberRecord, UserRecord
from storage.repositories import DeliveryRepo, MemberRepo, OrganisationRepo, UserRepo
from storage.repositories.attendance import AttendanceRepo, PressState
from storage.repositories.meetings import MeetingRepo, SeriesRepo

NUDGE_SLOT = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Attendance:
    """A meeting's roster and answers, sorted."""

    members: list[Attendee]
    tally: Tally
    answers: dict[int, Answer]

    @property
    def quorum(self) -> Quorum:
        """Voting members expected versus all voting members."""
        return quorum(self.members, self.tally)


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    """What an answer changed, and the person who answered as stored now."""

    meeting: MeetingRecord
    changed: bool
    user: UserRecord


def attendee(user: UserRecord, member: MemberRecord | None = None) -> Attendee:
    """A person as the attendance rules see them."""
    return Attendee(
        user_id=user.id,
        name=user.name,
        username=user.username,
        can_dm=user.can_dm,
        can_vote=member is not None and member.status.can_vote,
        is_manager=member is not None and member.role.is_manager,
    )


async def get_meeting(session: AsyncSession, meeting_id: int) -> MeetingRecord:
    """The meeting, or NotFound with the number in the message."""
    meeting = await MeetingRepo(session).get(meeting_id)
    if meeting is None:
        raise NotFound(texts.NOT_FOUND.format(id=meeting_id))
    return meeting


async def meeting_of_chat(
    session: AsyncSession, meeting_id: int, chat: ChatRecord
) -> MeetingRecord:
    """The meeting, which must belong to the organisation the group is bound to."""
    meeting = await get_meeting(session, meeting_id)
    if meeting.organisation_id != chat.organisation_id:
        raise NotFound(texts.OTHER_ORGANISATION.format(id=meeting_id))
    return meeting


async def attendance(session: AsyncSession, meeting: MeetingRecord) -> Attendance:
    """Who is expected and what each person answered (two statements, however many)."""
    repo = AttendanceRepo(session)
    members = [
        Attendee(user.id, user.name, user.username, user.can_dm, status.can_vote, role.is_manager)
        for user, role, status in await repo.roster(meeting.organisation_id)
    ]
    known = {member.user_id for member in members}
    answers, others = {}, []
    for answered, user in await repo.answers(meeting.id):
        answers[answered.user_id] = Answer(
            answered.user_id, answered.rsvp, answered.reason, answered.checked_in_at is not None
        )
        if answered.user_id not in known and user is not None:
            others.append(attendee(user))
    expected = expected_roster(meeting.kind, members, meeting.organiser_id)
    counted = tally(expected, list(answers.values()), others)
    away = await away_now(session, meeting.organisation_id)
    counted = set_away(counted, {user_id: stay.place for user_id, stay in away.items()})
    return Attendance(members, counted, answers)


async def notice_view(
    session: AsyncSession, meeting: MeetingRecord, config: MeetingConfig, now: datetime
) -> NoticeView:
    """What the live notice shows now."""
    organiser = await UserRepo(session).get(meeting.organiser_id)
    series = await SeriesRepo(session).get(meeting.series_id) if meeting.series_id else None
    return NoticeView(
        meeting=meeting,
        tally=(await attendance(session, meeting)).tally,
        organiser=organiser.name if organiser else "",
        rule=series.rule if series else None,
        tz=config.tz,
        now=now,
        remote=await remote_allowed(session, meeting.id),
    )


async def create_meeting(
    session: AsyncSession,
    chat: ChatRecord,
    organiser: Person,
    request: MeetingRequest,
    config: MeetingConfig,
    now: datetime,
) -> MeetingRecord:
    """Announce a one-off meeting in the group (its notice is due at once)."""
    if chat.organisation_id is None:
        raise NotFound(NOT_BOUND)
    assert request.when.starts_at is not None
    if request.when.starts_at <= now:
        raise InvalidInput(texts.TIME_PAST)  # a guided draft can outlive its time
    await record_user(session, organiser, now)
    meeting = await MeetingRepo(session).create(
        now=now,
        organisation_id=chat.organisation_id,
        chat_id=chat.id,
        kind=request.kind,
        starts_at=request.when.starts_at,
        place=request.place,
        agenda=request.agenda,
        organiser_id=organiser.id,
    )
    if request.remote:
        await allow_remote(session, meeting.id)
    await meeting_plan.plan(session, meeting, config, now)
    return meeting


async def _pressed(
    session: AsyncSession,
    meeting_id: int,
    person: Person,
    now: datetime,
    allowed: Callable[[MeetingRecord], None],
) -> tuple[PressState, UserRecord]:
    """The meeting (open, and `allowed` to be pressed now) and the presser, who belongs to
    its organisation from now on.

    One read; the user is written only when Telegram's name changed, the membership only
    when it is new or had ended.
    """
    state = await AttendanceRepo(session).press(meeting_id, person.id)
    if state is None or state.meeting.cancelled:
        raise InvalidInput(texts.MEETING_GONE)
    allowed(state.meeting)
    user = await _user_seen(session, state.user, person, now)
    if state.member is None or not state.member.active:
        meeting = state.meeting
        organisation = await OrganisationRepo(session).get(meeting.organisation_id)
        floating = organisation.floating if organisation else False
        await MemberRepo(session).join(meeting.organisation_id, person.id, now, floating=floating)
    return state, user


async def _user_seen(
    session: AsyncSession, known: UserRecord | None, person: Person, now: datetime
) -> UserRecord:
    """The user as stored after this update: written only if new or renamed."""
    if known is not None and (known.username, known.display_name) == (
        person.username,
        person.display_name,
    ):
        return known
    await AttendanceRepo(session).save_user(
        person.id, username=person.username, display_name=person.display_name, now=now
    )
    if known is None:
        return UserRecord(person.id, person.username, person.display_name, None, can_dm=False)
    return replace(known, username=person.username, display_name=person.display_name)


async def _open_meeting(session: AsyncSession, meeting_id: int) -> MeetingRecord:
    meeting = await MeetingRepo(session).get(meeting_id)
    if meeting is None or meeting.cancelled:
        raise InvalidInput(texts.MEETING_GONE)
    return meeting


async def answer(
    session: AsyncSession, meeting_id: int, person: Person, rsvp: Rsvp, now: datetime
) -> AnswerOutcome:
    """A member answers 参加 or 请假 for themself; allowed until the start."""

    def before_start(meeting: MeetingRecord) -> None:
        if now >= meeting.starts_at:
            raise InvalidInput(texts.ANSWERS_CLOSED)

    state, user = await _pressed(session, meeting_id, person, now, before_start)
    meeting = state.meeting
    if state.answer is not None and state.answer.rsvp is rsvp:
        # The same answer again changes nothing (a 请假 keeps its reason).
        return AnswerOutcome(meeting, changed=False, user=user)
    await AttendanceRepo(session).set_rsvp(meeting.id, person.id, rsvp, now)
    await meeting_plan.refresh(session, meeting, now)
    return AnswerOutcome(meeting, changed=True, user=user)


_PROMPT = re.compile(r"^【请假原因·编号 (\d+)】")


def prompt_meeting_id(prompt_text: str) -> int | None:
    """The meeting a reason prompt is about (its text starts with the number)."""
    match = _PROMPT.match(prompt_text)
    return int(match[1]) if match else None


async def save_reason(
    session: AsyncSession, meeting_id: int, user_id: int, text: str, now: datetime
) -> bool:
    """A reply to a reason prompt: the reason of the sender's 请假.

    False (and nothing stored) when the sender is not on leave for that meeting, e.g.
    someone else replying to another member's prompt in the group.
    """
    state = await AttendanceRepo(session).press(meeting_id, user_id)
    found = state.answer if state is not None else None
    if state is None or found is None or found.rsvp is not Rsvp.LEAVE or state.meeting.cancelled:
        return False
    reason = clean_reason(text)
    if not reason:
        return False
    await AttendanceRepo(session).set_reason(meeting_id, user_id, reason)
    await meeting_plan.refresh(session, state.meeting, now)
    return True


async def check_in(session: AsyncSession, meeting_id: int, person: Person, now: datetime) -> bool:
    """Record a check-in within the window; False when already checked in."""

    def in_window(meeting: MeetingRecord) -> None:
        window = checkin_window(meeting.starts_at, now)
        if window is CheckInWindow.EARLY:
            raise InvalidInput(texts.CHECKIN_EARLY)
        if window is CheckInWindow.CLOSED:
            raise InvalidInput(texts.CHECKIN_CLOSED)

    state, _ = await _pressed(session, meeting_id, person, now, in_window)
    if state.answer is not None and state.answer.checked_in_at is not None:
        return False
    await AttendanceRepo(session).check_in(meeting_id, person.id, now)
    await meeting_plan.refresh(session, state.meeting, now)
    return True


async def nudge(session: AsyncSession, meeting_id: int, now: datetime) -> str:
    """Remind the non-responders now (at most once a minute); returns the reply text."""
    meeting = await _open_meeting(session, meeting_id)
    if now >= meeting.starts_at:
        raise InvalidInput(texts.ANSWERS_CLOSED)
    if not (await attendance(session, meeting)).tally.none:
        return texts.NUDGE_NOBODY
    slot = int(now.timestamp() // NUDGE_SLOT.total_seconds())
    added = await DeliveryRepo(session).enqueue(
        key=f"{meeting_plan.nudge_prefix(meeting.id)}{slot}",
        kind=meeting_plan.REMINDER,
        chat_id=meeting.chat_telegram_id,
        due_at=now,
        now=now,
        payload={"meeting": meeting.id, "version": meeting.version, "nudge": True},
        expires_at=meeting.starts_at,
    )
    return texts.NUDGE_DONE if added else texts.NUDGE_RECENT


@dataclass(frozen=True, slots=True)
class Listed:
    """A meeting in a list, with its answer counts."""

    meeting: MeetingRecord
    yes: int
    leave: int
    none: int
    away: tuple[tuple[str, str], ...] = ()  # floating members away: (name, place), as 外出


async def upcoming(session: AsyncSession, org_ids: list[int], now: datetime) -> list[Listed]:
    """The organisations' meetings that have not started, with answer counts."""
    listed = []
    for meeting in await MeetingRepo(session).upcoming(org_ids, now):
        counts = (await attendance(session, meeting)).tally
        away = tuple((person.name, place) for person, place in counts.away)
        listed.append(Listed(meeting, len(counts.yes), len(counts.leave), len(counts.none), away))
    return listed
