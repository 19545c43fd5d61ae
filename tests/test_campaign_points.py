"""Campaign points on every database backend: counted from the recorded facts within the
campaign's window and organisations only, the same each time they are computed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.campaigns import DEFAULT_RULES, Campaign, Fact
from bot.core.domain import Domain, OrgKind
from bot.core.errors import NotFound
from bot.core.meetings import MeetingType
from bot.core.sandbox import run_isolated
from bot.core.stars import NEUTRAL, Dimension
from bot.services import stars
from bot.services.campaign_build import BUDGET, rank_text
from bot.services.campaign_render import render_rank
from bot.services.campaigns import covering, pick, tally
from storage.db import Database, create_engine
from storage.models import StudyAnswer, StudyRecord, StudyTarget, StudyTopic
from storage.repositories import ChatRepo, MemberRepo, OrganisationRepo, UserRepo
from storage.repositories.campaigns import AwardRepo, CampaignRepo
from storage.repositories.floating import FloatingRepo
from storage.repositories.meetings import AnswerRepo, MeetingRepo
from storage.repositories.posts import PostRepo

Sessions = async_sessionmaker[AsyncSession]
TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 2026-12-01 00:00 in Beijing
END = START + timedelta(days=30)
INSIDE, BEFORE, AFTER = START + timedelta(days=3), START - timedelta(hours=1), END


@dataclass
class County:
    """城关镇党委 above 第一党支部 (users 1 and 2) and 第二党支部 (user 3)."""

    committee: int
    first: int
    second: int
    whole: Campaign  # the committee's, with everything below
    own: Campaign  # 第一党支部's own


async def _orgs(session: AsyncSession) -> tuple[int, int, int]:
    orgs = OrganisationRepo(session)
    top = await orgs.create(
        name="城关镇党委", kind=OrgKind.COMMITTEE, domain=Domain.ORGAN, now=BEFORE
    )
    ids = [top.id]
    for name in ("第一党支部", "第二党支部"):
        org = await orgs.create(
            name=name, kind=OrgKind.BRANCH, domain=Domain.ORGAN, now=BEFORE, parent_id=top.id
        )
        ids.append(org.id)
    return ids[0], ids[1], ids[2]


async def _people(session: AsyncSession, first: int, second: int) -> None:
    for user_id, name, org in ((1, "张三", first), (2, "李四", first), (3, "孙七", second)):
        await UserRepo(session).upsert(user_id, username=None, display_name=name, now=BEFORE)
        await MemberRepo(session).join(org, user_id, BEFORE)


async def _campaigns(session: AsyncSession, top: int, first: int) -> tuple[Campaign, Campaign]:
    repo, made = CampaignRepo(session), []
    for org, name, subtree in ((top, "全镇竞赛", True), (first, "支部竞赛", False)):
        made.append(
            await repo.create(
                organisation_id=org,
                name=name,
                window=(START, END),
                subtree=subtree,
                rules=DEFAULT_RULES,
                created_by=1,
                now=BEFORE,
            )
        )
    return made[0], made[1]


async def _meetings(session: AsyncSession, first: int) -> None:
    """用户1 checks in inside the window, 用户2 before it; a cancelled meeting counts not."""
    chat = await ChatRepo(session).upsert(-100, title="一支部群", type_="group", now=BEFORE)
    meetings, answers = MeetingRepo(session), AnswerRepo(session)
    for cancelled in (False, True):
        meeting = await meetings.create(
            now=BEFORE,
            organisation_id=first,
            chat_id=chat.id,
            kind=MeetingType.THEMED_DAY,
            starts_at=INSIDE,
            organiser_id=1,
        )
        await answers.check_in(meeting.id, 1, INSIDE)
        await answers.check_in(meeting.id, 2, BEFORE)
        if cancelled:
            await meetings.cancel(meeting.id, INSIDE)


async def _studies(session: AsyncSession, first: int, second: int) -> None:
    """A topic for both branches: 1 and 3 study inside, 2 after the end; 1 answers right,
    2 wrong."""
    topic = StudyTopic(
        organisation_id=first, title="学习党章", scope="own", publish_at=INSIDE,
        deadline_at=END, status="published", created_by=1, published_at=INSIDE,
        created_at=BEFORE, updated_at=BEFORE,
    )  # fmt: skip
    session.add(topic)
    await session.flush()
    chat = await ChatRepo(session).upsert(-200, title="二支部群", type_="group", now=BEFORE)
    first_chat = await ChatRepo(session).get(-100)
    assert first_chat is not None
    for org, chat_id in ((first, first_chat.id), (second, chat.id)):
        session.add(StudyTarget(topic_id=topic.id, organisation_id=org, chat_id=chat_id))
    for user_id, when in ((1, INSIDE), (3, INSIDE), (2, AFTER)):
        session.add(StudyRecord(topic_id=topic.id, user_id=user_id, studied_at=when))
    for user_id, correct in ((1, True), (2, False)):
        session.add(
            StudyAnswer(
                topic_id=topic.id,
                question=0,
                user_id=user_id,
                option=0,
                correct=correct,
                answered_at=INSIDE,
            )
        )
    await session.flush()


async def _duties_and_awards(session: AsyncSession, first: int, second: int) -> None:
    """3 reports once inside; 2 gets 5 points in their branch and 7 in the other one (not a
    member there: not counted)."""
    await PostRepo(session).add_report(second, None, 3, "调解了纠纷", None, INSIDE)
    await PostRepo(session).add_report(second, None, 3, "早了", None, BEFORE)
    awards = AwardRepo(session)
    for org, points in ((first, 5), (second, 7)):
        await awards.add(
            organisation_id=org, user_id=2, points=points, reason="积极", awarded_by=1, now=INSIDE
        )


@pytest.fixture
async def county(sessions: Sessions) -> County:
    async with sessions.begin() as session:
        top, first, second = await _orgs(session)
        await _people(session, first, second)
        whole, own = await _campaigns(session, top, first)
        await _meetings(session, first)
        await _studies(session, first, second)
        await _duties_and_awards(session, first, second)
    return County(top, first, second, whole, own)


async def test_points_are_the_facts_of_the_window_and_scope(
    sessions: Sessions, county: County
) -> None:
    async with sessions.begin() as session:
        counted = await tally(session, county.whole, END + timedelta(days=1))
        again = await tally(session, county.whole, END + timedelta(days=1))
    # 1: 签到 3 + 学习 2 + 答对 1; 2: the award of their branch; 3: 学习 2 + 履职 2.
    assert counted.totals == {(county.first, 1): 6, (county.first, 2): 5, (county.second, 3): 4}
    assert again.totals == counted.totals
    assert [(r.name, r.points) for r in counted.members(county.first)] == [
        ("张三", 6.0),
        ("李四", 5.0),
    ]
    assert [(r.name, r.points, r.members) for r in counted.branches(county.committee)] == [
        ("第一党支部", 5.5, 2),
        ("第二党支部", 4.0, 1),
    ]
    assert counted.until == END


async def test_a_branch_campaign_stays_in_the_branch(sessions: Sessions, county: County) -> None:
    async with sessions.begin() as session:
        counted = await tally(session, county.own, INSIDE)
        assert sorted(counted.orgs) == [county.first]
        assert (county.second, 3) not in counted.totals
        assert {c.name for c in await covering(session, county.first)} == {"全镇竞赛", "支部竞赛"}
        assert [c.name for c in await covering(session, county.second)] == ["全镇竞赛"]
        with pytest.raises(NotFound):
            await pick(session, county.second, "支部竞赛", INSIDE)


async def test_the_board_is_the_same_in_the_loop_a_thread_and_a_child_process(
    database_url: str, sessions: Sessions, county: County
) -> None:
    """/rank computes a branch's board in a thread, a county's in a child process."""
    tz, now = ZoneInfo("Asia/Shanghai"), END + timedelta(days=1)
    async with sessions.begin() as session:
        counted = await tally(session, county.whole, now, county.committee)
    in_loop = render_rank(counted, county.committee, now, tz)
    database = Database(create_engine(database_url))

    async def board(session: AsyncSession) -> str:
        found = await tally(session, county.whole, now, county.committee)
        return render_rank(found, county.committee, now, tz)

    try:
        assert await database.read_apart(board) == in_loop
    finally:
        await database.dispose()
    child = await run_isolated(
        rank_text, database_url, county.whole, county.committee, now, tz.key, budget=BUDGET
    )
    assert child == in_loop
    assert "1. 第一党支部 人均5.5分（2人）" in child


async def _away_and_elsewhere(session: AsyncSession, county: County) -> int:
    """孙七 is away from 第二党支部 (流动党员) since before the window and checks in at a
    meeting of the 流动党员党支部 (a member there too) inside it; 第二党支部 holds a meeting
    he misses meanwhile. The 流动党员党支部's id."""
    floating = await OrganisationRepo(session).create(
        name="东莞流动党员党支部",
        kind=OrgKind.BRANCH,
        domain=Domain.OTHER,
        now=BEFORE,
        parent_id=county.committee,
    )
    await MemberRepo(session).join(floating.id, 3, BEFORE)
    await FloatingRepo(session).start(
        org_id=county.second, user_id=3, place="广东省东莞市", host_org_id=floating.id,
        since=BEFORE.date(), contact="", recorded_by=3, now=BEFORE,
    )  # fmt: skip
    chats = ChatRepo(session)
    for org, telegram_id in ((floating.id, -300), (county.second, -200)):
        chat = await chats.upsert(telegram_id, title="群", type_="group", now=BEFORE)
        meeting = await MeetingRepo(session).create(
            now=BEFORE,
            organisation_id=org,
            chat_id=chat.id,
            kind=MeetingType.LECTURE,
            starts_at=INSIDE,
            organiser_id=3,
        )
        if org == floating.id:
            await AnswerRepo(session).check_in(meeting.id, 3, INSIDE)
    return floating.id


async def test_a_member_away_earns_where_they_checked_in_once(
    sessions: Sessions, county: County
) -> None:
    """The check-in earns in the 流动党员党支部, where it happened, and nowhere else; the
    topic of the home branch studied while away still counts at home only."""
    async with sessions.begin() as session:
        floating = await _away_and_elsewhere(session, county)
        counted = await tally(session, county.whole, END + timedelta(days=1))
    checkin = DEFAULT_RULES.of(Fact.CHECKIN)
    # Home: 学习 2 + 履职 2 as before; away: the one check-in.
    assert counted.totals[(county.second, 3)] == 4
    assert counted.totals[(floating, 3)] == checkin
    assert [(r.name, r.points) for r in counted.members(floating)] == [("孙七", checkin)]


async def test_the_star_draft_counts_a_meeting_taken_part_in_elsewhere(
    sessions: Sessions, county: County
) -> None:
    """五星党员: 孙七 missed his branch's meeting while away but took part elsewhere that
    month (异地参加): 参会 is full, as the ledger counts it."""
    window = stars.Period("2026-12", "2026年12月", START, END)
    now = END + timedelta(days=1)
    async with sessions.begin() as session:
        [before] = await stars.ratings(session, county.second, window, now, TZ)
        await _away_and_elsewhere(session, county)
        [after] = await stars.ratings(session, county.second, window, now, TZ)
    assert before.of(Dimension.MEETINGS) == NEUTRAL  # no meeting yet
    assert after.of(Dimension.MEETINGS) == 5  # 1 异地参加 of 1
