"""Study and broadcast services on every database backend (the `sessions` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import FakeClock
from bot.core.domain import Domain, OrgKind
from bot.core.errors import InvalidInput
from bot.core.meetings import MeetingType, Rsvp
from bot.core.study import PlanError
from bot.services import broadcast, study
from bot.services.members import Person
from bot.services.study_service import _number as study_number
from bot.services.study_stats import topic_stats
from handlers.study import render_stats
from storage.records import DeliveryStatus
from storage.repositories import ChatRepo, DeliveryRepo, MemberRepo, OrganisationRepo, UserRepo
from storage.repositories.meetings import AnswerRepo, MeetingRepo
from storage.repositories.study import StudyRepo
from storage.repositories.study_broadcasts import BroadcastRepo

TZ = ZoneInfo("Asia/Shanghai")
Sessions = async_sessionmaker[AsyncSession]

PLAN = """\
topics:
  - title: 第{n}课
    publish_at: {when}
    summary: 简介
    questions: [一, 二]
    deadline: 发布后7天
    quiz:
      - question: 题
        options: [甲, 乙]
        answer: 乙
    scope: {scope}
"""


async def tree(sessions: Sessions, now: datetime) -> dict[str, int]:
    """县委 (机关) > 一村 (农村), 二社区 (社区); 河西 beside; each with a group and members."""
    ids: dict[str, int] = {}
    async with sessions.begin() as session:
        orgs, chats, users, members = (
            OrganisationRepo(session),
            ChatRepo(session),
            UserRepo(session),
            MemberRepo(session),
        )
        for n, (name, domain, parent) in enumerate(
            [
                ("县委", Domain.ORGAN, None),
                ("一村", Domain.RURAL, "县委"),
                ("二社区", Domain.COMMUNITY, "县委"),
                ("河西", Domain.RURAL, None),
            ],
            start=1,
        ):
            org = await orgs.create(
                name=name,
                kind=OrgKind.BRANCH,
                domain=domain,
                now=now,
                parent_id=ids.get(parent or ""),
            )
            ids[name] = org.id
            await chats.upsert(-n, title=f"{name}群", type_="group", now=now)
            await chats.bind(-n, org.id, now)
            for user_id in (n * 10, n * 10 + 1):
                await users.upsert(user_id, username=None, display_name=f"u{user_id}", now=now)
                await members.join(org.id, user_id, now)
    return ids


async def import_one(
    sessions: Sessions, org_id: int, now: datetime, when: str, scope: str = "本组织", n: int = 1
) -> int:
    async with sessions.begin() as session:
        (topic,) = await study.import_plan(
            session,
            org_id,
            10,
            ("p.yaml", PLAN.format(n=n, when=when, scope=scope).encode()),
            now,
            TZ,
        )
    return topic.id


async def test_rule_topics_continue_after_earlier_imports_and_bad_files_leave_nothing(
    sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()
    ids = await tree(sessions, now)
    rule = "每月第一个周五 09:00"
    first = await import_one(sessions, ids["县委"], now, rule, n=1)
    second = await import_one(sessions, ids["县委"], now, rule, n=2)
    with pytest.raises(PlanError):
        async with sessions.begin() as session:
            await study.import_plan(session, ids["县委"], 10, ("p.csv", b"title\nx\n"), now, TZ)
    async with sessions.begin() as session:
        repo = StudyRepo(session)
        topics = [await repo.get(first), await repo.get(second)]
        planned = await repo.upcoming([ids["县委"]])
        rows = await DeliveryRepo(session).with_prefix(f"{study.PUBLISH}:")
    assert [t.publish_at if t else None for t in topics] == [
        datetime(2026, 12, 4, 1, 0, tzinfo=UTC),
        datetime(2027, 1, 1, 1, 0, tzinfo=UTC),
    ]
    assert [t.id for t in planned] == [first, second]
    assert [(r.due_at, r.chat_id) for r in rows] == [
        (datetime(2026, 12, 4, 1, 0, tzinfo=UTC), 0),
        (datetime(2027, 1, 1, 1, 0, tzinfo=UTC), 0),
    ]


async def test_publish_reaches_the_scope_once_with_quiz_and_reminder(
    sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()
    ids = await tree(sessions, now)
    topic_id = await import_one(sessions, ids["县委"], now, "2026-12-04 09:00", "下级组织")
    async with sessions.begin() as session:
        edited = await study.edit_topic(session, topic_id, None, ("标题", "新标题"), now, TZ)
    assert (edited.title, edited.version) == ("新标题", 2)
    publish_at = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
    async with sessions.begin() as session:
        assert await study.publish(session, topic_id, 1, publish_at, TZ) is None  # old version
        assert await study.publish(session, topic_id, 2, publish_at, TZ) == 3
        assert await study.publish(session, topic_id, 2, publish_at, TZ) is None
    async with sessions.begin() as session:
        targets = await StudyRepo(session).targets(topic_id)
        rows = await DeliveryRepo(session).with_prefix("study")
        with pytest.raises(InvalidInput):
            await study.delete_topic(session, topic_id, None, publish_at)
    assert sorted(t.telegram_id for t in targets) == [-3, -2, -1]  # not 河西 (-4)
    by_kind: dict[str, int] = {}
    for row in rows:
        by_kind[row.kind] = by_kind.get(row.kind, 0) + 1
    assert by_kind == {"study_publish": 2, "study": 3, "study_quiz": 3, "study_remind": 3}
    remind = next(r for r in rows if r.kind == study.REMIND)
    assert remind.due_at == publish_at + timedelta(days=6)
    assert remind.expires_at == publish_at + timedelta(days=7)


async def test_records_answers_scores_and_stats(sessions: Sessions, clock: FakeClock) -> None:
    now = clock.now()
    ids = await tree(sessions, now)
    topic_id = await import_one(sessions, ids["县委"], now, "2026-12-04 09:00", "下级组织")
    publish_at = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
    async with sessions.begin() as session:
        await study.publish(session, topic_id, 1, publish_at, TZ)
        await StudyRepo(session).add_poll("p1", topic_id, 0, 1)
    reader = Person(id=20, username=None, display_name="u20")
    async with sessions.begin() as session:
        first = await study.record_study(session, topic_id, reader, publish_at, makeup=False)
        again = await study.record_study(
            session, topic_id, reader, publish_at + timedelta(hours=1), makeup=True
        )
        assert await study.record_quiz_answer(session, "p1", reader, [1], publish_at)
        assert not await study.record_quiz_answer(session, "p1", reader, [0], publish_at)
        assert not await study.record_quiz_answer(session, "nope", reader, [0], publish_at)
        wrong = Person(id=21, username=None, display_name="u21")
        assert await study.record_quiz_answer(session, "p1", wrong, [0], publish_at)
        stats = await topic_stats(session, ids["县委"], None)
    assert first.earlier is None
    assert again.earlier == (publish_at, False)
    assert stats.topic.id == topic_id
    assert [(m.name, m.studied) for m in stats.members] == [("u10", False), ("u11", False)]
    assert [(o.name, o.studied, o.total, o.percent) for o in stats.below] == [
        ("二社区", 0, 2, 0),
        ("一村", 1, 2, 50),
    ]
    async with sessions.begin() as session:
        village = await topic_stats(session, ids["一村"], topic_id)
        assert await StudyRepo(session).scores(topic_id) == {20: (1, 1), 21: (0, 1)}
    assert [(m.name, m.studied, m.correct) for m in village.members] == [
        ("u20", True, 1),
        ("u21", False, 0),
    ]


async def test_make_up_follows_leaves_from_that_months_themed_day(
    sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()
    ids = await tree(sessions, now)
    topic_id = await import_one(sessions, ids["一村"], now, "2026-12-04 09:00")
    async with sessions.begin() as session:
        chat = await ChatRepo(session).get(-2)
        assert chat is not None
        meetings, answers = MeetingRepo(session), AnswerRepo(session)
        made = []
        for kind, day in (
            (MeetingType.THEMED_DAY, 18),  # this month: counts
            (MeetingType.THEMED_DAY, 30 + 5),  # next month: no
            (MeetingType.COMMITTEE, 10),  # not a 主题党日
        ):
            meeting = await meetings.create(
                now=now,
                organisation_id=ids["一村"],
                chat_id=chat.id,
                kind=kind,
                starts_at=datetime(2026, 11, 30, 6, tzinfo=UTC) + timedelta(days=day),
                organiser_id=20,
            )
            made.append(meeting)
            await answers.set_rsvp(meeting.id, 21, Rsvp.LEAVE, now)
        cancelled = await meetings.create(
            now=now,
            organisation_id=ids["一村"],
            chat_id=chat.id,
            kind=MeetingType.THEMED_DAY,
            starts_at=datetime(2026, 12, 11, 6, tzinfo=UTC),
            organiser_id=20,
        )
        await meetings.cancel(cancelled.id, now)
        await answers.set_rsvp(cancelled.id, 20, Rsvp.LEAVE, now)
    publish_at = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
    async with sessions.begin() as session:
        await study.publish(session, topic_id, 1, publish_at, TZ)
        assert await study.sweep_makeups(session, publish_at, TZ) == 0  # already queued
        rows = await DeliveryRepo(session).with_prefix(f"{study.MAKEUP}:")
    assert [(r.chat_id, r.due_at) for r in rows] == [(21, made[0].starts_at)]


async def test_broadcast_targets_confirm_once_and_throttled_progress(
    sessions: Sessions, clock: FakeClock
) -> None:
    now = clock.now()
    ids = await tree(sessions, now)
    async with sessions.begin() as session:
        draft = await broadcast.start(session, ids["县委"], 10, (-1, 5), -1, now)
        rural = await broadcast.choose(session, draft.id, 10, Domain.RURAL.value)
        everyone = await broadcast.choose(session, draft.id, 10, "below")
        with pytest.raises(InvalidInput):
            await broadcast.choose(session, draft.id, 10, Domain.SOE.value)
        assert await broadcast.confirm(session, draft.id, 10, now) == 2
        with pytest.raises(InvalidInput):
            await broadcast.confirm(session, draft.id, 10, now)
        rows = await DeliveryRepo(session).with_prefix(broadcast.key_prefix(draft.id))
    assert [c.telegram_id for c in rural.chats] == [-2]
    assert [c.telegram_id for c in everyone.chats] == [-2, -3]  # not the source, not 河西
    assert [(r.chat_id, r.status) for r in rows] == [
        (-2, DeliveryStatus.PENDING),
        (-3, DeliveryStatus.PENDING),
    ]
    async with sessions.begin() as session:
        repo = BroadcastRepo(session)
        every = broadcast.PROGRESS_EVERY
        assert await repo.claim_progress(draft.id, now, every, "1/2")
        assert not await repo.claim_progress(draft.id, now + timedelta(seconds=4), every, "2/2")
        assert not await repo.claim_progress(draft.id, now + every, every, "1/2")  # unchanged
        assert await repo.claim_progress(draft.id, now + every, every, "2/2")
        assert await repo.finish(draft.id, now + every, "done")
        assert not await repo.finish(draft.id, now + every, "done")
    assert broadcast.failure_reason("Forbidden: bot was kicked from the group chat") == (
        "机器人已被移出该群"
    )
    assert broadcast.failure_reason("Bad Request: chat not found") == "群不存在"


@pytest.mark.parametrize("word", ["²", "2147483648", "99999999999999999999999", "-1"])
def test_a_topic_number_is_up_to_nine_decimal_digits(word: str) -> None:
    """Regression (issue 9, the command fuzzer): `/study delete ²` and `/study_stats ²` raised
    ValueError in int(), and a huge 编号 overflowed the database's integer."""
    with pytest.raises(InvalidInput, match="编号应当是数字"):
        study_number(word)
    assert study_number("٣") == 3  # any script's decimal digits


async def county_of(sessions: Sessions, now: datetime, branches: int) -> tuple[int, int]:
    """A county committee with `branches` branches, one member each, and a topic sent to all."""
    async with sessions.begin() as session:
        orgs, chats = OrganisationRepo(session), ChatRepo(session)
        users, members = UserRepo(session), MemberRepo(session)
        county = await orgs.create(
            name="县委", kind=OrgKind.COMMITTEE, domain=Domain.ORGAN, now=now
        )
        for n in range(1, branches + 1):
            org = await orgs.create(
                name=f"第{n:03}党支部（某镇某村）",
                kind=OrgKind.BRANCH,
                domain=Domain.RURAL,
                now=now,
                parent_id=county.id,
            )
            await chats.upsert(-n, title=f"第{n}支部群", type_="group", now=now)
            await chats.bind(-n, org.id, now)
            await users.upsert(n, username=None, display_name=f"u{n}", now=now)
            await members.join(org.id, n, now)
    topic_id = await import_one(sessions, county.id, now, "2026-12-04 09:00", "下级组织")
    async with sessions.begin() as session:
        await study.publish(session, topic_id, 1, datetime(2026, 12, 4, 1, 0, tzinfo=UTC), TZ)
    return county.id, topic_id


async def test_study_stats_for_300_branches_take_few_queries_and_fit_one_message(
    sessions: Sessions, clock: FakeClock
) -> None:
    """Issue 9: two queries per branch before; now the same few for 300 branches as for 3.
    And the stats of 300 branches fit one message. One test for both: building and
    publishing to the 300-branch county is most of its time (~10 s a backend)."""
    county_id, topic_id = await county_of(sessions, clock.now(), 300)
    engine = sessions.kw["bind"].sync_engine
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        async with sessions.begin() as session:
            stats = await topic_stats(session, county_id, topic_id)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(stats.below) == 300
    assert len(statements) <= 8, statements

    context = SimpleNamespace(settings=SimpleNamespace(timezone=TZ))
    text = render_stats(stats, context)  # type: ignore[arg-type]
    assert len(text.encode("utf-16-le")) // 2 <= 4096
    lines = text.splitlines()
    shown = [line for line in lines if line.startswith("· ")]
    assert 100 < len(shown) < 300
    assert lines[-1] == f"……还有{300 - len(shown)}个组织"
    assert all(line.endswith("人（0%）") for line in shown)  # whole lines only
