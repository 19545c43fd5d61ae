"""Meetings as people use them: announce, list, inspect, change, cancel, answer, check in.

Each method is one transaction with one access check; the building blocks (meetings.py,
meeting_changes.py, meeting_series.py) take that transaction. What goes out later is in the
outbox, composed by meeting_messages.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import Who
from bot.core.clock import Clock
from bot.core.errors import InvalidInput, NotBound, NotFound
from bot.core.meeting_args import (
    EditField,
    EditRequest,
    MeetingRequest,
    parse_edit_args,
    parse_meeting_args,
    parse_number,
    parse_rule_words,
    parse_time_words,
)
from bot.core.meetings import Attendee, MeetingType, Rsvp
from bot.core.recurrence import RecurrenceRule
from bot.services import meeting_changes as changes
from bot.services import meeting_series, meetings, presses
from bot.services.access import AccessService, Actor
from bot.services.base import Service, retried
from bot.services.meeting_plan import MeetingConfig
from bot.services.meeting_series import SeriesResult
from bot.services.meeting_views import render_attendance
from bot.services.members import Person
from bot.texts import meetings as texts
from storage.db import Database
from storage.records import MeetingRecord
from storage.repositories import ChatRepo, MemberRepo, UserRepo
from storage.repositories.meetings import SeriesRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Upcoming:
    """/meetings: the group's organisation's meetings, or privately the caller's."""

    in_group: bool
    listed: list[meetings.Listed]


@dataclass(frozen=True, slots=True)
class Info:
    """/meeting_info: the rendered attendance, and where it may be shown."""

    text: str
    full: bool  # names and reasons: for managers, never shown in the group
    can_dm: bool


@dataclass(frozen=True, slots=True)
class SeriesEdited:
    """What /series_edit changed."""

    number: int
    field: EditField
    value: str | RecurrenceRule
    count: int


@dataclass(frozen=True, slots=True)
class Answered:
    """A 参加 / 请假: what it changed, and the person as the roster shows them."""

    outcome: meetings.AnswerOutcome
    member: Attendee


class MeetingService(Service):
    """The meeting commands and buttons."""

    def __init__(
        self, database: Database, clock: Clock, access: AccessService, config: MeetingConfig
    ) -> None:
        super().__init__(database, clock, access)
        self.config = config

    @retried
    async def check_manager(self, actor: Actor) -> None:
        """Refuse unless the caller manages the bound group (the guided flow's first step)."""
        async with self.database.transaction() as session:
            await self.access.manager(session, actor, self.now())

    @retried
    async def announce(
        self, actor: Actor, request: str | MeetingRequest
    ) -> MeetingRecord | SeriesResult:
        """Create the meeting (or series) described by `/meeting` arguments or a finished draft."""
        now = self.now()
        async with self.database.transaction() as session:
            group = (await self.access.manager(session, actor, now)).group
            if isinstance(request, str):
                request = parse_meeting_args(request, now, self.config.tz)
            if request.when.rule is not None:
                return await meeting_series.create_series(
                    session, group, actor.person, request, self.config, now
                )
            return await meetings.create_meeting(
                session, group, actor.person, request, self.config, now
            )

    @retried
    async def upcoming(self, actor: Actor) -> Upcoming:
        """Meetings that have not started, with answer counts."""
        now = self.now()
        async with self.database.transaction() as session:
            if actor.place.is_group:
                org_ids = [(await self.access.bound_group(session, actor, now)).org.id]
            else:
                memberships = await MemberRepo(session).of_user(actor.user_id)
                org_ids = [m.organisation_id for m in memberships]
            listed = await meetings.upcoming(session, org_ids, now) if org_ids else []
        return Upcoming(actor.place.is_group, listed)

    @retried
    async def info(self, actor: Actor, args: str) -> Info:
        """Attendance of one meeting: counts for members; names and reasons for managers."""
        if not args:
            raise InvalidInput(texts.INFO_USAGE)
        number, now = parse_number(args.split()[0]), self.now()
        async with self.database.transaction() as session:
            if actor.place.is_group:
                found = await self.access.anyone(session, actor, now)
                if found.organisation is None:
                    raise NotBound
                meeting = await meetings.meeting_of_chat(session, number, found.group)
                level = found.level
            else:
                meeting = await meetings.get_meeting(session, number)
                level = await self._private_level(session, actor, meeting)
            full = level is not Who.EVERYONE
            view = await meetings.notice_view(session, meeting, self.config, now)
            quorum = None
            if full and meeting.kind is MeetingType.ASSEMBLY:
                quorum = (await meetings.attendance(session, meeting)).quorum
            caller = await UserRepo(session).get(actor.user_id)
        text = render_attendance(view, quorum, full=full)
        return Info(text, full, caller is not None and caller.can_dm)

    async def _private_level(
        self, session: AsyncSession, actor: Actor, meeting: MeetingRecord
    ) -> Who:
        """What a caller may see of a meeting asked about privately; NotFound for strangers."""
        chat = await ChatRepo(session).get(meeting.chat_telegram_id)
        level = await self.access.level_in(session, actor.user_id, chat)
        if level is Who.EVERYONE:
            member = await MemberRepo(session).get(meeting.organisation_id, actor.user_id)
            if member is None or not member.active:
                raise NotFound(texts.NOT_FOUND.format(id=meeting.id))
        return level

    @retried
    async def edit(self, actor: Actor, args: str) -> tuple[MeetingRecord, EditField]:
        """/meeting_edit: change a meeting's time, place, agenda or reminder offsets."""
        now = self.now()
        async with self.database.transaction() as session:
            group = (await self.access.manager(session, actor, now)).group
            request = parse_edit_args(args, texts.EDIT_USAGE)
            meeting = await meetings.meeting_of_chat(session, request.number, group)
            meeting = await self._change(session, meeting.id, request, now)
        return meeting, request.field

    async def _change(
        self, session: AsyncSession, meeting_id: int, request: EditRequest, now: datetime
    ) -> MeetingRecord:
        config = self.config
        if request.field is EditField.TIME:
            starts_at, _ = parse_time_words(request.value.split(), now, config.tz)
            return await changes.change_time(session, meeting_id, starts_at, config, now)
        if request.field is EditField.PLACE:
            return await changes.change_place(session, meeting_id, request.value, config, now)
        if request.field is EditField.AGENDA:
            return await changes.change_agenda(session, meeting_id, request.value, now)
        offsets = changes.read_offsets(request.value)
        return await changes.change_offsets(session, meeting_id, offsets, config, now)

    @retried
    async def cancel(self, actor: Actor, args: str) -> int:
        """/meeting_cancel: call a meeting off; those who answered are told."""
        now = self.now()
        async with self.database.transaction() as session:
            group = (await self.access.manager(session, actor, now)).group
            parts = args.split(maxsplit=1)
            if not parts:
                raise InvalidInput(texts.CANCEL_USAGE)
            number, reason = parse_number(parts[0]), parts[1] if len(parts) > 1 else ""
            meeting = await meetings.meeting_of_chat(session, number, group)
            await changes.cancel_meeting(session, meeting.id, reason, now)
        return number

    @retried
    async def edit_series(self, actor: Actor, args: str) -> SeriesEdited:
        """/series_edit: change a series and every occurrence that has not started."""
        now = self.now()
        async with self.database.transaction() as session:
            group = (await self.access.manager(session, actor, now)).group
            request = parse_edit_args(args, texts.SERIES_EDIT_USAGE)
            value = _series_value(request)
            running = await meeting_series.series_of_chat(session, request.number, group)
            touched = await meeting_series.edit_series(
                session, running, request.field, value, self.config, now
            )
        return SeriesEdited(request.number, request.field, value, len(touched))

    @retried
    async def cancel_series(self, actor: Actor, args: str) -> tuple[int, int]:
        """/series_cancel: stop a series; (its number, how many meetings were called off)."""
        now = self.now()
        async with self.database.transaction() as session:
            group = (await self.access.manager(session, actor, now)).group
            if not args:
                raise InvalidInput(texts.SERIES_CANCEL_USAGE)
            number = parse_number(args.split()[0])
            running = await meeting_series.series_of_chat(session, number, group)
            cancelled = await meeting_series.cancel_series(session, running, now)
        return number, len(cancelled)

    @retried
    async def answer(self, person: Person, meeting_id: int, rsvp: Rsvp) -> Answered:
        """参加 or 请假, for the person who pressed it (nobody answers for another)."""
        now = self.now()
        outcome = await presses.answer(self.database, meeting_id, person, rsvp, now)
        if outcome is None:  # more than one write: the whole use case in its transaction
            async with self.database.transaction() as session:
                outcome = await meetings.answer(session, meeting_id, person, rsvp, now)
        return Answered(outcome, meetings.attendee(outcome.user))

    @retried
    async def check_in(self, person: Person, meeting_id: int) -> bool:
        """签到 for the person who pressed it; False when already checked in."""
        async with self.database.transaction() as session:
            return await meetings.check_in(session, meeting_id, person, self.now())

    @retried
    async def save_reason(self, person: Person, meeting_id: int, text: str) -> bool:
        """A reply to a reason prompt: the reason of that person's 请假."""
        now = self.now()
        saved = await presses.save_reason(self.database, meeting_id, person.id, text, now)
        if saved is not None:
            return saved
        async with self.database.transaction() as session:
            return await meetings.save_reason(session, meeting_id, person.id, text, now)

    @retried
    async def nudge(self, actor: Actor, meeting_id: int) -> str:
        """提醒未回复: a manager of the meeting's group reminds the non-responders now."""
        now = self.now()
        async with self.database.transaction() as session:
            group = (await self.access.manager(session, actor, now)).group
            meeting = await meetings.meeting_of_chat(session, meeting_id, group)
            return await meetings.nudge(session, meeting.id, now)

    @retried
    async def materialise_series(self) -> int:
        """Create the meetings every running series needs ahead; return how many."""
        async with self.database.transaction() as session:
            series_ids = await SeriesRepo(session).active_ids()
        created = 0
        for series_id in series_ids:
            # One transaction per series: one broken rule cannot hold back the others.
            try:
                async with self.database.transaction() as session:
                    found = await meeting_series.materialise(
                        session, series_id, self.config, self.now()
                    )
                    created += len(found)
            except Exception:
                log.exception("Could not materialise meeting series %s", series_id)
        return created


def _series_value(request: EditRequest) -> str | RecurrenceRule:
    """A new rule for 时间, the text for the other fields."""
    if request.field is not EditField.TIME:
        return request.value
    words = request.value.split()
    rule, used = parse_rule_words(words)
    if used != len(words):
        raise InvalidInput(texts.SERIES_EDIT_USAGE)
    return rule
