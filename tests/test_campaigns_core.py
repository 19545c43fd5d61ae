"""bot/core/campaigns.py and bot/core/stars.py: arguments, points, boards and star ratings,
table-tested without Telegram or a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.core.campaigns import (
    DEFAULT_RULES,
    Counts,
    Fact,
    Rules,
    parse_add,
    parse_award,
    parse_points,
    parse_rule,
    points,
    summary_at,
    weeks,
    window,
)
from bot.core.errors import InvalidInput
from bot.core.leaderboard import member_board, org_board, rank, subtree
from bot.core.stars import (
    Dimension,
    Record,
    award_stars,
    draft,
    months_between,
    ordered,
    parse_edit,
    parse_stars,
    share_stars,
)

TODAY = date(2026, 11, 26)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "name", "start", "days", "subtree_"),
    [
        ("百日学习竞赛 2026-12-01 100天", "百日学习竞赛", date(2026, 12, 1), 100, False),
        ("竞赛 2026/12/1 30 下级组织", "竞赛", date(2026, 12, 1), 30, True),
        ("竞赛 2026年11月26日 2周", "竞赛", TODAY, 14, False),
        ("竞赛 2027-11-26 366日 含下级组织", "竞赛", date(2027, 11, 26), 366, True),
    ],
)
def test_campaign_arguments_are_read(
    text: str, name: str, start: date, days: int, subtree_: bool
) -> None:
    spec = parse_add(text, TODAY)
    assert (spec.name, spec.start, spec.days, spec.subtree) == (name, start, days, subtree_)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "campaign_add_usage"),
        ("竞赛 2026-12-01", "campaign_add_usage"),
        ("竞赛 2026-12-01 30天 多余", "campaign_add_usage"),
        ("竞赛 2026-11-25 30天", "campaign_past_date"),
        ("竞赛 2027-11-28 30天", "campaign_far_date"),
        ("竞赛 2026-02-30 30天", "campaign_bad_date"),
        ("竞赛 明天 30天", "campaign_bad_date"),
        ("竞赛 2026-12-01 0天", "campaign_bad_days"),
        ("竞赛 2026-12-01 367天", "campaign_bad_days"),
        ("竞赛 2026-12-01 53周", "campaign_bad_days"),
        ("竞赛 2026-12-01 一百天", "campaign_bad_days"),
        ("竞赛 2026-12-01 -5天", "campaign_bad_days"),
        ("长" * 31 + " 2026-12-01 30天", "campaign_bad_name"),
    ],
)
def test_bad_campaign_arguments_are_refused(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_add(text, TODAY)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("竞赛 签到 2", ("竞赛", Fact.CHECKIN, 2)),
        ("竞赛 已学习 0", ("竞赛", Fact.STUDY, 0)),
        ("竞赛 答题 100", ("竞赛", Fact.QUIZ, 100)),
        ("竞赛 设岗定责 5", ("竞赛", Fact.DUTY, 5)),
    ],
)
def test_rules_are_read(text: str, expected: tuple[str, Fact, int]) -> None:
    assert parse_rule(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("竞赛 签到", "campaign_rule_usage"),
        ("竞赛 唱歌 2", "campaign_rule_usage"),
        ("竞赛 签到 两", "campaign_bad_points"),
        ("竞赛 签到 101", "campaign_bad_points"),
        ("竞赛 签到 -1", "campaign_bad_points"),
        ("竞赛 签到 ²", "campaign_bad_points"),
        ("竞赛 签到 １", "campaign_bad_points"),
    ],
)
def test_bad_rules_are_refused(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_rule(text)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 主动调解纠纷", (5, "主动调解纠纷")),
        ("100  帮助   困难群众 ", (100, "帮助 困难群众")),
        ("1 " + "好" * 100, (1, "好" * 100)),
    ],
)
def test_awards_are_read(text: str, expected: tuple[int, str]) -> None:
    assert parse_award(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "award_usage"),
        ("5", "award_no_reason"),
        ("0 理由", "campaign_bad_points"),
        ("五 理由", "campaign_bad_points"),
        ("101 理由", "campaign_bad_points"),
        ("99999999999999999999 理由", "campaign_bad_points"),
        ("5 " + "好" * 101, "award_long_reason"),
        ("5 理由\x07", "award_long_reason"),
    ],
)
def test_bad_awards_are_refused(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_award(text)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("rules", "counts", "expected"),
    [
        (DEFAULT_RULES, Counts(), 0),
        (DEFAULT_RULES, Counts(checkins=1, studies=1, quiz=1, duties=1), 3 + 2 + 1 + 2),
        (Rules(checkin=4), Counts(checkins=2, awards=5), 8 + 5),
        (Rules(0, 0, 0, 0), Counts(3, 3, 3, 3, awards=7), 7),
        (DEFAULT_RULES.with_points(Fact.QUIZ, 10), Counts(quiz=3), 30),
    ],
)
def test_points_are_the_facts_weighted_plus_awards(
    rules: Rules, counts: Counts, expected: int
) -> None:
    assert points(rules, counts) == expected


def test_ranking_shares_places_and_orders_equal_points_by_name() -> None:
    ranked = rank([(1, "乙", 5.0, 1), (2, "甲", 7.0, 1), (3, "丙", 5.0, 1), (4, "丁", 0.0, 1)])
    assert [(r.place, r.name) for r in ranked] == [(1, "甲"), (2, "丙"), (2, "乙"), (4, "丁")]


def test_boards_of_members_and_of_organisations() -> None:
    roster = [((10, 1), "张三"), ((10, 2), "李四"), ((11, 3), "孙七"), ((12, 4), "周八")]
    totals = {(10, 1): 7, (11, 3): 10, (12, 4): 2, (99, 5): 50}
    members = member_board(roster[:2], totals)
    assert [(r.name, r.points) for r in members] == [("张三", 7.0), ("李四", 0.0)]
    # 12 is below 11: 11's average counts both (12 / 2); 10 has 7 / 2.
    parents: dict[int, int | None] = {1: None, 10: 1, 11: 1, 12: 11}
    orgs = org_board([(10, "一支部"), (11, "二支部")], parents, [k for k, _ in roster], totals)
    assert [(r.name, r.points, r.members) for r in orgs] == [
        ("二支部", 6.0, 2),
        ("一支部", 3.5, 2),
    ]
    assert subtree(1, parents) == {1, 10, 11, 12}


def test_window_weekly_posts_and_summary() -> None:
    start, end = window(date(2026, 12, 1), 100, SHANGHAI)
    assert start == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert end - start == timedelta(days=100)
    posts = weeks(start, end)
    assert len(posts) == 14
    assert posts[0] == datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI)
    assert all(b - a == timedelta(days=7) for a, b in pairwise(posts))
    assert summary_at(end) == datetime(2027, 3, 11, 9, 0, tzinfo=SHANGHAI)
    assert weeks(*window(date(2026, 12, 1), 7, SHANGHAI)) == []


@pytest.mark.parametrize(
    ("done", "asked", "stars"),
    [(0, 0, 3), (9, 10, 5), (8, 10, 4), (6, 10, 3), (4, 10, 2), (3, 10, 1), (5, 3, 5)],
)
def test_share_stars(done: int, asked: int, stars: int) -> None:
    assert share_stars(done, asked) == stars


@pytest.mark.parametrize(("points_", "stars"), [(0, 3), (1, 4), (9, 4), (10, 5), (99, 5)])
def test_award_stars(points_: int, stars: int) -> None:
    assert award_stars(points_) == stars


def test_draft_edits_and_overall() -> None:
    record = Record(1, "张三", studied=2, topics=2, attended=1, meetings=4, duties=0, months=3)
    rating = draft(record)
    assert [rating.of(d) for d in Dimension] == [5, 1, 1, 3, 3]
    assert rating.overall == 3  # 13 / 5 = 2.6
    edited = draft(record, {Dimension.EXAMPLE: 5, Dimension.DUTY: 4})
    assert edited.overall == 4  # 18 / 5 = 3.6
    best = ordered([rating, edited, draft(Record(2, "李四"))])
    assert [r.overall for r in best] == [4, 3, 3]


@pytest.mark.parametrize(
    ("text", "value"), [("5", 5), ("1", 1), ("★★★", 3), ("0", None), ("6", None), ("５", None)]
)
def test_stars_are_read(text: str, value: int | None) -> None:
    if value is None:
        with pytest.raises(InvalidInput):
            parse_stars(text)
    else:
        assert parse_stars(text) == value


def test_edits_are_read_with_or_without_a_name() -> None:
    assert parse_edit(["张三", "表率", "5"]) == ("张三", Dimension.EXAMPLE, 5)
    assert parse_edit(["签到", "4"]) == ("", Dimension.MEETINGS, 4)
    with pytest.raises(InvalidInput):
        parse_edit(["张三", "颜值", "5"])


def test_months_between() -> None:
    assert months_between((2026, 12), (2026, 12)) == 1
    assert months_between((2026, 12), (2027, 3)) == 4
    assert parse_points("7", lowest=0) == 7
