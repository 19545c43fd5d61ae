"""bot/core/floating.py: reading /away, and who was away when."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import InvalidInput
from bot.core.floating import Activity, AwayRequest, Stay, away_activity, parse_away

TODAY = date(2026, 12, 1)
TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("广东省东莞市", AwayRequest("广东省东莞市", TODAY, "", "")),
        ("东莞 2026-03起", AwayRequest("东莞", date(2026, 3, 1), "", "")),
        ("东莞 2026年3月15日", AwayRequest("东莞", date(2026, 3, 15), "", "")),
        ("东莞 2026.3 13800000000", AwayRequest("东莞", date(2026, 3, 1), "", "13800000000")),
        (
            "东莞 东莞流动党员党支部 微信abc",
            AwayRequest("东莞", TODAY, "东莞流动党员党支部", "微信abc"),
        ),
        ("东莞 2026-12-01开始", AwayRequest("东莞", TODAY, "", "")),
    ],
)
def test_away_arguments(text: str, expected: AwayRequest) -> None:
    assert parse_away(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "away_usage"),
        ("2026-03", "away_bad_place"),
        ("123", "away_bad_place"),
        ("东莞 2026-13", "away_bad_date"),
        ("东莞 2026-02-30", "away_bad_date"),
        ("东莞 2026-1x", "away_bad_date"),
        ("东莞 2026-12-02", "away_future_date"),
        ("东莞 2030年1月", "away_future_date"),
        ("东莞 1900-01", "away_old_date"),
        ("东" * 51, "away_place_too_long"),
        ("东莞 " + "x" * 200, "away_too_long"),
        ("东莞 2026-03 2026-04", "away_usage"),
        ("东莞 甲支部 乙支部", "away_usage"),
    ],
)
def test_bad_away_arguments(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_away(text, TODAY)
    assert caught.value.code == code


def stay(since: date, ended: datetime | None = None) -> Stay:
    recorded = datetime(2026, 12, 1, 1, tzinfo=UTC)
    return Stay(1, 10, 7, "东莞", None, since, "", recorded, ended)


def test_a_stay_covers_from_its_month_to_its_end() -> None:
    away = stay(date(2026, 11, 1), datetime(2026, 12, 20, tzinfo=UTC))
    assert not away.covers(datetime(2026, 10, 31, 15, 59, tzinfo=UTC), TZ)  # 23:59 Beijing
    assert away.covers(datetime(2026, 10, 31, 16, 0, tzinfo=UTC), TZ)  # 11-01 00:00 Beijing
    assert away.covers(datetime(2026, 12, 19, tzinfo=UTC), TZ)
    assert not away.covers(datetime(2026, 12, 20, tzinfo=UTC), TZ)


def test_only_what_was_done_elsewhere_while_away_counts() -> None:
    away = stay(date(2026, 11, 1))
    at = datetime(2026, 11, 5, tzinfo=UTC)
    elsewhere = Activity(7, 20, "流动党员党支部", at, "党课", True)
    at_home = Activity(7, 10, "第一党支部", at, "党课", True)
    before = Activity(7, 20, "流动党员党支部", datetime(2026, 10, 5, tzinfo=UTC), "党课", True)
    someone_else = Activity(8, 20, "流动党员党支部", at, "党课", True)
    found = away_activity([away], [elsewhere, at_home, before, someone_else], TZ)
    assert found == [elsewhere]
