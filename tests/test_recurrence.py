"""Recurrence rules: the grammar, storage round trip, and the dates CronTrigger gives."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.recurrence import (
    LAST,
    Frequency,
    RecurrenceParseError,
    RecurrenceRule,
    is_recurrence,
    next_occurrences,
    parse_recurrence,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)  # a Thursday
W, M, Q, Y = Frequency.WEEKLY, Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.YEARLY
FRI, MON, WED, THU = 4, 0, 2, 3


PARSED: list[tuple[str, RecurrenceRule, str]] = [
    # typed, rule, canonical text (to_text)
    ("每月第一个周五 15:00", RecurrenceRule(M, 15, 0, weekday=FRI, nth=1), "每月第一个周五 15:00"),
    (
        "每月最后一个周五 09:00",
        RecurrenceRule(M, 9, 0, weekday=FRI, nth=LAST),
        "每月最后一个周五 09:00",
    ),
    ("每月5日 09:00", RecurrenceRule(M, 9, 0, day=5), "每月5日 09:00"),
    ("每月5号9点", RecurrenceRule(M, 9, 0, day=5), "每月5日 09:00"),
    ("每月最后一天 17:00", RecurrenceRule(M, 17, 0, day=LAST), "每月最后一天 17:00"),
    ("每周三 14:00", RecurrenceRule(W, 14, 0, weekday=WED), "每周三 14:00"),
    ("每星期五下午3点半", RecurrenceRule(W, 15, 30, weekday=FRI), "每周五 15:30"),
    ("每周日上午9点", RecurrenceRule(W, 9, 0, weekday=6), "每周日 09:00"),
    (
        "每月第二个周四下午3点",
        RecurrenceRule(M, 15, 0, weekday=THU, nth=2),
        "每月第二个周四 15:00",
    ),
    (
        "每个月的第一个星期五下午三点",
        RecurrenceRule(M, 15, 0, weekday=FRI, nth=1),
        "每月第一个周五 15:00",
    ),
    ("每月第5个周五 15:00", RecurrenceRule(M, 15, 0, weekday=FRI, nth=5), "每月第五个周五 15:00"),
    (
        "每季度第一个月10日 15:00",
        RecurrenceRule(Q, 15, 0, day=10, month=1),
        "每季度第一个月10日 15:00",
    ),
    (
        "每季度首月第一个周一 9:00",
        RecurrenceRule(Q, 9, 0, weekday=MON, nth=1, month=1),
        "每季度第一个月第一个周一 09:00",
    ),
    (
        "每季度末月最后一个周五 15:00",
        RecurrenceRule(Q, 15, 0, weekday=FRI, nth=LAST, month=3),
        "每季度第三个月最后一个周五 15:00",
    ),
    ("每年12月15日 9:00", RecurrenceRule(Y, 9, 0, day=15, month=12), "每年12月15日 09:00"),
    ("每月１５日　１４：３０", RecurrenceRule(M, 14, 30, day=15), "每月15日 14:30"),
]

REJECTED: list[tuple[str, str]] = [
    ("每月32日 9:00", "没有这个日期：32日"),
    ("每月0日 9:00", "没有这个日期：0日"),
    ("每月第六个周五 15:00", "一个月最多有五个周五"),
    ("每月第一个周八 15:00", "没看懂是哪一天"),
    ("每月第一个周五", "缺少具体时间"),
    ("每月第一个周五 3点", "请写明上午还是下午"),
    ("每月第一个周五 25:00", "没有这个时间"),
    ("每季度10日 15:00", "请写明是季度的第几个月"),
    ("每年2月30日 9:00", "没有这个日期：2月30日"),
    ("每年2月29日 9:00", "不是每年都有"),
    ("每年13月1日 9:00", "没有这个月份"),
    ("每天 9:00", "没看懂这个周期"),
    ("明天下午3点", "没看懂这个周期"),
    ("每月第一个周五 15:00 开会", "没看懂这个时间"),
]


@pytest.mark.parametrize(("text", "rule", "canonical"), PARSED)
def test_parse(text: str, rule: RecurrenceRule, canonical: str) -> None:
    assert parse_recurrence(text) == rule
    assert rule.to_text() == canonical


@pytest.mark.parametrize(("text", "rule", "canonical"), PARSED)
def test_text_round_trip(text: str, rule: RecurrenceRule, canonical: str) -> None:
    assert RecurrenceRule.from_text(rule.to_text()) == rule


@pytest.mark.parametrize(("text", "message"), REJECTED)
def test_rejected(text: str, message: str) -> None:
    with pytest.raises(RecurrenceParseError, match=message):
        parse_recurrence(text)


def test_error_is_a_value_error() -> None:
    assert issubclass(RecurrenceParseError, ValueError)


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("每月第一个周五 15:00", "每月第一个周五 15:00"),
        ("每季度第一个月10日 15:00", "每季度第一个月（1、4、7、10月）10日 15:00"),
        ("每月第五个周五 15:00", "每月第五个周五 15:00（没有第五个周五的月份跳过）"),
        ("每月31日 9:00", "每月31日 09:00（没有31日的月份跳过）"),
        ("每季度第一个月1日 9:00", "每季度第一个月（1、4、7、10月）1日 09:00"),
        (
            "每季度第一个月31日 9:00",
            "每季度第一个月（1、4、7、10月）31日 09:00（没有31日的月份跳过）",
        ),
        (
            "每季度第三个月31日 9:00",
            "每季度第三个月（3、6、9、12月）31日 09:00（没有31日的月份跳过）",
        ),
        ("每年12月31日 9:00", "每年12月31日 09:00"),
    ],
)
def test_describe(text: str, description: str) -> None:
    assert parse_recurrence(text).describe() == description


@pytest.mark.parametrize(
    "fields",
    [
        {"freq": W, "weekday": 0, "nth": 1},
        {"freq": M},
        {"freq": M, "day": 5, "weekday": 0},
        {"freq": M, "day": 5, "month": 1},
        {"freq": Q, "day": 5},
        {"freq": Q, "day": 5, "month": 4},
        {"freq": M, "weekday": 7, "nth": 1},
    ],
)
def test_inconsistent_rules_cannot_be_built(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - any inconsistency
        RecurrenceRule(hour=9, minute=0, **fields)  # type: ignore[arg-type]


def test_is_recurrence() -> None:
    assert is_recurrence("每月第一个周五 15:00")
    assert is_recurrence("  每周三 14:00")
    assert not is_recurrence("明天下午3点")
    assert not is_recurrence("周五下午3点")


def shanghai(*args: int) -> datetime:
    """A Shanghai datetime."""
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Across the year boundary.
        (
            "每月第一个周五 15:00",
            [shanghai(2026, 12, 4, 15), shanghai(2027, 1, 1, 15), shanghai(2027, 2, 5, 15)],
        ),
        # January 2027 has five Fridays: the last one is the fifth.
        (
            "每月最后一个周五 09:00",
            [shanghai(2026, 11, 27, 9), shanghai(2026, 12, 25, 9), shanghai(2027, 1, 29, 9)],
        ),
        # Only months with five Fridays: Jan, Apr, Jul 2027.
        (
            "每月第五个周五 15:00",
            [shanghai(2027, 1, 29, 15), shanghai(2027, 4, 30, 15), shanghai(2027, 7, 30, 15)],
        ),
        (
            "每季度第一个月10日 15:00",
            [shanghai(2027, 1, 10, 15), shanghai(2027, 4, 10, 15), shanghai(2027, 7, 10, 15)],
        ),
        (
            "每季度首月第一个周一 9:00",
            [shanghai(2027, 1, 4, 9), shanghai(2027, 4, 5, 9), shanghai(2027, 7, 5, 9)],
        ),
        (
            "每月31日 9:00",
            [shanghai(2026, 12, 31, 9), shanghai(2027, 1, 31, 9), shanghai(2027, 3, 31, 9)],
        ),
        (
            "每月最后一天 17:00",
            [shanghai(2026, 11, 30, 17), shanghai(2026, 12, 31, 17), shanghai(2027, 1, 31, 17)],
        ),
        (
            "每周四 14:00",  # today, still ahead
            [shanghai(2026, 11, 26, 14), shanghai(2026, 12, 3, 14), shanghai(2026, 12, 10, 14)],
        ),
        ("每年11月26日 10:00", [shanghai(2027, 11, 26, 10)]),  # exactly now is not "after"
    ],
)
def test_next_occurrences(text: str, expected: list[datetime]) -> None:
    found = next_occurrences(parse_recurrence(text), NOW, len(expected), SHANGHAI)
    assert found == expected
    assert all(moment.tzinfo == SHANGHAI for moment in found)


def test_next_occurrences_is_strictly_after() -> None:
    rule = parse_recurrence("每周三 14:00")
    first = next_occurrences(rule, NOW, 1, SHANGHAI)[0]
    assert next_occurrences(rule, first, 1, SHANGHAI) == [first + timedelta(weeks=1)]


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> date | None:
    """The nth (or LAST) such weekday of a month, counted by hand with the calendar module."""
    days = [week[weekday] for week in calendar.monthcalendar(year, month) if week[weekday]]
    if nth == LAST:
        return date(year, month, days[-1])
    return date(year, month, days[nth - 1]) if nth <= len(days) else None


@pytest.mark.parametrize("nth", [1, 2, 3, 4, 5, LAST])
@pytest.mark.parametrize("weekday", range(7))
def test_nth_weekday_agrees_with_the_calendar(nth: int, weekday: int) -> None:
    rule = RecurrenceRule(M, 15, 0, weekday=weekday, nth=nth)
    months = [(2026 + (11 + i) // 12, (11 + i) % 12 + 1) for i in range(25)]  # Dec 2026 on
    expected = [d for y, m in months if (d := nth_weekday(y, m, nth, weekday)) is not None]
    after = datetime(2026, 11, 30, 23, 0, tzinfo=SHANGHAI)
    found = next_occurrences(rule, after, len(expected), SHANGHAI)
    assert [moment.date() for moment in found] == expected


def test_wall_time_is_kept_across_daylight_saving_time() -> None:
    new_york = ZoneInfo("America/New_York")
    rule = parse_recurrence("每月第一个周一 9:00")
    after = datetime(2027, 2, 1, 12, 0, tzinfo=new_york)
    found = next_occurrences(rule, after, 2, new_york)
    assert [(m.month, m.day, m.hour) for m in found] == [(3, 1, 9), (4, 5, 9)]
    assert [m.utcoffset() for m in found] == [timedelta(hours=-5), timedelta(hours=-4)]


def test_after_in_another_zone() -> None:
    rule = parse_recurrence("每周五 09:00")
    # Thursday 23:30 UTC is already Friday 07:30 in Shanghai.
    after = datetime(2026, 11, 26, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert next_occurrences(rule, after, 1, SHANGHAI) == [shanghai(2026, 11, 27, 9)]


def test_naive_after_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_occurrences(parse_recurrence("每周五 09:00"), NOW.replace(tzinfo=None), 1, SHANGHAI)
