"""The ledger's rules for floating members (bot/core/ledger.py, ledger_floating.py), on a
snapshot built by hand: 异地参加 and 外出, never 缺席; study elsewhere counts at home."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.core.domain import MemberStatus, OrgKind, Role
from bot.core.floating import Activity, Stay
from bot.core.ledger import build_ledger, org_statuses
from bot.core.ledger_member import member_history
from bot.core.ledger_snapshot import (
    AnswerInfo,
    MeetingInfo,
    Membership,
    OrgInfo,
    Snapshot,
    TopicInfo,
)
from bot.core.meetings import MeetingType, Rsvp
from bot.core.periods import parse_period

TZ = ZoneInfo("Asia/Shanghai")
HOME, ELSEWHERE = 1, 2
SECRETARY, AWAY_AND_ACTIVE, AWAY_ONLY, STAYED = 10, 11, 12, 13
JOINED = datetime(2026, 1, 1, tzinfo=UTC)


def member(user_id: int, role: Role = Role.MEMBER) -> Membership:
    return Membership(HOME, user_id, role, MemberStatus.FULL, JOINED, None)


def snapshot() -> Snapshot:
    meeting = MeetingInfo(
        1,
        HOME,
        MeetingType.ASSEMBLY,
        datetime(2026, 12, 5, 7, tzinfo=UTC),
        "三楼",
        "总结",
        SECRETARY,
    )
    recorded = datetime(2026, 11, 1, tzinfo=UTC)
    stays = [
        Stay(1, HOME, AWAY_AND_ACTIVE, "东莞", ELSEWHERE, date(2026, 11, 1), "", recorded, None),
        Stay(2, HOME, AWAY_ONLY, "杭州", None, date(2026, 11, 1), "", recorded, None),
    ]
    done = [
        Activity(
            AWAY_AND_ACTIVE,
            ELSEWHERE,
            "流动党员党支部",
            datetime(2026, 12, 3, tzinfo=UTC),
            "党课",
            True,
        ),
        Activity(
            AWAY_AND_ACTIVE,
            ELSEWHERE,
            "流动党员党支部",
            datetime(2026, 12, 4, tzinfo=UTC),
            "学习党章",
            False,
        ),
    ]
    topic = TopicInfo(
        5,
        HOME,
        "学习条例",
        datetime(2026, 12, 2, tzinfo=UTC),
        datetime(2026, 12, 9, tzinfo=UTC),
        0,
        (HOME,),
    )
    return Snapshot(
        root_id=HOME,
        period=parse_period("2026年12月", date(2026, 12, 31)),
        tz=TZ,
        now=datetime(2026, 12, 31, tzinfo=UTC),
        orgs=[OrgInfo(HOME, "第一党支部", OrgKind.BRANCH, None)],
        members=[
            member(SECRETARY, Role.SECRETARY),
            member(AWAY_AND_ACTIVE),
            member(AWAY_ONLY),
            member(STAYED),
        ],
        names={SECRETARY: "书记", AWAY_AND_ACTIVE: "张三", AWAY_ONLY: "王五", STAYED: "李四"},
        meetings=[meeting],
        answers=[AnswerInfo(1, SECRETARY, Rsvp.YES, None, True)],
        topics=[topic],
        studied={},
        quiz_correct={},
        stays=stays,
        away_activity=done,
    )


def test_away_members_are_never_absent() -> None:
    ledger = build_ledger(snapshot())
    (row,) = ledger.meetings
    assert row.absent == ("李四",)
    assert row.rate == 2 / 3  # 书记 and 张三 (异地参加) of the three expected in person
    assert row.away == (("张三", "异地参加：流动党员党支部"), ("王五", "外出：杭州"))
    members = {m.name: m.by_kind[MeetingType.ASSEMBLY] for m in ledger.members}
    assert members == {"书记": (1, 1), "张三": (1, 1), "王五": (0, 0), "李四": (0, 1)}
    (topic,) = ledger.topics
    assert (topic.expected, topic.studied) == (4, 1)  # 张三 studied elsewhere that month
    assert [(r.name, r.what) for r in ledger.floating] == [
        ("张三", "党课 异地参加"),
        ("张三", "学习：学习党章"),
        ("王五", ""),
    ]


def test_the_dashboard_counts_and_a_members_page_agree() -> None:
    (status,) = org_statuses(snapshot())
    assert status.attendance == 2 / 3  # 书记 and 张三 of 书记, 张三, 李四 (王五 away)
    meetings, _ = member_history(snapshot(), AWAY_ONLY)
    assert [(m.state, m.reason) for m in meetings] == [("外出", "杭州")]
