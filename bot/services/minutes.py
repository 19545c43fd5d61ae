"""Meeting records (会议记录) inside a caller's transaction: draft, read, add to, complete.

A record is drafted when the meeting's check-in closes (the `record` delivery of its plan,
bot/services/meeting_plan.py) or on demand by /record after that. Managers add to the
newest version by replying to the draft; 完成 closes the version; a reply after that starts
the next version from a copy of the last one, so every completed version stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import InvalidInput, NotFound
from bot.core.meetings import (
    Attendee,
    CheckInWindow,
    MeetingType,
    checkin_window,
    format_when,
)
from bot.core.minutes import MinutesStatus, Part, ReplyPart, Turnout, appended, turnout
from bot.services.meetings import attendance
from bot.texts import minutes as texts
from storage.records import MeetingRecord, MinutesRecord
from storage.repositories import OrganisationRepo, UserRepo
from storage.repositories.minutes import MinutesRepo

# Keys of the record's deliveries: `mtg:<id>:v<version>:record` (the plan, in meeting_plan),
# and the private copies `…:dm:<user>`.
RECORD_PRIVATE = "meeting_record_dm"


@dataclass(frozen=True, slots=True)
class MinutesView:
    """Everything a record shows: the meeting's header, its attendance and the text."""

    meeting_id: int
    kind: MeetingType
    title: str  # 会议名称: organisation and meeting type
    when: str
    place: str
    host: str
    turnout: Turnout
    agenda: str
    minutes: MinutesRecord

    @property
    def status_label(self) -> str:
        """草稿 / 第N版·已完成 / 第N版·修订中."""
        record = self.minutes
        if record.done:
            return texts.STATUS_DONE.format(version=record.version)
        if record.version > 1:
            return texts.STATUS_REVISING.format(version=record.version)
        return texts.STATUS_DRAFT


def ended(meeting: MeetingRecord, now: datetime) -> bool:
    """The meeting's check-in window has closed: its record can be drafted."""
    return checkin_window(meeting.starts_at, now) is CheckInWindow.CLOSED


async def ensure_draft(
    session: AsyncSession, meeting: MeetingRecord, now: datetime
) -> MinutesRecord:
    """The newest version of the meeting's record, drafting version 1 when there is none."""
    repo = MinutesRepo(session)
    found = await repo.latest(meeting.id)
    if found is not None:
        return found
    await repo.start(meeting.id, now)
    created = await repo.latest(meeting.id)
    assert created is not None
    return created


def check_recordable(meeting: MeetingRecord, now: datetime) -> None:
    """A record exists for meetings that are on and have ended; refuse the others."""
    if meeting.cancelled:
        raise InvalidInput(texts.RECORD_CANCELLED.format(id=meeting.id))
    if not ended(meeting, now):
        raise NotFound(texts.NO_RECORD_YET.format(id=meeting.id))


async def view(
    session: AsyncSession, meeting: MeetingRecord, record: MinutesRecord, tz: ZoneInfo
) -> MinutesView:
    """The record as shown and filed."""
    organisation = await OrganisationRepo(session).get(meeting.organisation_id)
    host = await UserRepo(session).get(meeting.organiser_id)
    org_name = organisation.name if organisation else ""
    return MinutesView(
        meeting_id=meeting.id,
        kind=meeting.kind,
        title=f"{org_name}{meeting.kind.label}",
        when=format_when(meeting.starts_at, tz),
        place=meeting.place,
        host=host.name if host else "",
        turnout=turnout((await attendance(session, meeting)).tally),
        agenda=meeting.agenda,
        minutes=record,
    )


@dataclass(frozen=True, slots=True)
class Added:
    """What a reply changed: the part, the version written, and whether it is a new one."""

    part: Part
    version: int
    new_version: bool
    text: str


async def add(
    session: AsyncSession, meeting: MeetingRecord, reply: ReplyPart, now: datetime
) -> Added:
    """Add a reply to the newest draft (a completed record gets a new version first)."""
    repo = MinutesRepo(session)
    await ensure_draft(session, meeting, now)
    record = await repo.latest(meeting.id, lock=True)
    assert record is not None
    new_version = record.done
    if new_version:
        started = await repo.start(meeting.id, now, previous=record)
        if started is None:  # another reply started it first: write into that one
            started = await repo.latest(meeting.id, lock=True)
        assert started is not None
        record = started
    if reply.part is Part.RECORDER:
        value = reply.text
    else:
        value = appended(getattr(record, reply.part.value), reply.text)
    await repo.set_part(record.id, reply.part, value, now)
    return Added(reply.part, record.version, new_version, reply.text)


async def complete(
    session: AsyncSession, meeting: MeetingRecord, user_id: int, now: datetime
) -> MinutesRecord | None:
    """Close the newest version; None when it was complete already."""
    repo = MinutesRepo(session)
    await ensure_draft(session, meeting, now)
    record = await repo.latest(meeting.id, lock=True)
    assert record is not None
    if record.status is MinutesStatus.DONE:
        return None
    if not record.content.strip():
        raise InvalidInput(texts.COMPLETE_EMPTY)
    await repo.complete(record.id, user_id, now)
    return await repo.latest(meeting.id)


async def recipients(session: AsyncSession, meeting: MeetingRecord) -> list[Attendee]:
    """Who gets the draft: the organisation's 书记, 副书记 and 委员, and the organiser."""
    people = [p for p in (await attendance(session, meeting)).members if p.is_manager]
    if all(person.user_id != meeting.organiser_id for person in people):
        organiser = await UserRepo(session).get(meeting.organiser_id)
        if organiser is not None:
            people.append(
                Attendee(organiser.id, organiser.name, organiser.username, organiser.can_dm)
            )
    return people
