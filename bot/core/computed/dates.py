"""Reading the dates members type, relative to an injected today, and calendar arithmetic.

Forms: 2025年7月1日, 2025年7月, 2025年, 2025.7.1, 2025-07-01, 2025/7/1, 去年3月1日, 今年9月,
上个月5号, 76年入党 (two-digit years only next to a month or 入党/转正 …). A date may be known
to the day, the month or the year only; arithmetic keeps that precision. A year after
29 February is 28 February (a period counted in years ends on the same day of the month, or
on the month's last day when that day does not exist).
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date

from bot.core.computed.numbers import chinese_integer

_CN = "零〇一二两三四五六七八九十"
# Not right after a digit: 3200一年 must not become 32001年.
_CN_BEFORE_UNIT_RE = re.compile(rf"(?<![0-9])([{_CN}]{{1,4}})(?=[年月日号])")
_FULL_RE = re.compile(r"(?<!\d)(\d{4})[./-](\d{1,2})[./-](\d{1,2})(?!\d)")
_YEAR_RE = re.compile(r"(?<!\d)(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})[日号])?)?")
_SHORT_YEAR_RE = re.compile(
    r"(?<![\d.])(\d{2})年(?=\d{1,2}月|入党|入的党|转正|递交|提交|申请|被|确定|加入|的时候)"
    r"(?:(\d{1,2})月(?:(\d{1,2})[日号])?)?"
)
_RELATIVE_YEAR_RE = re.compile(r"(大前年|前年|去年|今年|明年)(?:(\d{1,2})月(?:(\d{1,2})[日号])?)?")
_RELATIVE_MONTH_RE = re.compile(r"(上上个?月|上个?月|这个?月|本月|下个?月)(?:(\d{1,2})[日号])?")
_YEAR_OFFSETS = {"大前年": -3, "前年": -2, "去年": -1, "今年": 0, "明年": 1}
_MONTH_OFFSETS = {"上上月": -2, "上上个月": -2, "上月": -1, "上个月": -1, "这月": 0}
_MONTH_OFFSETS |= {"这个月": 0, "本月": 0, "下月": 1, "下个月": 1}


# Dates of joining the Party; beyond these, a year ahead or fifty years on must still exist.
MIN_YEAR, MAX_YEAR = 1900, 2200


class BadDate(ValueError):
    """A date that does not exist (2025年2月30日, 13月)."""


@dataclass(frozen=True, slots=True)
class Day:
    """A calendar date known to the day, the month (day None) or the year (both None)."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year}年"
        if self.day is None:
            return f"{self.year}年{self.month}月"
        return f"{self.year}年{self.month}月{self.day}日"

    @property
    def exact(self) -> bool:
        """Known to the day."""
        return self.day is not None

    def earliest(self) -> date:
        """The first day it can be."""
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        """The last day it can be."""
        month = self.month or 12
        return date(self.year, month, self.day or monthrange(self.year, month)[1])


@dataclass(frozen=True, slots=True)
class Found:
    """A date found in a text, with where it was."""

    day: Day
    start: int
    end: int


def digits_for_chinese(text: str) -> str:
    """二〇二五年三月一日 -> 2025年3月1日 (only numerals right before 年/月/日/号)."""

    def repl(match: re.Match[str]) -> str:
        value = chinese_integer(match[1])
        return match[1] if value is None else str(value)

    return _CN_BEFORE_UNIT_RE.sub(repl, text)


def checked(year: int, month: int | None, day: int | None) -> Day:
    """A Day, or BadDate when it does not exist."""
    if not MIN_YEAR <= year <= MAX_YEAR or (month is not None and not 1 <= month <= 12):
        raise BadDate(f"{year}-{month}")
    if month is not None and day is not None and not 1 <= day <= monthrange(year, month)[1]:
        raise BadDate(f"{year}-{month}-{day}")
    return Day(year, month, day)


def _number(text: str | None) -> int | None:
    return int(text) if text else None


def _century(short: int, today: date) -> int:
    return 2000 + short if short <= today.year % 100 else 1900 + short


def find_dates(folded: str, today: date) -> list[Found]:
    """Every date in a folded text (numerals already digits), in order; BadDate if one is
    impossible."""
    found: list[Found] = []
    for match in _FULL_RE.finditer(folded):
        day = checked(int(match[1]), int(match[2]), int(match[3]))
        found.append(Found(day, match.start(), match.end()))
    for match in _YEAR_RE.finditer(folded):
        day = checked(int(match[1]), _number(match[2]), _number(match[3]))
        found.append(Found(day, match.start(), match.end()))
    for match in _SHORT_YEAR_RE.finditer(folded):
        year = _century(int(match[1]), today)
        found.append(Found(checked(year, _number(match[2]), _number(match[3])), *match.span()))
    for match in _RELATIVE_YEAR_RE.finditer(folded):
        year = today.year + _YEAR_OFFSETS[match[1]]
        found.append(Found(checked(year, _number(match[2]), _number(match[3])), *match.span()))
    for match in _RELATIVE_MONTH_RE.finditer(folded):
        shifted = add_months(Day(today.year, today.month), _MONTH_OFFSETS[match[1]])
        assert shifted.month is not None
        day = checked(shifted.year, shifted.month, _number(match[2]))
        found.append(Found(day, match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


def add_months(day: Day, months: int) -> Day:
    """The same day `months` later (a missing day becomes the month's last); keeps precision."""
    if day.month is None:
        if months % 12:
            raise ValueError("a year-only date moves by whole years")
        return Day(day.year + months // 12)
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if day.day is None:
        return Day(year, month + 1)
    last = monthrange(year, month + 1)[1]
    return Day(year, month + 1, min(day.day, last))


def add_years(day: Day, years: int) -> Day:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    if day.month is None:
        return replace(day, year=day.year + years)
    return add_months(day, 12 * years)


def full_years(start: date, end: date) -> int:
    """Whole years from start to end (an anniversary on 28 February for 29 February)."""
    years = end.year - start.year
    anniversary = add_years(Day(start.year, start.month, start.day), years)
    if date(anniversary.year, anniversary.month or 1, anniversary.day or 1) > end:
        years -= 1
    return years
