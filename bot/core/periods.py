"""Read the period of a ledger (台账) as secretaries write it: 2026年第4季度, 本月, 上季度 …

Accepted (full-width digits and letters, and spaces, are fine anywhere):

- a year: ``2026年``, ``2026``; ``今年`` / ``本年``, ``去年`` / ``上一年``;
- a quarter: ``2026年第4季度``, ``2026年4季度``, ``2026Q4``, ``2026年Q4``, ``2026-Q4``;
  ``本季度``, ``上季度``;
- a month: ``2026年11月``, ``2026-11``, ``2026/11``; ``本月``, ``上月`` / ``上个月``;
- a range of days: ``2026-09-01至2026-11-30`` (also ``到``, ``~``, ``～``, ``—``), at most
  :data:`MAX_DAYS` days, the end not before the start;
- nothing: the current quarter.

Anything else raises :class:`~bot.core.errors.InvalidInput` with the code ``bad_period`` (the
reply lists these forms). Relative words are read in the organisation's zone (``today``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.errors import InvalidInput

MAX_DAYS = 366 * 2  # two years: beyond that a ledger is an archive, not a 台账
FIRST_YEAR, LAST_YEAR = 2000, 2100

_YEAR = r"(?P<year>\d{4})"
_YEAR_ONLY = re.compile(rf"^{_YEAR}年?$")
_Q = "[1-4一二三四]"
_QUARTER = re.compile(
    rf"^{_YEAR}(?:年|-|/)?(?:第(?P<q1>{_Q})季度?|(?P<q2>{_Q})季度|Q(?P<q3>[1-4]))$"
)
_MONTH = re.compile(rf"^{_YEAR}(?:年(?P<m1>\d{{1,2}})月|[-/.](?P<m2>\d{{1,2}}))$")
_DAY = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
_RANGE = re.compile(rf"^{_DAY}(?:至|到|~|-|—|–){_DAY}$")
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


@dataclass(frozen=True, slots=True)
class Period:
    """Days from `first` to `last` (both included) and how users read them."""

    first: date
    last: date
    label: str

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """Its start and its end (exclusive) as UTC moments, read on the wall clock of `tz`."""
        start = datetime.combine(self.first, time(), tz).astimezone(UTC)
        end = datetime.combine(self.last + timedelta(days=1), time(), tz).astimezone(UTC)
        return start, end

    @property
    def span_text(self) -> str:
        """``2026-10-01至2026-12-31``."""
        return f"{self.first:%Y-%m-%d}至{self.last:%Y-%m-%d}"


def bad_period(text: str) -> InvalidInput:
    """The error of a period that cannot be read (rendered by bot.texts with the forms)."""
    return InvalidInput(code="bad_period", text=text[:40])


def quarter_of(day: date) -> Period:
    """The calendar quarter holding `day`."""
    return _quarter(day.year, (day.month - 1) // 3 + 1)


def _quarter(year: int, quarter: int) -> Period:
    first = date(year, 3 * quarter - 2, 1)
    last = _month_end(year, 3 * quarter)
    return Period(first, last, f"{year}年第{quarter}季度")


def _month(year: int, month: int) -> Period:
    return Period(date(year, month, 1), _month_end(year, month), f"{year}年{month}月")


def _year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), f"{year}年")


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _relative(word: str, today: date) -> Period | None:
    if word in ("本季度", "这季度", "当季"):
        return quarter_of(today)
    if word == "上季度":
        return quarter_of(quarter_of(today).first - timedelta(days=1))
    if word in ("本月", "这个月", "当月"):
        return _month(today.year, today.month)
    if word in ("上月", "上个月"):
        before = today.replace(day=1) - timedelta(days=1)
        return _month(before.year, before.month)
    if word in ("今年", "本年", "本年度"):
        return _year(today.year)
    if word in ("去年", "上一年", "上年"):
        return _year(today.year - 1)
    return None


def _checked_year(text: str, year: str) -> int:
    value = int(year)
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise bad_period(text)
    return value


def _range(text: str, found: re.Match[str]) -> Period:
    y1, m1, d1, y2, m2, d2 = (int(part) for part in found.groups())
    try:
        first, last = date(y1, m1, d1), date(y2, m2, d2)
    except ValueError:
        raise bad_period(text) from None
    for day in (first, last):
        _checked_year(text, str(day.year))
    if last < first:
        raise InvalidInput(code="period_backwards", text=text[:40])
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput(code="period_too_long", days=MAX_DAYS)
    return Period(first, last, f"{first:%Y-%m-%d}至{last:%Y-%m-%d}")


def parse_period(text: str, today: date) -> Period:
    """The period `text` names; the current quarter for an empty text (see the module)."""
    word = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if not word:
        return quarter_of(today)
    if (relative := _relative(word, today)) is not None:
        return relative
    if found := _YEAR_ONLY.match(word):
        return _year(_checked_year(text, found["year"]))
    if found := _QUARTER.match(word):
        number = found["q1"] or found["q2"] or found["q3"]
        quarter = _CHINESE_DIGITS.get(number) or int(number)
        return _quarter(_checked_year(text, found["year"]), quarter)
    if found := _MONTH.match(word):
        month = int(found["m1"] or found["m2"])
        if not 1 <= month <= 12:
            raise bad_period(text)
        return _month(_checked_year(text, found["year"]), month)
    if found := _RANGE.match(word):
        return _range(text, found)
    raise bad_period(text)
