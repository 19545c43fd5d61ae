"""The ledger's periods as secretaries write them (bot/core/periods.py), and the 三会一课
windows they hold (bot/core/requirements.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.core.checkup import PeriodKind
from bot.core.domain import Domain, OrgKind
from bot.core.errors import InvalidInput
from bot.core.meetings import MeetingType
from bot.core.periods import parse_period
from bot.core.requirements import Standing, rules_for, standing, windows

TODAY = date(2026, 11, 26)  # a Thursday in the fourth quarter

VALID = [
    ("", "2026-10-01", "2026-12-31", "2026年第4季度"),
    ("2026年", "2026-01-01", "2026-12-31", "2026年"),
    ("2026", "2026-01-01", "2026-12-31", "2026年"),
    ("２０２５年", "2025-01-01", "2025-12-31", "2025年"),
    ("2026年第4季度", "2026-10-01", "2026-12-31", "2026年第4季度"),
    ("2026年第一季度", "2026-01-01", "2026-03-31", "2026年第1季度"),
    ("2026年3季度", "2026-07-01", "2026-09-30", "2026年第3季度"),
    ("2026Q4", "2026-10-01", "2026-12-31", "2026年第4季度"),
    ("2026q2", "2026-04-01", "2026-06-30", "2026年第2季度"),
    ("2026-Q1", "2026-01-01", "2026-03-31", "2026年第1季度"),
    ("2026 年 Q3", "2026-07-01", "2026-09-30", "2026年第3季度"),
    ("2026年11月", "2026-11-01", "2026-11-30", "2026年11月"),
    ("2024年2月", "2024-02-01", "2024-02-29", "2024年2月"),
    ("2026-02", "2026-02-01", "2026-02-28", "2026年2月"),
    ("2026/12", "2026-12-01", "2026-12-31", "2026年12月"),
    ("本月", "2026-11-01", "2026-11-30", "2026年11月"),
    ("上月", "2026-10-01", "2026-10-31", "2026年10月"),
    ("上个月", "2026-10-01", "2026-10-31", "2026年10月"),
    ("本季度", "2026-10-01", "2026-12-31", "2026年第4季度"),
    ("上季度", "2026-07-01", "2026-09-30", "2026年第3季度"),
    ("今年", "2026-01-01", "2026-12-31", "2026年"),
    ("去年", "2025-01-01", "2025-12-31", "2025年"),
    ("2026-09-01至2026-11-30", "2026-09-01", "2026-11-30", "2026-09-01至2026-11-30"),
    ("2026-09-01到2026-11-30", "2026-09-01", "2026-11-30", "2026-09-01至2026-11-30"),
    ("2026/9/1~2026/11/30", "2026-09-01", "2026-11-30", "2026-09-01至2026-11-30"),
    ("2026年9月1日至2026年11月30日", "2026-09-01", "2026-11-30", "2026-09-01至2026-11-30"),
    ("2026-11-26至2026-11-26", "2026-11-26", "2026-11-26", "2026-11-26至2026-11-26"),
]


@pytest.mark.parametrize(("text", "first", "last", "label"), VALID)
def test_reads(text: str, first: str, last: str, label: str) -> None:
    period = parse_period(text, TODAY)
    assert (period.first.isoformat(), period.last.isoformat(), period.label) == (
        first,
        last,
        label,
    )


def test_last_quarter_in_january_is_last_year() -> None:
    assert parse_period("上季度", date(2027, 1, 3)).label == "2026年第4季度"
    assert parse_period("上月", date(2027, 1, 3)).label == "2026年12月"
    assert parse_period("", date(2027, 1, 3)).label == "2027年第1季度"


BAD = [
    ("明年的", "bad_period"),
    ("2026年第5季度", "bad_period"),
    ("2026Q0", "bad_period"),
    ("2026年13月", "bad_period"),
    ("2026年0月", "bad_period"),
    ("1999年", "bad_period"),
    ("2026-02-30至2026-03-01", "bad_period"),
    ("2026-11-30至2026-09-01", "period_backwards"),
    ("2020-01-01至2026-01-01", "period_too_long"),
    ("=1+2", "bad_period"),
    ("x" * 500, "bad_period"),
]


@pytest.mark.parametrize(("text", "code"), BAD)
def test_refuses_with_a_chinese_reason(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_period(text, TODAY)
    assert caught.value.code == code
    reply = texts.error_text(caught.value)
    assert reply.startswith(("看不懂期间", "期间")), reply
    assert len(reply) < 300  # a 500-character period is not echoed whole
    if code == "bad_period":
        assert "2026年第4季度" in reply  # the reply shows the accepted forms


def test_bounds_are_beijing_days_in_utc() -> None:
    start, end = parse_period("2026年11月", TODAY).bounds(ZoneInfo("Asia/Shanghai"))
    assert start == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)


# -- how many 三会一课 a period requires (bot/core/requirements.py) ---------------------------

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _days(*days: str) -> list[date]:
    return [date.fromisoformat(day) for day in days]


def test_only_windows_wholly_inside_the_period_count() -> None:
    quarter = parse_period("2026Q4", TODAY)
    assert [start.month for start, _ in windows(quarter, PeriodKind.MONTH)] == [10, 11, 12]
    assert len(windows(quarter, PeriodKind.QUARTER)) == 1
    assert windows(quarter, PeriodKind.YEAR) == []
    month = parse_period("2026年11月", TODAY)
    assert windows(month, PeriodKind.QUARTER) == []
    span = parse_period("2026-09-15至2026-12-31", TODAY)
    assert [start.month for start, _ in windows(span, PeriodKind.MONTH)] == [10, 11, 12]
    assert len(windows(parse_period("2026年", TODAY), PeriodKind.QUARTER)) == 4


def test_a_window_is_behind_only_once_it_has_ended() -> None:
    spans = windows(parse_period("2026Q4", TODAY), PeriodKind.MONTH)
    now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # November is not over yet
    held = standing([_days("2026-10-09")], spans, now, SHANGHAI)
    assert held == Standing(held=1, required=3, behind=False)
    missed = standing([_days("2026-11-09")], spans, now, SHANGHAI)  # October went without
    assert missed == Standing(held=1, required=3, behind=True)
    assert standing([[]], [], now, SHANGHAI) is None  # nothing required in the period


def test_the_ledger_and_the_warnings_share_one_table() -> None:
    assert [r.meeting for r in rules_for(OrgKind.GROUP)] == [MeetingType.GROUP]
    assert rules_for(OrgKind.COMMITTEE) == []
    assert len(rules_for(OrgKind.BRANCH)) == 6
    assert [r.meeting for r in rules_for(OrgKind.COMMITTEE, Domain.NON_PUBLIC)] == [
        MeetingType.REGULAR
    ]
