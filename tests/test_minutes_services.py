"""Meeting records and the 三会一课 checkup on SQLite and PostgreSQL: versions, what counts
as held, the warning plan and its fan-out keys."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import FakeClock
from bot.core.domain import Domain, OrgKind, Role
from bot.core.errors import InvalidInput
from bot.core.meetings import MeetingType
from bot.core.minutes import read_reply
from bot.services import checkup, minutes
from bot.services.access import AccessService
from bot.services.checkup import Moment
from bot.services.minutes_render import render_docx, render_text
from bot.services.minutes_service import MinutesService
from storage.db import Database, create_engine
from storage.records import MeetingRecord
from storage.repositories import DeliveryRepo, MemberRepo, OrganisationRepo
from storage.repositories.attendance import AttendanceRepo
from storage.repositories.meetings import MeetingRepo
from storage.repositories.minutes import MinutesRepo
from tests.test_meetings_services import SECRETARY, SHANGHAI, Sessions, branch


async def past(
    session: AsyncSession, org_id: int, chat_id: int, kind: MeetingType, starts_at: datetime
) -> MeetingRecord:
    return await MeetingRepo(session).create(
        now=starts_at - timedelta(days=3),
        organisation_id=org_id,
        chat_id=chat_id,
        kind=kind,
        starts_at=starts_at,
        organiser_id=SECRETARY.id,
    )


async def test_versions_records_status_and_the_rendered_record(
    sessions: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        assert chat.organisation_id is not None
        meeting = await past(session, chat.organisation_id, chat.id, MeetingType.ASSEMBLY, now)
        later = now + timedelta(hours=2)
        draft = await minutes.ensure_draft(session, meeting, later)
        assert (draft.version, draft.done) == (1, False)
        assert await MinutesRepo(session).records_status([meeting.id]) == {meeting.id: "草稿"}
        with pytest.raises(InvalidInput):
            await minutes.complete(session, meeting, SECRETARY.id, later)  # nothing written
        await minutes.add(session, meeting, read_reply("内容：<b>学习</b> & 讨论"), later)
        await minutes.add(session, meeting, read_reply("决议：同意"), later)
        done = await minutes.complete(session, meeting, SECRETARY.id, later)
        assert done is not None
        assert done.done
        assert await minutes.complete(session, meeting, SECRETARY.id, later) is None
        added = await minutes.add(session, meeting, read_reply("决议：报送上级"), later)
        assert (added.version, added.new_version) == (2, True)
        assert await MinutesRepo(session).records_status([meeting.id]) == {meeting.id: "已完成"}
        newest = await MinutesRepo(session).latest(meeting.id)
        assert newest is not None
        shown = await minutes.view(session, meeting, newest, SHANGHAI)
    assert newest.resolutions == "同意\n\n报送上级"
    text = render_text(shown)
    assert "&lt;b&gt;学习&lt;/b&gt; &amp; 讨论" in text  # user text escaped for HTML
    assert "第2版·修订中" in text
    assert render_docx(shown).startswith(b"PK")


async def test_a_huge_record_is_cut_in_the_message_not_in_the_file(
    sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        assert chat.organisation_id is not None
        meeting = await past(session, chat.organisation_id, chat.id, MeetingType.LECTURE, now)
        for _ in range(4):
            await minutes.add(session, meeting, read_reply("内容：" + "学" * 4000), now)
        record = await MinutesRepo(session).latest(meeting.id)
        assert record is not None
        shown = await minutes.view(session, meeting, record, SHANGHAI)
    assert len(render_text(shown, how_to_reply=True)) <= 4096
    assert len(render_docx(shown)) > 10_000


async def test_what_counts_as_held(sessions: Sessions, clock: FakeClock) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        org = chat.organisation_id
        assert org is not None
        checked = await past(session, org, chat.id, MeetingType.COMMITTEE, now - timedelta(days=3))
        marked = await past(session, org, chat.id, MeetingType.LECTURE, now - timedelta(days=2))
        nobody = await past(session, org, chat.id, MeetingType.ASSEMBLY, now - timedelta(days=1))
        off = await past(session, org, chat.id, MeetingType.THEMED_DAY, now - timedelta(hours=5))
        await AttendanceRepo(session).check_in(checked.id, SECRETARY.id, now)
        await AttendanceRepo(session).check_in(off.id, SECRETARY.id, now)
        await MeetingRepo(session).cancel(off.id, now)
        repo = MinutesRepo(session)
        assert await repo.mark_held(marked.id, SECRETARY.id, now)
        assert not await repo.mark_held(marked.id, SECRETARY.id, now)
        assert await repo.held([checked.id, marked.id, nobody.id]) == {checked.id, marked.id}
        counts = await repo.held_in_spans([(now - timedelta(days=30), now)])
        assert counts == {(org, MeetingType.COMMITTEE): [1], (org, MeetingType.LECTURE): [1]}
        found = await checkup.standing_of(
            session,
            await OrganisationRepo(session).get(org),
            Moment(now, SHANGHAI),  # type: ignore[arg-type]
        )
    met = {s.requirement.meeting for s in found if s.met}
    assert met == {MeetingType.COMMITTEE, MeetingType.LECTURE}


async def test_warnings_are_planned_ahead_and_fan_out_once(
    sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()  # 26 November: November's warning day (23rd) has passed
    async with sessions.begin() as session:
        chat = await branch(session, now)
        assert chat.organisation_id is not None
        orgs = OrganisationRepo(session)
        parent = await orgs.create(
            name="城关镇党委", kind=OrgKind.COMMITTEE, domain=Domain.ORGAN, now=now
        )
        await orgs.set_parent(chat.organisation_id, parent.id)
        quiet = await orgs.create(
            name="第二党支部", kind=OrgKind.BRANCH, domain=Domain.RURAL, now=now
        )
        await orgs.set_parent(quiet.id, parent.id)
        await MemberRepo(session).set_role(chat.organisation_id, SECRETARY.id, Role.SECRETARY)
        at = Moment(now, SHANGHAI)
        assert await checkup.plan(session, at, 7) == 1
        assert await checkup.plan(session, at, 7) == 0
        deliveries = DeliveryRepo(session)
        planned = await deliveries.with_prefix("checkup:")
        assert [(d.key, d.due_at) for d in planned] == [
            ("checkup:2026-12", datetime(2026, 12, 25, 9, tzinfo=SHANGHAI))
        ]
        warning_day = Moment(datetime(2026, 12, 25, 9, tzinfo=SHANGHAI), SHANGHAI)
        assert await checkup.run(session, "2026-11", warning_day) == 0  # not its month
        queued = await checkup.run(session, "2026-12", warning_day)
        again = await checkup.run(session, "2026-12", warning_day)
        keys = {d.key for d in await deliveries.with_prefix("checkup:2026-12:")}
    org = chat.organisation_id
    # The branch's secretary (can be messaged); 第二党支部 has no group nor managers:
    # nobody to tell; 城关镇党委 has no managers, no group: its summary has nowhere to go.
    assert keys == {f"checkup:2026-12:alert:{org}:{SECRETARY.id}"}
    assert (queued, again) == (1, 0)


async def test_meetings_announced_before_records_get_their_draft_planned(
    database_url: str, sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        chat = await branch(session, now)
        assert chat.organisation_id is not None
        ahead = await past(session, chat.organisation_id, chat.id, MeetingType.LECTURE, now)
        await MeetingRepo(session).reschedule(ahead.id, now, starts_at=now + timedelta(days=2))
        over = await past(
            session, chat.organisation_id, chat.id, MeetingType.LECTURE, now - timedelta(days=1)
        )

    async def no_admins(_chat: int, _user: int) -> bool:
        return False

    database = Database(create_engine(database_url))
    try:
        service = MinutesService(database, clock, AccessService(frozenset(), no_admins), SHANGHAI)
        assert await service.plan_drafts() == 1
        assert await service.plan_drafts() == 0
    finally:
        await database.dispose()
    async with sessions.begin() as session:
        keys = [d.key for d in await DeliveryRepo(session).with_prefix("mtg:")]
    assert keys == [f"mtg:{ahead.id}:v2:record"]
    assert over.id != ahead.id
