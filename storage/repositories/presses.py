"""The commonest updates' statements on Database.autocommit's cursor (storage/hot.py).

A 参加/请假 press reads what it needs in one statement and, in the common case, writes one
row; a reply giving a 请假 reason is one guarded UPDATE; every private text looks up the
sender's drafts. Each function here runs at most one write, so autocommit loses nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, select, update

from bot.core.meetings import MeetingStatus, Rsvp
from storage.hot import HotCursor
from storage.models.meetings import Meeting, MeetingAnswer
from storage.records import DraftRecord
from storage.repositories.attendance import PRESS, RSVP, PressState, press_state, upsert
from storage.repositories.drafts import OF as DRAFTS_OF

_meetings, _answers = cast(Table, Meeting.__table__), cast(Table, MeetingAnswer.__table__)

# The reason of a 请假 still standing, for a meeting not called off; nothing otherwise.
_SET_REASON_ON_LEAVE = (
    update(_answers)
    .where(
        _answers.c.meeting_id == bindparam("of_meeting"),
        _answers.c.user_id == bindparam("of_user"),
        _answers.c.rsvp == Rsvp.LEAVE,
        _answers.c.meeting_id.in_(
            select(_meetings.c.id).where(
                _meetings.c.id == bindparam("of_meeting"),
                _meetings.c.status != MeetingStatus.CANCELLED,
            )
        ),
    )
    .values(reason=bindparam("reason"))
)


def press(cursor: HotCursor, meeting_id: int, user_id: int) -> PressState | None:
    """The meeting (None if there is none) and the user's record, membership, answer."""
    rows = cursor.rows(PRESS, meeting_id=meeting_id, user_id=user_id)
    return press_state(rows[0]) if rows else None


def set_rsvp(cursor: HotCursor, meeting_id: int, user_id: int, rsvp: Rsvp, now: datetime) -> None:
    """Record 参加 or 请假; a new answer clears the old reason (race-free)."""
    statement = upsert(cursor.dialect, "meeting_answers", ("meeting_id", "user_id", *RSVP), RSVP)
    cursor.execute(
        statement, meeting_id=meeting_id, user_id=user_id, rsvp=rsvp, answered_at=now, reason=None
    )


def set_reason_on_leave(cursor: HotCursor, meeting_id: int, user_id: int, reason: str) -> bool:
    """Record the reason when the user is on leave from a meeting not called off."""
    changed = cursor.execute(
        _SET_REASON_ON_LEAVE, of_meeting=meeting_id, of_user=user_id, reason=reason
    )
    return changed == 1


def drafts_of(cursor: HotCursor, chat_id: int, user_id: int) -> list[DraftRecord]:
    """The person's drafts in the chat, the one that moved last first."""
    rows = cursor.rows(DRAFTS_OF, chat_id=chat_id, user_id=user_id)
    return [DraftRecord(flow, dict(state), updated_at) for flow, state, updated_at in rows]
