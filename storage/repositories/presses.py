"""The commonest updates' statements on Database.autocommit's cursor (storage/hot.py).

A 参加/请假 press reads what it needs in one statement and, in the common case, writes one
row; a reply giving a 请假 reason is one guarded UPDATE; every private text looks up the
sender's drafts. Each function here runs at most one write, so autocommit loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    String,
    Table,
    and_,
    bindparam,
    func,
    literal,
    literal_column,
    null,
    select,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql

from bot.core.meetings import MeetingStatus, Rsvp
from storage.hot import HotCursor
from storage.models import Chat, Delivery, Member, User
from storage.models.meetings import Meeting, MeetingAnswer
from storage.records import DeliveryStatus, DraftRecord
from storage.repositories.attendance import PRESS, RSVP, PressState, press_state, upsert
from storage.repositories.drafts import OF as DRAFTS_OF

Names = tuple[int, str | None, str]  # a user's id, username and display name
_meetings, _answers = cast(Table, Meeting.__table__), cast(Table, MeetingAnswer.__table__)
_users, _members = cast(Table, User.__table__), cast(Table, Member.__table__)
_chats, _deliveries = cast(Table, Chat.__table__), cast(Table, Delivery.__table__)
_prior = _answers.alias("prior")
# Typed for PostgreSQL, which must deduce one type for a parameter used twice.
_NEW_RSVP = sql_cast(bindparam("rsvp", type_=_answers.c.rsvp.type), String(20))

# PostgreSQL: the press's read and, when the press needs only its answer written, the write,
# in one round trip. The answer is written only where meetings.answer (bot/services) would
# write nothing else: an open meeting, the user known under the same name, an active member,
# a different answer. The SELECT sees the rows as they were before the write.
_WRITTEN = (
    postgresql.insert(_answers)
    .from_select(
        ["meeting_id", "user_id", "rsvp", "answered_at", "reason"],
        select(
            _meetings.c.id,
            _users.c.id,
            _NEW_RSVP,
            bindparam("now", type_=_answers.c.answered_at.type),
            null(),
        )
        .select_from(
            _meetings.join(_users, _users.c.id == bindparam("user_id"))
            .join(
                _members,
                and_(
                    _members.c.organisation_id == _meetings.c.organisation_id,
                    _members.c.user_id == _users.c.id,
                ),
            )
            .outerjoin(
                _prior,
                and_(_prior.c.meeting_id == _meetings.c.id, _prior.c.user_id == _users.c.id),
            )
        )
        .where(
            _meetings.c.id == bindparam("meeting_id"),
            _meetings.c.status != MeetingStatus.CANCELLED,
            _meetings.c.starts_at > bindparam("now", type_=_answers.c.answered_at.type),
            _users.c.username.is_not_distinct_from(bindparam("username")),
            _users.c.display_name == bindparam("display_name"),
            _members.c.left_at.is_(None),
            _prior.c.rsvp.is_distinct_from(_NEW_RSVP),
        ),
    )
    .on_conflict_do_update(
        index_elements=["meeting_id", "user_id"],
        set_={name: literal_column(f"excluded.{name}") for name in RSVP},
    )
    .returning(_answers.c.meeting_id)
    .cte("written")
)
_PRESS_AND_ANSWER = PRESS.add_columns(select(func.count()).select_from(_WRITTEN).scalar_subquery())


def _refresh_after(changed: Any) -> Any:
    """The notice's refresh of this slot, enqueued as DeliveryRepo.enqueue does (once per
    key) where `changed` (a CTE of meeting ids) returned a row: a statement of its own."""
    return (
        postgresql.insert(_deliveries)
        .from_select(
            ["key", "kind", "chat_id", "payload", "due_at", "status", "attempts", "created_at"],
            select(
                bindparam("refresh_key", type_=_deliveries.c.key.type),
                bindparam("refresh_kind", type_=_deliveries.c.kind.type),
                _chats.c.telegram_id,
                bindparam("refresh_payload", type_=_deliveries.c.payload.type),
                bindparam("refresh_due", type_=_deliveries.c.due_at.type),
                literal(DeliveryStatus.PENDING.value, _deliveries.c.status.type),
                literal(0, _deliveries.c.attempts.type),
                bindparam("now", type_=_deliveries.c.created_at.type),
            )
            .select_from(
                changed.join(_meetings, _meetings.c.id == changed.c.meeting_id).join(
                    _chats, _chats.c.id == _meetings.c.chat_id
                )
            )
            .limit(1),
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(_deliveries.c.id)
        .cte("refreshed")
    )


# The same, and the notice's refresh when the answer is written (the first change of the
# slot in this process): PostgreSQL runs a statement's CTEs atomically, so the answer and its
# refresh are written together or not at all, still in one round trip.
_PRESS_ANSWER_AND_REFRESH = _PRESS_AND_ANSWER.add_columns(
    select(func.count()).select_from(_refresh_after(_WRITTEN)).scalar_subquery()
)

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

_REASONED = _SET_REASON_ON_LEAVE.returning(_answers.c.meeting_id).cte("reasoned")
_SET_REASON_AND_REFRESH = select(
    select(func.count()).select_from(_REASONED).scalar_subquery(),
    select(func.count()).select_from(_refresh_after(_REASONED)).scalar_subquery(),
)


def press(cursor: HotCursor, meeting_id: int, user_id: int) -> PressState | None:
    """The meeting (None if there is none) and the user's record, membership, answer."""
    rows = cursor.rows(PRESS, meeting_id=meeting_id, user_id=user_id)
    return press_state(rows[0]) if rows else None


@dataclass(frozen=True, slots=True)
class Refresh:
    """The notice's refresh to enqueue with a change (meeting_plan.refresh's row)."""

    key: str
    kind: str
    due_at: datetime
    payload: dict[str, Any]
    now: datetime  # when it is enqueued (created_at)

    def params(self) -> dict[str, Any]:
        """The refresh CTE's parameters."""
        return {
            "refresh_key": self.key,
            "refresh_kind": self.kind,
            "refresh_due": self.due_at,
            "refresh_payload": self.payload,
        }


def press_and_answer(
    cursor: HotCursor,
    meeting_id: int,
    names: Names,
    rsvp: Rsvp,
    now: datetime,
    refresh: Refresh | None = None,
) -> tuple[PressState | None, bool]:
    """The press's state before it, and whether its answer was written (PostgreSQL only),
    with `refresh` enqueued if given and the answer written; `names`: who pressed (id,
    username, display name) as Telegram names them now."""
    user_id, username, display_name = names
    statement = _PRESS_AND_ANSWER if refresh is None else _PRESS_ANSWER_AND_REFRESH
    extra = {} if refresh is None else refresh.params()
    rows = cursor.rows(
        statement,
        meeting_id=meeting_id,
        user_id=user_id,
        username=username,
        display_name=display_name,
        rsvp=rsvp,
        now=now,
        **extra,
    )
    if not rows:
        return None, False
    width = len(rows[0]) - (1 if refresh is None else 2)
    return press_state(rows[0][:width]), rows[0][width] == 1


def set_rsvp(cursor: HotCursor, meeting_id: int, user_id: int, rsvp: Rsvp, now: datetime) -> None:
    """Record 参加 or 请假; a new answer clears the old reason (race-free)."""
    statement = upsert(cursor.dialect, "meeting_answers", ("meeting_id", "user_id", *RSVP), RSVP)
    cursor.execute(
        statement, meeting_id=meeting_id, user_id=user_id, rsvp=rsvp, answered_at=now, reason=None
    )


def set_reason_on_leave(
    cursor: HotCursor, meeting_id: int, user_id: int, reason: str, refresh: Refresh | None = None
) -> bool:
    """Record the reason when the user is on leave from a meeting not called off; with
    `refresh` (PostgreSQL only), enqueue it in the same statement if the reason was set."""
    params = {"of_meeting": meeting_id, "of_user": user_id, "reason": reason}
    if refresh is not None:
        rows = cursor.rows(_SET_REASON_AND_REFRESH, **params, **refresh.params(), now=refresh.now)
        return bool(rows[0][0] == 1)
    return cursor.execute(_SET_REASON_ON_LEAVE, **params) == 1


def drafts_of(cursor: HotCursor, chat_id: int, user_id: int) -> list[DraftRecord]:
    """The person's drafts in the chat, the one that moved last first."""
    rows = cursor.rows(DRAFTS_OF, chat_id=chat_id, user_id=user_id)
    return [DraftRecord(flow, dict(state), updated_at) for flow, state, updated_at in rows]
