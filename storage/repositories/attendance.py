"""Attendance's hot paths as prepared Core statements: a press, a roster, a meeting's answers.

A button press is the commonest update: what it needs to know (the meeting, the person,
their membership and their answer) is one statement here instead of one per repository,
and a roster of 10,000 members is read as plain rows, not as ORM objects. The statements
are built once; only their parameters change.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Table, and_, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import MemberStatus, Role
from bot.core.meetings import Rsvp
from storage.models import Chat, Member, User
from storage.models.meetings import Meeting, MeetingAnswer
from storage.records import AnswerRecord, MeetingRecord, MemberRecord, UserRecord

_meetings, _chats = cast(Table, Meeting.__table__), cast(Table, Chat.__table__)
_users, _members = cast(Table, User.__table__), cast(Table, Member.__table__)
_answers = cast(Table, MeetingAnswer.__table__)

_MEETING = [
    _meetings.c[name]
    for name in (
        "id",
        "organisation_id",
        "chat_id",
        "series_id",
        "kind",
        "starts_at",
        "place",
        "agenda",
        "organiser_id",
        "reminder_offsets",
        "status",
        "version",
        "notice_message_id",
        "notice_digest",
    )
]
_USER = [_users.c[name] for name in ("id", "username", "display_name", "real_name", "can_dm")]
_MEMBER = [
    _members.c[name]
    for name in ("id", "organisation_id", "role", "status", "floating", "joined_at", "left_at")
]
_ANSWER = [
    _answers.c[name]
    for name in ("meeting_id", "user_id", "rsvp", "reason", "answered_at", "checked_in_at")
]

# The meeting with its group's Telegram id, and the presser's user, membership and answer.
PRESS = (
    select(*_MEETING, _chats.c.telegram_id, *_USER, *_MEMBER, *_ANSWER)
    .select_from(
        _meetings.join(_chats, _chats.c.id == _meetings.c.chat_id)
        .outerjoin(_users, _users.c.id == bindparam("user_id"))
        .outerjoin(
            _members,
            and_(
                _members.c.organisation_id == _meetings.c.organisation_id,
                _members.c.user_id == bindparam("user_id"),
            ),
        )
        .outerjoin(
            _answers,
            and_(
                _answers.c.meeting_id == _meetings.c.id,
                _answers.c.user_id == bindparam("user_id"),
            ),
        )
    )
    .where(_meetings.c.id == bindparam("meeting_id"))
)
_ROSTER = (
    select(*_USER, _members.c.role, _members.c.status)
    .join_from(_members, _users, _users.c.id == _members.c.user_id)
    .where(
        _members.c.organisation_id == bindparam("organisation_id"), _members.c.left_at.is_(None)
    )
    .order_by(_users.c.real_name, _users.c.display_name)
)
# Every answer with its user (a person who answered may have left the roster since).
_ANSWERS = (
    select(*_ANSWER, *_USER)
    .join_from(_answers, _users, _users.c.id == _answers.c.user_id, isouter=True)
    .where(_answers.c.meeting_id == bindparam("meeting_id"))
    .order_by(_answers.c.id)
)


_SET_REASON = (
    update(_answers)
    .where(
        _answers.c.meeting_id == bindparam("of_meeting"),
        _answers.c.user_id == bindparam("of_user"),
    )
    .values(reason=bindparam("reason"))
)
_USER_SAVED = ("id", "username", "display_name", "can_dm", "created_at", "updated_at")
_USER_REFRESHED = ("username", "display_name", "updated_at")
RSVP = ("rsvp", "answered_at", "reason")
_CHECK_IN = ("checked_in_at",)


@functools.cache
def upsert(dialect: str, table: str, inserted: tuple[str, ...], changed: tuple[str, ...]) -> Any:
    """INSERT `inserted` … ON CONFLICT DO UPDATE `changed`, built once per database kind."""
    target, keys = (_users, ["id"]) if table == "users" else (_answers, ["meeting_id", "user_id"])
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(target)
    statement = insert.values(
        {name: bindparam(name, type_=target.c[name].type) for name in inserted}
    )
    return statement.on_conflict_do_update(
        index_elements=keys, set_={name: statement.excluded[name] for name in changed}
    )


def _slices(*sizes: int) -> list[slice]:
    """Consecutive slices of a row, one per group of columns."""
    ends = [sum(sizes[: n + 1]) for n in range(len(sizes))]
    return [slice(end - size, end) for size, end in zip(sizes, ends, strict=True)]


# Where each record's columns are in a PRESS row (the chat's Telegram id is one column).
_P_MEETING, _P_CHAT, _P_USER, _P_MEMBER, _P_ANSWER = _slices(
    len(_MEETING), 1, len(_USER), len(_MEMBER), len(_ANSWER)
)


@dataclass(frozen=True, slots=True)
class PressState:
    """What a press on a meeting's button needs to know, read at once."""

    meeting: MeetingRecord
    user: UserRecord | None
    member: MemberRecord | None
    answer: AnswerRecord | None


def meeting_record(values: Sequence[Any], telegram_id: int) -> MeetingRecord:
    """A meeting from its columns in _MEETING's order."""
    (id_, org, chat, series, kind, starts, place, agenda, organiser, offsets, status) = values[:11]
    version, notice, digest = values[11:14]
    return MeetingRecord(
        id=id_,
        organisation_id=org,
        chat_id=chat,
        chat_telegram_id=telegram_id,
        series_id=series,
        kind=kind,
        starts_at=starts,
        place=place,
        agenda=agenda,
        organiser_id=organiser,
        reminder_offsets=offsets,
        status=status,
        version=version,
        notice_message_id=notice,
        notice_digest=digest,
    )


def _user(values: Sequence[Any]) -> UserRecord | None:
    if values[0] is None:
        return None
    return UserRecord(*values)


def _member(values: Sequence[Any], user: UserRecord) -> MemberRecord | None:
    if values[0] is None:
        return None
    id_, organisation, role, status, floating, joined, left = values
    return MemberRecord(id_, organisation, user, role, status, floating, joined, left)


def _answer(values: Sequence[Any]) -> AnswerRecord | None:
    return None if values[0] is None else AnswerRecord(*values)


def press_state(row: Sequence[Any]) -> PressState:
    """A PRESS row as records."""
    meeting = meeting_record(row[_P_MEETING], row[_P_CHAT][0])
    user = _user(row[_P_USER])
    member = _member(row[_P_MEMBER], user) if user is not None else None
    return PressState(meeting, user, member, _answer(row[_P_ANSWER]))


class AttendanceRepo:
    """The reads and writes of every press, and the roster and answers of notices."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _rows(self, statement: Any, **params: Any) -> Sequence[Row[Any]]:
        # Core on the session's connection: the ORM's per-statement work is not needed here.
        connection = await self._session.connection()
        return (await connection.execute(statement, params)).all()

    async def press(self, meeting_id: int, user_id: int) -> PressState | None:
        """The meeting (None if there is none) and the user's record, membership, answer."""
        rows = await self._rows(PRESS, meeting_id=meeting_id, user_id=user_id)
        return press_state(rows[0]) if rows else None

    async def roster(self, organisation_id: int) -> list[tuple[UserRecord, Role, MemberStatus]]:
        """The organisation's active members with their post and standing, by name; only
        what a notice shows (10,000 rows are read for every refresh of a large group)."""
        size = len(_USER)
        rows = await self._rows(_ROSTER, organisation_id=organisation_id)
        return [(UserRecord(*row[:size]), row[size], row[size + 1]) for row in rows]

    async def answers(self, meeting_id: int) -> list[tuple[AnswerRecord, UserRecord | None]]:
        """Every answer to the meeting with the user who gave it, in answering order."""
        size = len(_ANSWER)
        rows = await self._rows(_ANSWERS, meeting_id=meeting_id)
        return [(AnswerRecord(*row[:size]), _user(row[size:])) for row in rows]

    async def save_user(
        self, user_id: int, *, username: str | None, display_name: str, now: datetime
    ) -> None:
        """Create the user or refresh what Telegram says about them (race-free)."""
        await self._execute(
            upsert(self._dialect, "users", _USER_SAVED, _USER_REFRESHED),
            id=user_id,
            username=username,
            display_name=display_name,
            can_dm=False,
            created_at=now,
            updated_at=now,
        )

    async def set_rsvp(self, meeting_id: int, user_id: int, rsvp: Rsvp, now: datetime) -> None:
        """Record 参加 or 请假; a new answer clears the old reason (race-free)."""
        keys = ("meeting_id", "user_id")
        statement = upsert(self._dialect, "meeting_answers", (*keys, *RSVP), RSVP)
        await self._execute(
            statement,
            meeting_id=meeting_id,
            user_id=user_id,
            rsvp=rsvp,
            answered_at=now,
            reason=None,
        )

    async def check_in(self, meeting_id: int, user_id: int, now: datetime) -> None:
        """Record the check-in (the caller knows it is the first)."""
        inserted = ("meeting_id", "user_id", "rsvp", *_CHECK_IN)
        statement = upsert(self._dialect, "meeting_answers", inserted, _CHECK_IN)
        await self._execute(
            statement, meeting_id=meeting_id, user_id=user_id, checked_in_at=now, rsvp=Rsvp.NONE
        )

    async def set_reason(self, meeting_id: int, user_id: int, reason: str) -> None:
        """Record the reason of a 请假."""
        await self._execute(_SET_REASON, of_meeting=meeting_id, of_user=user_id, reason=reason)

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    async def _execute(self, statement: Any, **params: Any) -> None:
        connection = await self._session.connection()
        await connection.execute(statement, params)
