"""The 概览 counted by the database (bot/core/overview.py) gives exactly the ledger's rows
(bot/core/ledger.py's org_statuses over a full snapshot), on a seeded county made awkward:
people who left or joined late, answers from outside an organisation, cancelled meetings,
meetings marked held with nobody checked in, a 支委会 without a committee, a topic reaching an
organisation through two groups, members away (流动党员: one who took part and studied elsewhere,
one who did not, one whose stay ended mid-quarter, one away from another branch). SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.domain import Role
from bot.core.ledger import org_statuses
from bot.core.meetings import MeetingStatus, MeetingType, Rsvp
from bot.core.overview import data_version, overview_rows
from bot.core.periods import parse_period
from bot.services.ledger_build import read_snapshot
from bot.services.overview_counts import read_overview
from storage.models import (
    Chat,
    Member,
    Organisation,
    StudyAnswer,
    StudyRecord,
    StudyTarget,
    StudyTopic,
)
from storage.models.floating import FloatingStay
from storage.models.meetings import Meeting, MeetingAnswer
from storage.models.minutes import MeetingHeld
from tests.ledger_seed import Sizes, seed_county

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
PERIODS = ("本季度", "上季度", "本月", "2026年", "2026年5月")


async def _ids(session: AsyncSession, model: type, *where: object) -> list[int]:
    return list((await session.scalars(select(model.id).where(*where))).all())  # type: ignore[attr-defined]


async def _make_awkward(session: AsyncSession) -> None:
    """Edge cases the seed does not have."""
    m, mt, a = Member, Meeting, MeetingAnswer
    branch_1 = (await _ids(session, Organisation, Organisation.name == "第1党支部"))[0]
    branch_2 = (await _ids(session, Organisation, Organisation.name == "第2党支部"))[0]
    members = list((await session.scalars(select(m).where(m.organisation_id == branch_1))).all())
    # Left mid-quarter, left before the year, joined late.
    members[3].left_at = datetime(2026, 10, 10, tzinfo=UTC)
    members[4].left_at = datetime(2025, 12, 20, tzinfo=UTC)
    members[5].joined_at = datetime(2026, 11, 1, tzinfo=UTC)
    # Branch 2's committee is one person: its 支委会 expect everyone.
    await session.execute(
        update(m)
        .where(m.organisation_id == branch_2, m.role != Role.MEMBER)
        .values(role=Role.MEMBER)
    )
    first = select(m.id).where(m.organisation_id == branch_2).order_by(m.id).limit(1)
    await session.execute(update(m).where(m.id.in_(first)).values(role=Role.SECRETARY))
    # Outsiders answer branch 1's meetings: one comes, one is on leave, one said nothing.
    meetings = await _ids(session, mt, mt.organisation_id == branch_1)
    outsiders = [
        u
        for u in (await session.scalars(select(m.user_id).where(m.organisation_id == branch_2)))
        if u not in {x.user_id for x in members}
    ][:3]
    for meeting in meetings:
        await session.execute(
            insert(a),
            [
                {"meeting_id": meeting, "user_id": user, "rsvp": rsvp, "checked_in_at": at}
                for user, rsvp, at in zip(
                    outsiders,
                    (Rsvp.YES, Rsvp.LEAVE, Rsvp.NONE),
                    (NOW - timedelta(days=400), None, None),
                    strict=True,
                )
            ],
        )
    # A plain member of branch 1 answers a 支委会 (off the committee).
    committee = await _ids(
        session, mt, mt.organisation_id == branch_1, mt.kind == MeetingType.COMMITTEE
    )
    plain = members[-1].user_id
    await session.execute(delete(a).where(a.meeting_id.in_(committee), a.user_id == plain))
    await session.execute(
        insert(a), [{"meeting_id": c, "user_id": plain, "rsvp": Rsvp.YES} for c in committee]
    )
    # 支委会 organised by a plain member, and by someone from outside.
    await session.execute(update(mt).where(mt.id.in_(committee[:3])).values(organiser_id=plain))
    await session.execute(
        update(mt).where(mt.id.in_(committee[3:6])).values(organiser_id=outsiders[0])
    )
    # Cancelled meetings, and meetings nobody checked in to, some marked held.
    await session.execute(
        update(mt).where(mt.id.in_(meetings[::5])).values(status=MeetingStatus.CANCELLED)
    )
    quiet = await _ids(session, mt, mt.organisation_id == branch_2)
    await session.execute(update(a).where(a.meeting_id.in_(quiet)).values(checked_in_at=None))
    await session.execute(
        insert(MeetingHeld), [{"meeting_id": q, "marked_at": NOW} for q in quiet[::2]]
    )
    # A topic reaching branch 1 through a second group.
    await session.execute(
        insert(Chat).values(
            id=10_000,
            telegram_id=-99,
            title="第二个群",
            type="supergroup",
            organisation_id=branch_1,
            active=True,
            created_at=NOW,
            updated_at=NOW,
        )
    )
    topics = await _ids(session, StudyTopic)
    await session.execute(
        insert(StudyTarget),
        [{"topic_id": t, "organisation_id": branch_1, "chat_id": 10_000} for t in topics[-3:]],
    )
    await _make_away(session, branch_1, branch_2, [m.user_id for m in members[6:9]], outsiders[0])


def _stay(org: int, user: int, since: date, ended: datetime | None) -> dict[str, object]:
    started = datetime.combine(since, datetime.min.time(), TZ)
    return {
        "organisation_id": org,
        "user_id": user,
        "place": "广东省东莞市",
        "since": since,
        "started_at": started,
        "ended_at": ended,
        "created_at": started,
    }


async def _make_away(
    session: AsyncSession, branch_1: int, branch_2: int, away: list[int], outsider: int
) -> None:
    """Members away (流动党员): from branch 1, one who answers branch 2's meetings and studies
    its topics (异地参加, 异地学习), one who does nothing elsewhere (外出), one back on
    5 November; from branch 2, the outsider who comes to branch 1's meetings."""
    active, idle, back = away
    mt, a, r = Meeting, MeetingAnswer, StudyRecord
    home = select(mt.id).where(mt.organisation_id == branch_1)
    await session.execute(delete(a).where(a.meeting_id.in_(home), a.user_id.in_(away)))
    await session.execute(delete(StudyAnswer).where(StudyAnswer.user_id == active))
    await session.execute(delete(r).where(r.user_id == active))
    elsewhere = await _ids(session, mt, mt.organisation_id == branch_2)
    await session.execute(
        insert(a), [{"meeting_id": m, "user_id": active, "rsvp": Rsvp.YES} for m in elsewhere[::2]]
    )
    # Its branch's own topics studied the day after (the last one in October): the county's
    # topic of that month counts as studied at home.
    own = select(StudyTopic.id, StudyTopic.published_at).where(
        StudyTopic.organisation_id == branch_2
    )
    topics = (await session.execute(own.order_by(StudyTopic.id))).all()
    studied = [published + timedelta(days=1) for _, published in topics[:-1]]
    studied.append(datetime(2026, 10, 3, tzinfo=UTC))
    await session.execute(
        insert(r),
        [
            {"topic_id": topic, "user_id": active, "studied_at": at, "makeup": False}
            for (topic, _), at in zip(topics, studied, strict=True)
        ],
    )
    await session.execute(
        insert(FloatingStay),
        [
            _stay(branch_1, active, date(2026, 3, 1), None),
            _stay(branch_1, idle, date(2026, 6, 1), None),
            _stay(branch_1, back, date(2026, 9, 1), datetime(2026, 11, 5, tzinfo=UTC)),
            _stay(branch_2, outsider, date(2026, 1, 1), None),
        ],
    )


@pytest.fixture
async def county(
    sessions: async_sessionmaker[AsyncSession],
) -> async_sessionmaker[AsyncSession]:
    async with sessions.begin() as session:
        await seed_county(await session.connection(), Sizes(orgs=30, members=300), until=NOW)
    async with sessions.begin() as session:
        await _make_awkward(session)
    return sessions


@pytest.mark.parametrize("period_text", PERIODS)
async def test_counted_rows_are_the_ledgers(
    county: async_sessionmaker[AsyncSession], period_text: str
) -> None:
    period = parse_period(period_text, NOW.astimezone(TZ).date())
    async with county() as session:
        roots = [
            1,
            *await _ids(session, Organisation, Organisation.name.in_(["第1镇党委", "第1党支部"])),
        ]
        for root in roots:
            snapshot = await read_snapshot(session, root, period, TZ, NOW)
            counts = await read_overview(session, root, period, TZ, NOW)
            assert overview_rows(counts) == org_statuses(snapshot), (root, period_text)


async def test_the_data_version_changes_with_a_check_in_only(
    county: async_sessionmaker[AsyncSession],
) -> None:
    period = parse_period("本季度", NOW.astimezone(TZ).date())

    async def version() -> str:
        async with county() as session:
            return data_version(await read_overview(session, 1, period, TZ, NOW))

    before = await version()
    assert await version() == before
    async with county.begin() as session:
        answer = await session.scalar(
            select(MeetingAnswer)
            .join(Meeting, Meeting.id == MeetingAnswer.meeting_id)
            .where(Meeting.starts_at >= NOW - timedelta(days=30))
            .where(MeetingAnswer.checked_in_at.is_(None), Meeting.status != "cancelled")
            .limit(1)
        )
        assert answer is not None
        answer.checked_in_at = NOW
    assert await version() != before
