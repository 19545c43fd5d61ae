"""The hot path of a press and a reason (bot/services/presses.py) with the notice's refresh:
on PostgreSQL the first change of a slot enqueues the refresh in its own statement; on
SQLite it leaves the whole use case to its transaction. Either way, one refresh row per slot
and only for a change, as meetings.answer and meetings.save_reason write it."""

from __future__ import annotations

from datetime import timedelta

from bot.core.clock import FakeClock
from bot.core.meetings import Rsvp
from bot.services import meeting_plan, presses
from storage.db import Database
from storage.records import MeetingRecord
from tests.test_meetings_services import MEMBER, QUIET, branch, create, rows


async def _meeting(database: Database, clock: FakeClock) -> MeetingRecord:
    async with database.transaction() as session:
        chat = await branch(session, clock.now())
        return await create(session, chat, "党课 明天下午3点", clock.now())


async def _refreshes(database: Database, meeting: MeetingRecord) -> list[str]:
    async with database.transaction() as session:
        return sorted(await rows(session, f"mtg:{meeting.id}:refresh:"))


async def test_the_first_change_of_a_slot_enqueues_the_refresh_with_it(
    database: Database, clock: FakeClock
) -> None:
    meeting = await _meeting(database, clock)
    now = clock.now()
    first = await presses.answer(database, meeting.id, MEMBER, Rsvp.YES, now)
    if database.dialect != "postgresql":
        assert first is None  # the use case's transaction enqueues the refresh
        assert await _refreshes(database, meeting) == []
        return
    assert first is not None
    assert first.changed
    assert meeting_plan.refreshed(database, meeting.id, now)
    (key,) = await _refreshes(database, meeting)
    async with database.transaction() as session:
        (row,) = (await rows(session, key)).values()
    expected = meeting_plan.refresh_row(meeting.id, now)
    assert (row.kind, row.chat_id, row.due_at, row.payload) == (
        expected.kind,
        meeting.chat_telegram_id,
        expected.due_at,
        expected.payload,
    )
    # The same slot: the answer alone; the next slot: its own refresh.
    assert await presses.answer(database, meeting.id, QUIET, Rsvp.LEAVE, now) is not None
    assert len(await _refreshes(database, meeting)) == 1
    later = now + timedelta(seconds=10)
    await presses.save_reason(database, meeting.id, QUIET.id, "出差", later)
    assert len(await _refreshes(database, meeting)) == 2


async def test_no_change_no_refresh(database: Database, clock: FakeClock) -> None:
    meeting = await _meeting(database, clock)
    if database.dialect != "postgresql":
        return  # SQLite runs the use case whole (tests/test_meetings_services.py)
    now = clock.now()
    await presses.answer(database, meeting.id, MEMBER, Rsvp.YES, now)
    later = now + timedelta(seconds=10)
    same = await presses.answer(database, meeting.id, MEMBER, Rsvp.YES, later)
    assert same is not None
    assert not same.changed
    not_on_leave = await presses.save_reason(database, meeting.id, MEMBER.id, "出差", later)
    assert not_on_leave is False
    assert len(await _refreshes(database, meeting)) == 1
    assert not meeting_plan.refreshed(database, meeting.id, later)
