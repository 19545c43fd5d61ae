"""Recurring meetings and topics, e.g. ``每月第一个周五 15:00``, and their next dates.

Grammar (after the same folding as :mod:`bot.core.timeparse`: full-width forms, Chinese
numerals, 星期/礼拜 = 周, 号 = 日)::

    每(个)周X                               weekly
    每(个)月(的) DAY                        monthly
    每(个)季度 首月|第N个月|末月|最后一个月 DAY    quarterly (N = 1-3; 首月 = Jan, Apr, Jul, Oct)
    每年 M月 DAY                             yearly
    DAY  = N日 | 最后一天 | 第N个周X (N = 1-5) | 最后一个周X
    then a time of day as in timeparse: 15:00, 下午3点, 9点半 ...

Months without the day (a 31st, a fifth Friday) are skipped, and ``describe()`` says so.
Next dates come from APScheduler 3's ``CronTrigger`` (day='1st fri', 'last fri', 'last';
month='1,4,7,10'), which also handles zones with daylight saving time.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.core.timeparse import (
    WEEKDAY_NAMES,
    TimeParseError,
    normalize,
    parse_clock,
    weekday_from_token,
)

__all__ = [
    "Frequency",
    "RecurrenceParseError",
    "RecurrenceRule",
    "is_recurrence",
    "next_occurrences",
    "parse_recurrence",
]

LAST = -1  # as ``nth`` or ``day``: the last one of the month


class Frequency(StrEnum):
    """How often a rule repeats."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


class RecurrenceParseError(ValueError):
    """A recurrence rule we cannot accept; ``str(err)`` is the Chinese reply."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_ORDINALS = "一二三四五"
_QUARTER_MONTHS = {1: "第一个月", 2: "第二个月", 3: "第三个月"}
_CRON_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CRON_NTH = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", LAST: "last"}


@dataclass(frozen=True)
class RecurrenceRule:
    """One recurring slot; build it with :func:`parse_recurrence` or :meth:`from_text`.

    ``weekday`` is 0 for Monday. ``nth`` (1-5 or LAST) goes with ``weekday`` in monthly,
    quarterly and yearly rules; otherwise ``day`` (1-31 or LAST) is the day of the month.
    ``month`` is the month of the quarter (1-3) or of the year (1-12).
    """

    freq: Frequency
    hour: int
    minute: int
    weekday: int | None = None
    nth: int | None = None
    day: int | None = None
    month: int | None = None

    def __post_init__(self) -> None:
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise ValueError("hour or minute out of range")
        if self.weekday is not None and self.weekday not in range(7):
            raise ValueError("weekday out of range")
        if not _has_one_day(self):
            raise ValueError("a rule needs either a day of the month or a weekday (and nth)")
        if self.month not in _MONTHS_OF.get(self.freq, (None,)):
            raise ValueError("month does not fit the frequency")

    def _day_text(self) -> str:
        """The day part in canonical Chinese: 周五, 第一个周五, 最后一个周五, 5日, 最后一天."""
        if self.weekday is not None:
            name = f"周{WEEKDAY_NAMES[self.weekday]}"
            if self.nth is None:
                return name
            return ("最后一个" if self.nth == LAST else f"第{_ORDINALS[self.nth - 1]}个") + name
        return "最后一天" if self.day == LAST else f"{self.day}日"

    def to_text(self) -> str:
        """Canonical text, stable for storage: ``from_text(rule.to_text()) == rule``."""
        prefix = {
            Frequency.WEEKLY: "每",
            Frequency.MONTHLY: "每月",
            Frequency.QUARTERLY: f"每季度{_QUARTER_MONTHS.get(self.month or 0, '')}",
            Frequency.YEARLY: f"每年{self.month}月",
        }[self.freq]
        return f"{prefix}{self._day_text()} {self.hour:02d}:{self.minute:02d}"

    @classmethod
    def from_text(cls, text: str) -> RecurrenceRule:
        """Read a rule back from :meth:`to_text` (or from anything the user may type)."""
        return parse_recurrence(text)

    def describe(self) -> str:
        """Natural Chinese for the user, with the months it skips spelled out."""
        text = self.to_text()
        if self.freq == Frequency.QUARTERLY and self.month is not None:
            name = _QUARTER_MONTHS[self.month]
            months = "、".join(str(month) for month in _months(self))
            text = text.replace(name, f"{name}（{months}月）")
        if self.nth == 5 and self.weekday is not None:
            text += f"（没有第五个周{WEEKDAY_NAMES[self.weekday]}的月份跳过）"
        elif self.day is not None and self.day > min(_days_in(month) for month in _months(self)):
            text += f"（没有{self.day}日的月份跳过）"
        return text


_MONTHS_OF = {Frequency.QUARTERLY: tuple(range(1, 4)), Frequency.YEARLY: tuple(range(1, 13))}


def _has_one_day(rule: RecurrenceRule) -> bool:
    """Weekly rules name a weekday; the others a day of the month or an nth weekday."""
    if rule.freq == Frequency.WEEKLY:
        return rule.weekday is not None and rule.nth is None and rule.day is None
    if rule.weekday is not None:
        return rule.nth in _CRON_NTH and rule.day is None
    return rule.nth is None and rule.day is not None and (rule.day == LAST or 1 <= rule.day <= 31)


def _months(rule: RecurrenceRule) -> list[int]:
    """The months of the year in which the rule can fire."""
    if rule.freq == Frequency.QUARTERLY and rule.month is not None:
        return [rule.month + 3 * quarter for quarter in range(4)]
    if rule.freq == Frequency.YEARLY and rule.month is not None:
        return [rule.month]
    return list(range(1, 13))


def _days_in(month: int) -> int:
    """Days in a month of a common (non-leap) year."""
    return calendar.monthrange(2001, month)[1]


_PREFIX = re.compile(
    r"每个?\s*(?:(?P<weekly>周)|(?P<monthly>月)"
    r"|(?P<quarterly>季度?)\s*的?\s*(?P<qmonth>首月|末月|第\s*[123]\s*个?\s*月|最后1?个?月)?"
    r"|(?P<yearly>年)\s*(?P<ymonth>\d{1,2})\s*月)\s*的?\s*"
)
_WEEKLY_DAY = re.compile(r"(?P<weekday>[1-7日])\s*")
_MONTH_DAY = re.compile(
    r"(?:(?P<day>\d{1,2})\s*日|(?P<last_day>最后1?天)"
    r"|(?P<ordinal>第\s*\d|最后1?)\s*个?\s*周(?P<weekday>[1-7日]))\s*"
)
_EXAMPLE = "请写成“每月第一个周五 15:00”“每月5日 9:00”或“每周三 14:00”"


def is_recurrence(text: str) -> bool:
    """Whether the user typed a recurring rule (it starts with 每) rather than one time."""
    return normalize(text).startswith("每")


def _frequency(m: re.Match[str]) -> tuple[Frequency, int | None]:
    """Frequency and month (of the quarter or year) named by the prefix."""
    if m["weekly"]:
        return Frequency.WEEKLY, None
    if m["monthly"]:
        return Frequency.MONTHLY, None
    if m["yearly"]:
        month = int(m["ymonth"])
        if not 1 <= month <= 12:
            raise RecurrenceParseError(f"没有这个月份：{month}月")
        return Frequency.YEARLY, month
    qmonth = m["qmonth"]
    if qmonth is None:
        raise RecurrenceParseError("请写明是季度的第几个月，如“每季度第一个月10日 15:00”")
    if qmonth == "首月":
        return Frequency.QUARTERLY, 1
    if qmonth.startswith("第"):
        return Frequency.QUARTERLY, int(re.sub(r"\D", "", qmonth))
    return Frequency.QUARTERLY, 3  # 末月, 最后一个月


def _day_fields(rest: str, freq: Frequency) -> tuple[dict[str, int | None], str]:
    """The day part of the rule as RecurrenceRule fields, and the text after it."""
    if freq == Frequency.WEEKLY:
        m = _WEEKLY_DAY.match(rest)
        if m is None:
            raise RecurrenceParseError(f"没看懂是周几，{_EXAMPLE}")
        return {"weekday": weekday_from_token(m["weekday"])}, rest[m.end() :]
    m = _MONTH_DAY.match(rest)
    if m is None:
        raise RecurrenceParseError(f"没看懂是哪一天，{_EXAMPLE}")
    if m["last_day"]:
        return {"day": LAST}, rest[m.end() :]
    if m["day"]:
        return {"day": int(m["day"])}, rest[m.end() :]
    nth = LAST if m["ordinal"].startswith("最后") else int(m["ordinal"][-1])
    weekday = weekday_from_token(m["weekday"])
    if nth not in _CRON_NTH:
        raise RecurrenceParseError(f"一个月最多有五个周{WEEKDAY_NAMES[weekday]}")
    return {"nth": nth, "weekday": weekday}, rest[m.end() :]


def _check_day(freq: Frequency, month: int | None, day: int | None) -> None:
    """Refuse days that never come (32日, 每年2月30日); yearly dates must exist every year."""
    if day is None or day == LAST:
        return
    if not 1 <= day <= 31:
        raise RecurrenceParseError(f"没有这个日期：{day}日")
    if freq == Frequency.YEARLY and month is not None:
        if day > calendar.monthrange(2000, month)[1]:  # 2000 is a leap year
            raise RecurrenceParseError(f"没有这个日期：{month}月{day}日")
        if day > _days_in(month):
            raise RecurrenceParseError(f"{month}月{day}日不是每年都有，请换一天")


def parse_recurrence(text: str) -> RecurrenceRule:
    """Read a recurring rule such as ``每月第一个周五 15:00``."""
    normalized = normalize(text)
    m = _PREFIX.match(normalized)
    if m is None:
        raise RecurrenceParseError(f"没看懂这个周期，{_EXAMPLE}")
    freq, month = _frequency(m)
    fields, clock_text = _day_fields(normalized[m.end() :], freq)
    _check_day(freq, month, fields.get("day"))
    if not clock_text.strip():
        raise RecurrenceParseError(f"缺少具体时间，{_EXAMPLE}")
    try:
        clock = parse_clock(clock_text)
    except TimeParseError as err:
        raise RecurrenceParseError(err.message) from None
    return RecurrenceRule(freq, clock.hour, clock.minute, month=month, **fields)


def _cron_fields(rule: RecurrenceRule) -> dict[str, str]:
    """The rule as CronTrigger fields."""
    fields = {"hour": str(rule.hour), "minute": str(rule.minute), "second": "0"}
    if rule.freq == Frequency.WEEKLY and rule.weekday is not None:
        fields["day_of_week"] = _CRON_WEEKDAYS[rule.weekday]
        return fields
    if rule.weekday is not None and rule.nth is not None:
        fields["day"] = f"{_CRON_NTH[rule.nth]} {_CRON_WEEKDAYS[rule.weekday]}"
    else:
        fields["day"] = "last" if rule.day == LAST else str(rule.day)
    if rule.freq in _MONTHS_OF:
        fields["month"] = ",".join(str(month) for month in _months(rule))
    return fields


def next_occurrences(
    rule: RecurrenceRule, after: datetime, count: int, tz: ZoneInfo
) -> list[datetime]:
    """The next ``count`` times the rule fires strictly after ``after``, aware in ``tz``."""
    if after.tzinfo is None:
        raise ValueError("after must be timezone-aware")
    trigger = CronTrigger(timezone=tz, **_cron_fields(rule))
    found: list[datetime] = []
    previous = after.astimezone(tz)
    while len(found) < count:
        # Passing the same instant as previous fire time and now makes the search strict.
        following: datetime | None = trigger.get_next_fire_time(previous, previous)
        if following is None:
            break
        found.append(following)
        previous = following
    return found
