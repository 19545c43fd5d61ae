"""Meeting use cases on SQLite and PostgreSQL: plans in the outbox, answers, changes, series."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import FakeClock
from bot.core.domain import Domain, MemberStatus, OrgKind, Role
from bot.core.errors import InvalidInput
from bot.core.meeting_args import EditField, parse_meeting_args
from bot.core.meetings import Rsvp
from bot.core.recurrence import parse_recurrence
from bot.services import meeting_changes as changes
from bot.services import meeting_series as series_service
from bot.services import meetings
from bot.services.meeting_plan import MeetingConfig
from bot.services.members import Person
from bot.texts import error_text
from bot.texts import meetings as texts
from storage.records import ChatRecord, DeliveryRecord, DeliveryStatus, MeetingRecord
from storage.repositories import ChatRepo, DeliveryRepo, MemberRepo, OrganisationRepo, UserRepo
from storage.repositories.meetings import MeetingRepo

Sessions = async_sessionmaker[AsyncSession]
SHANGHAI = ZoneInfo("Asia/Shanghai")
CONFIG = MeetingConfig(tz=SHANGHAI, offsets=(timedelta(days=1), timedelta(hours=1)))
GROUP = -1001234
SECRETARY = Person(1, "shuji", "张书记")
MEMBER = Person(2, None, "李四")
PROBATIONER = Person(3, "wangwu", "王五")
QUIET = Person(4, None, "赵六")
OUTSIDER = Person(9, None, "钱九")


async def branch(session: AsyncSession, now: datetime) -> ChatRecord:
    """A bound group with a secretary, two full members and a probationary one."""
    org = await OrganisationRepo(session).create(
        name="第一党支部", kind=OrgKind.BRANCH, domain=Domain.RURAL, now=now
    )
    chats = ChatRepo(session)
    await chats.upsert(GROUP, title="第一支部群", type_="supergroup", now=now)
    await chats.bind(GROUP, org.id, now)
    users, members = UserRepo(session), MemberRepo(session)
    for person in (SECRETARY, MEMBER, PROBATIONER, QUIET):
        await users.upsert(
            person.id, username=person.username, display_name=person.display_name, now=now
        )
        await members.join(org.id, person.id, now)
        await users.set_can_dm(person.id, person is not QUIET, now)
    await members.set_role(org.id, SECRETARY.id, Role.SECRETARY)
    await members.set_status(org.id, PROBATIONER.id, MemberStatus.PROBATIONARY)
    chat = await chats.get(GROUP)
    assert chat is not None
    return chat


async def create(
    session: AsyncSession, chat: ChatRecord, text: str, now: datetime
) -> MeetingRecord:
    request = parse_meeting_args(text, now, SHANGHAI)
    return await meetings.create_meeting(session, chat, SECRETARY, request, CONFIG, now)


async def rows(session: AsyncSession, prefix: str) -> dict[str, DeliveryRecord]:
    return {row.key: row for row in await DeliveryRepo(session).with_prefix(prefix)}


async def test_a_new_meeting_plans_notice_reminders_checkin_and_quorum(
    sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        meeting = await create(session, chat, "支部党员大会 2026-12-05 15:00 会议室", now)
        planned = await rows(session, f"mtg:{meeting.id}:")
    start = datetime(2026, 12, 5, 15, 0, tzinfo=SHANGHAI)
    base = f"mtg:{meeting.id}:v1:"
    assert set(planned) == {
        base + "notice",
        base + "reminder:86400",
        base + "reminder:3600",
        base + "checkin",
        base + "record",
        base + "quorum",
    }
    assert planned[base + "notice"].due_at == now
    assert planned[base + "reminder:86400"].due_at == start - timedelta(days=1)
    # Stale once the next reminder is due: after downtime only the latest one goes out.
    assert planned[base + "reminder:86400"].expires_at == start - timedelta(hours=1)
    assert planned[base + "reminder:3600"].expires_at == start
    assert planned[base + "checkin"].expires_at == start + timedelta(hours=1)
    assert planned[base + "quorum"].due_at == start - timedelta(hours=24)
    assert planned[base + "record"].due_at == start + timedelta(hours=1)  # check-in closes
    assert all(row.chat_id == GROUP for row in planned.values())


async def test_a_meeting_soon_gets_only_the_reminders_still_ahead(
    sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()  # Thursday 10:00
    async with sessions.begin() as session:
        chat = await branch(session, now)
        meeting = await create(session, chat, "支部党员大会 今天下午3点", now)
        planned = await rows(session, f"mtg:{meeting.id}:")
    kinds = sorted(key.rsplit(":", 1)[-1] if "reminder" not in key else key for key in planned)
    assert f"mtg:{meeting.id}:v1:reminder:3600" in kinds
    assert f"mtg:{meeting.id}:v1:reminder:86400" not in kinds
    assert "quorum" not in kinds  # less than 24 h ahead


async def test_answers_refresh_the_notice_once_per_ten_seconds(
    sessions: Sessions, clock: FakeClock
) -> None:
    async with sessions.begin() as session:
        chat = await branch(session, clock.now())
        meeting = await create(session, chat, "党课 明天下午3点", clock.now())
    async with sessions.begin() as session:
        outcome = await meetings.answer(session, meeting.id, MEMBER, Rsvp.YES, clock.now())
        assert outcome.changed
        clock.advance(timedelta(seconds=3))
        await meetings.answer(session, meeting.id, QUIET, Rsvp.LEAVE, clock.now())
        again = await meetings.answer(session, meeting.id, MEMBER, Rsvp.YES, clock.now())
        assert not again.changed
        refreshes = await rows(session, f"mtg:{meeting.id}:refresh:")
    assert len(refreshes) == 1  # two answers in one slot: one edit
    (refresh,) = refreshes.values()
    assert refresh.due_at.timestamp() % 10 == 0
    assert timedelta(0) < refresh.due_at - clock.now() <= timedelta(seconds=10)
    clock.advance(timedelta(seconds=10))
    async with sessions.begin() as session:
        await meetings.answer(session, meeting.id, MEMBER, Rsvp.LEAVE, clock.now())
        assert len(await rows(session, f"mtg:{meeting.id}:refresh:")) == 2
        info = await meetings.attendance(session, meeting)
    assert [p.name for p in info.tally.yes] == []
    assert sorted(p.name for p, _ in info.tally.leave) == ["李四", "赵六"]


async def test_answers_close_at_the_start_and_outsiders_join_the_roster(
    sessions: Sessions, clock: FakeClock
) -> None:
    async with sessions.begin() as session:
        chat = await branch(session, clock.now())
        meeting = await create(session, chat, "党课 明天下午3点", clock.now())
        await meetings.answer(session, meeting.id, OUTSIDER, Rsvp.YES, clock.now())
        member = await MemberRepo(session).get(meeting.organisation_id, OUTSIDER.id)
        assert member is not None
        assert member.active
    clock.set(meeting.starts_at)
    async with sessions.begin() as session:
        with pytest.raises(InvalidInput, match=texts.ANSWERS_CLOSED):
            await meetings.answer(session, meeting.id, MEMBER, Rsvp.YES, clock.now())


async def test_a_reply_to_the_prompt_is_the_reason(sessions: Sessions, clock: FakeClock) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        meeting = await create(session, chat, "党课 明天下午3点", now)
        await meetings.answer(session, meeting.id, MEMBER, Rsvp.LEAVE, now)
        prompt = texts.ASK_REASON_GROUP.format(id=meeting.id, mention="@x")
        assert meetings.prompt_meeting_id(prompt) == meeting.id
        assert meetings.prompt_meeting_id("（编号 3）") is None
        # Someone not on leave replying to the prompt gives no reason.
        assert not await meetings.save_reason(session, meeting.id, QUIET.id, "代答", now)
        assert await meetings.save_reason(session, meeting.id, MEMBER.id, " 出差 ", now)
        info = await meetings.attendance(session, meeting)
        assert [(p.name, r) for p, r in info.tally.leave] == [("李四", "出差")]
        with pytest.raises(InvalidInput) as caught:
            await meetings.save_reason(session, meeting.id, MEMBER.id, "长" * 201, now)
        assert "原因太长" in error_text(caught.value)
        # Switching to 参加 drops the reason; a late reply to the old prompt is ignored.
        await meetings.answer(session, meeting.id, MEMBER, Rsvp.YES, now)
        assert not await meetings.save_reason(session, meeting.id, MEMBER.id, "晚了", now)
        info = await meetings.attendance(session, meeting)
        assert [p.name for p in info.tally.yes] == ["李四"]


async def test_check_in_is_open_from_30_minutes_before_to_60_after(
    sessions: Sessions, clock: FakeClock
) -> None:
    async with sessions.begin() as session:
        chat = await branch(session, clock.now())
        meeting = await create(session, chat, "党课 今天下午3点", clock.now())
    clock.set(meeting.starts_at - timedelta(minutes=31))
    async with sessions.begin() as session:
        with pytest.raises(InvalidInput, match="还没到签到时间"):
            await meetings.check_in(session, meeting.id, MEMBER, clock.now())
    clock.set(meeting.starts_at - timedelta(minutes=30))
    async with sessions.begin() as session:
        assert await meetings.check_in(session, meeting.id, MEMBER, clock.now())
        assert not await meetings.check_in(session, meeting.id, MEMBER, clock.now())
    clock.set(meeting.starts_at + timedelta(minutes=61))
    async with sessions.begin() as session:
        with pytest.raises(InvalidInput, match="签到已结束"):
            await meetings.check_in(session, meeting.id, QUIET, clock.now())
        info = await meetings.attendance(session, meeting)
    assert [p.name for p in info.tally.checked_in] == ["李四"]


async def test_nudge_once_a_minute_and_only_when_someone_is_missing(
    sessions: Sessions, clock: FakeClock
) -> None:
    async with sessions.begin() as session:
        chat = await branch(session, clock.now())
        meeting = await create(session, chat, "党课 明天下午3点", clock.now())
        assert await meetings.nudge(session, meeting.id, clock.now()) == texts.NUDGE_DONE
        assert await meetings.nudge(session, meeting.id, clock.now()) == texts.NUDGE_RECENT
        for person in (SECRETARY, MEMBER, PROBATIONER, QUIET):
            await meetings.answer(session, meeting.id, person, Rsvp.YES, clock.now())
        clock.advance(timedelta(minutes=1))
        assert await meetings.nudge(session, meeting.id, clock.now()) == texts.NUDGE_NOBODY


async def test_changing_the_time_replans_and_announces(
    sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        meeting = await create(session, chat, "支部党员大会 2026-12-05 15:00", now)
        await MeetingRepo(session).set_notice_message(meeting.id, 500)
        new_start = datetime(2026, 12, 6, 9, 0, tzinfo=SHANGHAI)
        moved = await changes.change_time(session, meeting.id, new_start, CONFIG, now)
        planned = await rows(session, f"mtg:{meeting.id}:")
    assert moved.version == 2
    assert moved.starts_at == new_start
    old = {k: r for k, r in planned.items() if k.startswith(f"mtg:{meeting.id}:v1:")}
    new = {k: r for k, r in planned.items() if k.startswith(f"mtg:{meeting.id}:v2:")}
    assert old
    assert all(row.status is DeliveryStatus.CANCELLED for row in old.values())
    # The notice is up already: v2 edits it instead of posting another one.
    assert f"mtg:{meeting.id}:v2:notice" not in new
    assert new[f"mtg:{meeting.id}:v2:reminder:3600"].due_at == new_start - timedelta(hours=1)
    change = planned[f"mtg:{meeting.id}:change:2"]
    assert change.payload["lines"] == [
        "时间改为：12月6日（周日）09:00（原定 12月5日（周六）15:00）"
    ]
    assert any(":refresh:" in key for key in planned)


async def test_a_change_before_the_notice_is_posted_announces_nothing(
    sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        meeting = await create(session, chat, "党课 2026-12-05 15:00", now)
        await changes.change_place(session, meeting.id, "二楼", CONFIG, now)
        planned = await rows(session, f"mtg:{meeting.id}:")
    assert not any(":change:" in key for key in planned)
    assert planned[f"mtg:{meeting.id}:v2:notice"].status is DeliveryStatus.PENDING
    assert planned[f"mtg:{meeting.id}:v1:notice"].status is DeliveryStatus.CANCELLED


async def test_cancelling_stops_everything_and_tells_who_answered(
    sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        meeting = await create(session, chat, "党课 2026-12-05 15:00", now)
        await MeetingRepo(session).set_notice_message(meeting.id, 500)
        await meetings.nudge(session, meeting.id, now)
        await changes.cancel_meeting(session, meeting.id, "场地冲突", now)
        planned = await rows(session, f"mtg:{meeting.id}:")
        with pytest.raises(InvalidInput, match=texts.MEETING_GONE):
            await meetings.answer(session, meeting.id, MEMBER, Rsvp.YES, now)
        with pytest.raises(InvalidInput, match="已经取消"):
            await changes.cancel_meeting(session, meeting.id, "", now)
    cancelled = planned.pop(f"mtg:{meeting.id}:cancelled")
    assert cancelled.payload == {"meeting": meeting.id, "cancelled": True, "reason": "场地冲突"}
    pending = [k for k, r in planned.items() if r.status is DeliveryStatus.PENDING]
    assert all(":refresh:" in key for key in pending)


async def test_reminder_offsets_per_meeting(sessions: Sessions, clock: FakeClock) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        meeting = await create(session, chat, "党课 2026-12-05 15:00", now)
        offsets = changes.read_offsets("2h，30m")
        await changes.change_offsets(session, meeting.id, offsets, CONFIG, now)
        planned = await rows(session, f"mtg:{meeting.id}:v2:reminder")
        with pytest.raises(InvalidInput, match="提醒时间写法不对"):
            changes.read_offsets("2x")
    assert offsets == "2h,30m"
    assert sorted(planned) == [
        f"mtg:{meeting.id}:v2:reminder:1800",
        f"mtg:{meeting.id}:v2:reminder:7200",
    ]
    assert changes.read_offsets("默认") is None
    assert changes.read_offsets("不提醒") == ""


async def test_series_materialise_ahead_idempotently(sessions: Sessions, clock: FakeClock) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        request = parse_meeting_args("主题党日 每月第一个周五 15:00 活动室", now, SHANGHAI)
        result = await series_service.create_series(session, chat, SECRETARY, request, CONFIG, now)
        again = await series_service.materialise(session, result.series.id, CONFIG, now)
    starts = [m.starts_at for m in result.meetings]
    assert starts == [
        datetime(2026, 12, 4, 15, 0, tzinfo=SHANGHAI),
        datetime(2027, 1, 1, 15, 0, tzinfo=SHANGHAI),
    ]
    assert again == []
    async with sessions.begin() as session:
        notice = await DeliveryRepo(session).by_key(f"mtg:{result.meetings[1].id}:v1:notice")
    assert notice is not None
    assert notice.due_at == starts[1] - timedelta(days=7)
    clock.advance(timedelta(days=30))
    async with sessions.begin() as session:
        later = await series_service.materialise(session, result.series.id, CONFIG, clock.now())
        twice = await series_service.materialise(session, result.series.id, CONFIG, clock.now())
    assert [m.starts_at for m in later] == [datetime(2027, 2, 5, 15, 0, tzinfo=SHANGHAI)]
    assert twice == []


async def test_a_quarterly_series_gets_at_least_its_next_meeting(
    sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        request = parse_meeting_args("支部党员大会 每季度末月最后一个周五 15:00", now, SHANGHAI)
        result = await series_service.create_series(session, chat, SECRETARY, request, CONFIG, now)
    assert [m.starts_at for m in result.meetings] == [
        datetime(2026, 12, 25, 15, 0, tzinfo=SHANGHAI)
    ]


async def test_series_edit_and_cancel_reach_every_future_occurrence(
    sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        request = parse_meeting_args("支委会 每月5日 15:00", now, SHANGHAI)
        series = (
            await series_service.create_series(session, chat, SECRETARY, request, CONFIG, now)
        ).series
        moved = await series_service.edit_series(
            session, series, EditField.TIME, parse_recurrence("每月10日 9:00"), CONFIG, now
        )
        assert [m.starts_at for m in moved] == [
            datetime(2026, 12, 10, 9, 0, tzinfo=SHANGHAI),
            datetime(2027, 1, 10, 9, 0, tzinfo=SHANGHAI),
        ]
        placed = await series_service.edit_series(
            session, series, EditField.PLACE, "二楼", CONFIG, now
        )
        assert {m.place for m in placed} == {"二楼"}
        series = await series_service.series_of_chat(session, series.id, chat)
        cancelled = await series_service.cancel_series(session, series, now)
        assert len(cancelled) == 2
        assert all(m.cancelled for m in cancelled)
        assert await series_service.materialise(session, series.id, CONFIG, now) == []
        with pytest.raises(InvalidInput, match="已经取消"):
            await series_service.series_of_chat(session, series.id, chat)


async def test_upcoming_lists_counts(sessions: Sessions, clock: FakeClock) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        assert chat.organisation_id is not None
        await MemberRepo(session).set_role(chat.organisation_id, MEMBER.id, Role.COMMITTEE)
        later = await create(session, chat, "党课 2026-12-05 15:00", now)
        sooner = await create(session, chat, "支委会 明天下午3点", now)
        await meetings.answer(session, later.id, MEMBER, Rsvp.YES, now)
        await meetings.answer(session, later.id, QUIET, Rsvp.LEAVE, now)
        listed = await meetings.upcoming(session, [chat.organisation_id], now)
    assert [item.meeting.id for item in listed] == [sooner.id, later.id]
    # A 支委会 expects only the committee: the secretary and 李四.
    assert (listed[0].yes, listed[0].leave, listed[0].none) == (0, 0, 2)
    assert (listed[1].yes, listed[1].leave, listed[1].none) == (1, 1, 2)


async def test_meetings_of_another_organisation_are_not_reachable(
    sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        meeting = await create(session, chat, "党课 明天下午3点", now)
        other = await OrganisationRepo(session).create(
            name="第二党支部", kind=OrgKind.BRANCH, domain=Domain.RURAL, now=now
        )
        await ChatRepo(session).upsert(-100999, title="二支部", type_="supergroup", now=now)
        await ChatRepo(session).bind(-100999, other.id, now)
        elsewhere = await ChatRepo(session).get(-100999)
        assert elsewhere is not None
        with pytest.raises(Exception, match="不属于本群"):
            await meetings.meeting_of_chat(session, meeting.id, elsewhere)
        with pytest.raises(Exception, match="没有编号为 999"):
            await meetings.get_meeting(session, 999)
