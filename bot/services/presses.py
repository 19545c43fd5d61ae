"""The commonest updates in one statement or two (issue 9): a 参加/请假 press and the reply
giving a 请假 reason, when they need no more than one write.

They run in Database.autocommit (storage/hot.py): no session, no BEGIN/COMMIT round trips.
Whatever needs more (a new or renamed user, a membership to start or resume, a reason to
refuse) is answered None here, and the use case runs whole in its transaction
(bot/services/meetings.py), as before. The notice's refresh still to enqueue in this
10-second slot is one more write: on PostgreSQL the same statement makes it (its CTEs are
one atomic statement); on SQLite the use case's transaction does.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.errors import InvalidInput
from bot.core.meeting_args import clean_reason
from bot.core.meetings import Rsvp
from bot.services import meeting_plan
from bot.services.meetings import AnswerOutcome
from bot.services.members import Person
from bot.texts import meetings as texts
from storage.db import Database
from storage.hot import HotCursor
from storage.repositories import presses
from storage.repositories.presses import Refresh


async def answer(
    database: Database, meeting_id: int, person: Person, rsvp: Rsvp, now: datetime
) -> AnswerOutcome | None:
    """参加 or 请假 as meetings.answer does it, or None when that needs more than one write."""
    hot, refresh = _slot_refresh(database, meeting_id, now)
    if not hot:
        return None  # the notice's refresh is enqueued with the answer, in one transaction

    def work(cursor: HotCursor) -> AnswerOutcome | None:
        written = False
        if cursor.dialect == "postgresql":  # read and write in one round trip
            names = (person.id, person.username, person.display_name)
            state, written = presses.press_and_answer(
                cursor, meeting_id, names, rsvp, now, refresh
            )
        else:
            state = presses.press(cursor, meeting_id, person.id)
        if state is None or state.meeting.cancelled:
            raise InvalidInput(texts.MEETING_GONE)
        meeting, user, member = state.meeting, state.user, state.member
        if now >= meeting.starts_at:
            raise InvalidInput(texts.ANSWERS_CLOSED)
        if user is None or (user.username, user.display_name) != (
            person.username,
            person.display_name,
        ):
            return None  # the user is written first
        if member is None or not member.active:
            return None  # and the membership
        if state.answer is not None and state.answer.rsvp is rsvp:
            return AnswerOutcome(meeting, changed=False, user=user)
        if not written:
            if refresh:
                return None  # a second write would come without the refresh
            presses.set_rsvp(cursor, meeting_id, person.id, rsvp, now)
        return AnswerOutcome(meeting, changed=True, user=user)

    outcome = await database.autocommit(work)
    if refresh and outcome is not None and outcome.changed:
        meeting_plan.enqueued_refresh(database, meeting_id, now)
    return outcome


def _slot_refresh(
    database: Database, meeting_id: int, now: datetime
) -> tuple[bool, Refresh | None]:
    """Whether the hot path may run, and the slot's refresh it enqueues with a change: none
    once this process did; on PostgreSQL in the same statement; on SQLite the use case's
    transaction does it (hot path off)."""
    if meeting_plan.refreshed(database, meeting_id, now):
        return True, None
    if database.dialect != "postgresql":
        return False, None
    return True, meeting_plan.refresh_row(meeting_id, now)


async def save_reason(
    database: Database, meeting_id: int, user_id: int, text: str, now: datetime
) -> bool | None:
    """The reason of a 请假 as meetings.save_reason stores it, or None when that needs more
    than one write (or the reason may have to be refused)."""
    hot, refresh = _slot_refresh(database, meeting_id, now)
    if not hot:
        return None
    try:
        reason = clean_reason(text)
    except InvalidInput:
        return None  # refused only if the person is on leave: the use case decides
    if not reason:
        return None
    saved = await database.autocommit(
        lambda cursor: presses.set_reason_on_leave(cursor, meeting_id, user_id, reason, refresh)
    )
    if refresh and saved:
        meeting_plan.enqueued_refresh(database, meeting_id, now)
    return saved
