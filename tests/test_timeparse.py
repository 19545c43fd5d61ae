"""parse_meeting_time: what secretaries type, read against two fixed clocks.

The tables are also the corpus of bench/timeparse.py, which scores other libraries on them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.timeparse import (
    ACCEPTED_FORMS_HELP,
    TimeErrorKind,
    TimeParseError,
    parse_clock,
    parse_meeting_time,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Thursday morning, and a Wednesday evening two days before the year ends.
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
YEAR_END = datetime(2026, 12, 30, 20, 0, tzinfo=SHANGHAI)

E = TimeErrorKind


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    """A Shanghai datetime, to keep the tables short."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


VALID_AT_NOW: list[tuple[str, datetime]] = [
    # Absolute dates, every separator.
    ("2026-12-05 15:00", at(12, 5, 15)),
    ("2026/12/5 15:00", at(12, 5, 15)),
    ("2026.12.5 15:00", at(12, 5, 15)),
    ("2026年12月5日15:00", at(12, 5, 15)),
    ("2027-01-05 09:00", at(1, 5, 9, year=2027)),
    ("二〇二六年十二月五日下午三点", at(12, 5, 15)),
    ("12月5日15:00", at(12, 5, 15)),
    ("12月5日 15:00", at(12, 5, 15)),
    ("12月5号下午3点", at(12, 5, 15)),
    ("12月5日下午3点", at(12, 5, 15)),
    ("12月5日下午3点整", at(12, 5, 15)),
    ("12/5 15:00", at(12, 5, 15)),
    ("十二月五日下午三点", at(12, 5, 15)),
    ("１２月５日　１５：００", at(12, 5, 15)),
    ("12月5日15时30分", at(12, 5, 15, 30)),
    ("12月5日（周六）15:00", at(12, 5, 15)),
    ("12月5日星期六 下午3点", at(12, 5, 15)),
    ("12月5日15:00。", at(12, 5, 15)),
    # A month-day without a year: the nearest one, here next year.
    ("1月5日上午9点", at(1, 5, 9, year=2027)),
    ("3月1日 15:00", at(3, 1, 15, year=2027)),
    # Relative days.
    ("明天下午3点", at(11, 27, 15)),
    ("明天 下午 3 点", at(11, 27, 15)),
    ("后天上午9:30", at(11, 28, 9, 30)),
    ("后天上午9：30", at(11, 28, 9, 30)),
    ("大后天上午9点", at(11, 29, 9)),
    ("今天晚上8点", at(11, 26, 20)),
    ("今晚8点", at(11, 26, 20)),
    ("明早8点半", at(11, 27, 8, 30)),
    ("明晚七点", at(11, 27, 19)),
    ("明天凌晨2点", at(11, 27, 2)),
    ("明天03:00", at(11, 27, 3)),
    ("明天下午两点", at(11, 27, 14)),
    ("明天下午3:05", at(11, 27, 15, 5)),
    ("明天下午三点零五", at(11, 27, 15, 5)),
    ("明天下午3点05分", at(11, 27, 15, 5)),
    ("明天下午3点钟", at(11, 27, 15)),
    ("明天下午十五点", at(11, 27, 15)),
    ("明天傍晚6点", at(11, 27, 18)),
    # Weekdays: bare = the next one (today included), 本/这 = this week, 下 = next week.
    ("下周三 14:00", at(12, 2, 14)),
    ("下个周一 9:00", at(11, 30, 9)),
    ("下周日 9:00", at(12, 6, 9)),
    ("下下周一上午9点", at(12, 7, 9)),
    ("本周五晚上7点半", at(11, 27, 19, 30)),
    ("这周日上午9点", at(11, 29, 9)),
    ("周五下午三点半", at(11, 27, 15, 30)),
    ("星期五下午3点一刻", at(11, 27, 15, 15)),
    ("礼拜五下午3点三刻", at(11, 27, 15, 45)),
    ("周天下午3点", at(11, 29, 15)),
    ("周四下午3点", at(11, 26, 15)),
    ("周三下午3点", at(12, 2, 15)),
    # Time only: today.
    ("下午3点", at(11, 26, 15)),
    ("15:00", at(11, 26, 15)),
    ("十五点", at(11, 26, 15)),
    ("11点", at(11, 26, 11)),
    ("明天7点", at(11, 27, 7)),  # 7-11 without a period are morning
    ("12点", at(11, 26, 12)),
    ("中午12点半", at(11, 26, 12, 30)),
    ("中午1点", at(11, 26, 13)),
]

INVALID_AT_NOW: list[tuple[str, TimeErrorKind]] = [
    ("", E.UNRECOGNISED),
    ("开会", E.UNRECOGNISED),
    ("下个月", E.UNRECOGNISED),
    ("明天下午3点开会", E.UNRECOGNISED),
    ("2月30日 15:00", E.INVALID),
    ("2026-02-30 15:00", E.INVALID),
    ("13月5日 15:00", E.INVALID),
    ("12月32日 15:00", E.INVALID),
    ("明天25点", E.INVALID),
    ("2026-12-05 25:00", E.INVALID),
    ("明天15:60", E.INVALID),
    ("明天下午3点70分", E.INVALID),
    ("明天凌晨9点", E.INVALID),
    ("明天上午15点", E.INVALID),
    ("12月5日（周五）15:00", E.INVALID),
    ("0001-01-01 00:00", E.INVALID),  # before year 1 in UTC: crashed (OverflowError)
    ("3点", E.AMBIGUOUS),
    ("3点半", E.AMBIGUOUS),
    ("明天3:30", E.AMBIGUOUS),
    ("明天两点", E.AMBIGUOUS),
    ("明天6点", E.AMBIGUOUS),
    ("12月5日", E.MISSING_TIME),
    ("明天", E.MISSING_TIME),
    ("下周三下午", E.MISSING_TIME),
    ("今天上午9点", E.PAST),
    ("今天上午10点", E.PAST),  # exactly now
    ("上午9点", E.PAST),
    ("9点", E.PAST),  # 7-11 without a period are morning
    ("周四上午9点", E.PAST),
    ("本周三下午3点", E.PAST),
    ("11月20日 15:00", E.PAST),
    ("2025-12-05 15:00", E.PAST),
]

VALID_AT_YEAR_END: list[tuple[str, datetime]] = [
    ("明天下午3点", at(12, 31, 15)),
    ("后天上午9点", at(1, 1, 9, year=2027)),
    ("1月2日上午9点", at(1, 2, 9, year=2027)),
    ("6月1日 15:00", at(6, 1, 15, year=2027)),
    ("12月31日 15:00", at(12, 31, 15)),
    ("周五下午3点", at(1, 1, 15, year=2027)),
    ("本周日上午9点", at(1, 3, 9, year=2027)),
    ("下周一 9:00", at(1, 4, 9, year=2027)),
    ("今晚9点", at(12, 30, 21)),
]

INVALID_AT_YEAR_END: list[tuple[str, TimeErrorKind]] = [
    ("12月29日 15:00", E.PAST),
    ("今天下午3点", E.PAST),
    ("2月29日 15:00", E.INVALID),  # 2027 is no leap year
]


@pytest.mark.parametrize(("text", "expected"), VALID_AT_NOW)
def test_valid_at_now(text: str, expected: datetime) -> None:
    result = parse_meeting_time(text, NOW, SHANGHAI)
    assert result == expected
    assert result.tzinfo == SHANGHAI


@pytest.mark.parametrize(("text", "kind"), INVALID_AT_NOW)
def test_invalid_at_now(text: str, kind: TimeErrorKind) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_meeting_time(text, NOW, SHANGHAI)
    assert caught.value.kind == kind
    assert re.search("[\u4e00-\u9fff]", str(caught.value))  # a Chinese reply


@pytest.mark.parametrize(("text", "expected"), VALID_AT_YEAR_END)
def test_valid_at_year_end(text: str, expected: datetime) -> None:
    assert parse_meeting_time(text, YEAR_END, SHANGHAI) == expected


@pytest.mark.parametrize(("text", "kind"), INVALID_AT_YEAR_END)
def test_invalid_at_year_end(text: str, kind: TimeErrorKind) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_meeting_time(text, YEAR_END, SHANGHAI)
    assert caught.value.kind == kind


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2月30日 15:00", "没有这个日期：2月30日"),
        ("明天25点", "没有这个时间：25点"),
        ("3点", "请写明上午还是下午，如“下午3点”或“15:00”"),
        ("12月5日", "缺少具体时间，请写成“12月5日15:00”"),
        ("今天上午9点", "时间已经过去了：11月26日 09:00"),
        ("12月5日（周五）15:00", "12月5日是周六，不是周五"),
    ],
)
def test_messages_tell_the_user_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(TimeParseError, match=f"^{re.escape(message)}$"):
        parse_meeting_time(text, NOW, SHANGHAI)


def test_error_is_a_value_error() -> None:
    assert issubclass(TimeParseError, ValueError)


def test_now_in_another_zone_is_read_in_the_configured_zone() -> None:
    # 17:00 UTC on the 26th is already 01:00 on the 27th in Shanghai.
    now = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
    assert parse_meeting_time("明天下午3点", now, SHANGHAI) == at(11, 28, 15)
    assert parse_meeting_time("今天下午3点", now, SHANGHAI) == at(11, 27, 15)


def test_other_zone_results_are_in_that_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    now = datetime(2027, 3, 27, 12, 0, tzinfo=berlin)
    result = parse_meeting_time("明天下午3点", now, berlin)
    assert result == datetime(2027, 3, 28, 15, 0, tzinfo=berlin)
    assert result.utcoffset() == timedelta(hours=2)  # summer time began that night


def test_wall_time_skipped_by_dst_is_rejected() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    now = datetime(2027, 3, 27, 12, 0, tzinfo=berlin)
    with pytest.raises(TimeParseError) as caught:
        parse_meeting_time("明天凌晨2点半", now, berlin)
    assert caught.value.kind == E.INVALID


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware") as caught:
        parse_meeting_time("明天下午3点", NOW.replace(tzinfo=None), SHANGHAI)
    assert not isinstance(caught.value, TimeParseError)


def test_every_example_in_the_help_is_accepted() -> None:
    examples = [
        example
        for line in ACCEPTED_FORMS_HELP.splitlines()
        if line.startswith("· ")
        for example in line.removeprefix("· ").split("、")
    ]
    assert len(examples) >= 8
    for example in examples:
        parse_meeting_time(example, NOW, SHANGHAI)


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [("15:00", 15, 0), ("下午3点半", 15, 30), ("9点", 9, 0), ("晚上七点一刻", 19, 15)],
)
def test_parse_clock(text: str, hour: int, minute: int) -> None:
    clock = parse_clock(text)
    assert (clock.hour, clock.minute) == (hour, minute)


@pytest.mark.parametrize("text", ["3点", "明天下午3点", "下午"])
def test_parse_clock_rejects(text: str) -> None:
    with pytest.raises(TimeParseError):
        parse_clock(text)


def test_far_and_past_years_are_named() -> None:
    """Regression: year 9999 was accepted, and a past date of last year was shown without it."""
    with pytest.raises(TimeParseError, match="时间太远了：9999年12月5日 15:00"):
        parse_meeting_time("9999-12-05 15:00", NOW, SHANGHAI)
    with pytest.raises(TimeParseError, match="时间已经过去了：2025年12月5日 15:00"):
        parse_meeting_time("2025-12-05 15:00", NOW, SHANGHAI)


def test_the_ends_of_the_calendar_are_refused_not_crashed() -> None:
    """Regression (issue 9, found by Hypothesis): in UTC these fall outside years 1-9999, and
    the summer-time check raised OverflowError."""
    with pytest.raises(TimeParseError, match="没有这个日期：1年"):
        parse_meeting_time("0001-01-01 00:00", NOW, SHANGHAI)
    with pytest.raises(TimeParseError, match="没有这个日期：9999年"):
        parse_meeting_time("9999-12-31 23:59", NOW, ZoneInfo("Pacific/Pago_Pago"))
