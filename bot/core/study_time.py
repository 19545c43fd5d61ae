"""Times of study topics: read ``publish_at`` and ``deadline``; reminder and month arithmetic.

- ``publish_at``: ``YYYY-MM-DD HH:MM`` (strictly after now), or a rule such as
  ``每月第一个周五 09:00`` (see :mod:`bot.core.recurrence`).
- ``deadline``: ``YYYY-MM-DD HH:MM``, or relative to publishing: ``发布后7天``,
  ``发布后48小时`` (also ``7天``).

Rule topics get their dates from :func:`bot.core.study.schedule_rules`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.recurrence import RecurrenceParseError, is_recurrence
from bot.core.recurrence import parse_recurrence as _parse_rule
from bot.core.study_fields import LABELS, FieldError
from bot.core.timeparse import MAX_AHEAD

_STRICT = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})")


def parse_datetime(value: Any, tz: ZoneInfo, key: str) -> datetime:
    """``YYYY-MM-DD HH:MM`` (or a spreadsheet date-time cell) as an aware time in ``tz``."""
    label = LABELS[key]
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        raise FieldError(f"{label}缺少具体时间，请写成“2026-12-05 09:00”")
    m = _STRICT.fullmatch(str(value).strip())
    if m is None:
        raise FieldError(f"{label}“{value}”看不懂，请写成“2026-12-05 09:00”")
    year, month, day, hour, minute = (int(part) for part in m.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=tz)
    except ValueError:
        raise FieldError(f"{label}“{value}”不是有效的日期时间") from None


_RELATIVE = re.compile(r"(?:发布后)?\s*(\d{1,3})\s*(天|日|小时|个小时)")


def parse_relative(text: str) -> timedelta | None:
    """``发布后7天`` / ``发布后48小时`` / ``7天``; None when the text is not relative."""
    m = _RELATIVE.fullmatch(text.strip())
    if m is None:
        return None
    amount = int(m[1])
    delta = timedelta(days=amount) if m[2] in ("天", "日") else timedelta(hours=amount)
    if delta <= timedelta(0):
        raise FieldError("截止时间需要在发布之后")
    return delta


def read_publish(value: Any, now: datetime, tz: ZoneInfo) -> tuple[datetime | None, str | None]:
    """The ``publish_at`` field: a fixed time after ``now``, or a rule in its canonical text."""
    if isinstance(value, str) and is_recurrence(value):
        try:
            return None, _parse_rule(value).to_text()
        except RecurrenceParseError as err:
            raise FieldError(f"发布时间：{err.message}") from None
    when = parse_datetime(value, tz, "publish_at")
    if when <= now:
        raise FieldError(f"发布时间{when:%Y-%m-%d %H:%M}已经过去了")
    if when > now + MAX_AHEAD:  # as for meetings; and 9999-12-31 + 7 days overflowed
        raise FieldError(f"发布时间{when:%Y-%m-%d %H:%M}太远了，最多只能提前2年安排")
    return when, None


def read_deadline(value: Any, tz: ZoneInfo) -> tuple[datetime | None, timedelta | None]:
    """The ``deadline`` field: a fixed time, or a time after publishing."""
    if isinstance(value, str) and (delta := parse_relative(value)) is not None:
        return None, delta
    return parse_datetime(value, tz, "deadline"), None


def reminder_time(publish_at: datetime, deadline_at: datetime) -> datetime:
    """When to chase those who have not studied: a day before the deadline, or halfway."""
    return deadline_at - min(timedelta(days=1), (deadline_at - publish_at) / 2)


def month_bounds(moment: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The local calendar month containing ``moment``: [first day 00:00, next first day)."""
    local = moment.astimezone(tz)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following
