"""Read the meeting times that branch secretaries type, e.g. ``明天下午3点`` or ``12月5日15:00``.

Rules (each one is tested in tests/test_timeparse.py):

- Dates: ``2026-12-05``, ``2026/12/5``, ``2026年12月5日``, ``12月5日`` / ``12月5号``, ``12/5``;
  ``今天 明天 后天 大后天``, ``今晚 明早 明晚``; ``周五`` / ``星期五`` / ``礼拜五`` (the next such
  day, today included), ``本周五`` / ``这周五`` (this Monday-to-Sunday week), ``下周五``,
  ``下下周五``. A weekday after a date (``12月5日（周六）``) must agree with it.
- A month-day without a year is the occurrence nearest to today, within half a year either
  way: typed in late November, ``1月5日`` is next January and ``11月20日`` is six days ago
  (so rejected as past). No date means today.
- Times: ``15:00``, ``3点``, ``3点半``, ``3点一刻``, ``3点三刻``, ``3点15(分)``, ``15时30分``,
  after an optional 凌晨/早上/上午/中午/下午/傍晚/晚上. Chinese numerals and full-width digits,
  colons and spaces are accepted anywhere.
- Without 上午/下午: hours 1-6 are ambiguous and rejected (a meeting at 3 a.m. is as unlikely
  as a guess is dangerous) unless written with a leading zero (``03:00``); 7-11 are morning,
  as in everyday Chinese; 0 and 12-23 are read as written.
- Rejected with a :class:`TimeParseError`: anything unrecognised, impossible dates and times
  (2月30日, 13月, 25点, 凌晨9点), ambiguous hours, a date without a time, and any time not
  after ``now`` (a time earlier today is past, it does not roll to tomorrow).

Why a grammar of our own (the issue asked to evaluate jionlp and dateparser first): scored by
``bench/timeparse.py`` on the whole table of tests/test_timeparse.py (66 valid inputs with their
exact answer, 33 to reject; libraries wrapped so that past answers count as rejected), on this
2-core machine, Python 3.11; the bench docstring has the commands::

    parser            installed (with deps)   import+1st call  valid  bad rejected  per call
    this module       12 kB, stdlib only      0.017 s          66/66  33/33         10 µs
    jionlp 1.5.31     251 MB (jiojio, numpy)  0.21 s           58/66  24/33         170 µs
    dateparser 1.5.0  9.1 MB                  0.11 s            9/66  29/33         270 µs

jionlp also prints a banner on import, reads ``明天25点`` as 05:00 and ``下午3点70分`` as
15:07, takes ``明天3:30`` and ``下周三下午`` as complete, and puts ``1月5日`` in this year.
dateparser reads hardly any colloquial form (its "rejections" are mostly blanket failures).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

__all__ = [
    "ACCEPTED_FORMS_HELP",
    "WEEKDAY_NAMES",
    "TimeErrorKind",
    "TimeParseError",
    "normalize",
    "parse_clock",
    "parse_meeting_time",
    "weekday_from_token",
]

ACCEPTED_FORMS_HELP = (
    "时间可以这样写：\n"
    "· 12月5日15:00、12月5日下午3点、2026-12-05 15:00\n"
    "· 明天下午3点、后天上午9:30、今晚8点\n"
    "· 周五下午三点半、下周三 14:00"
)


class TimeErrorKind(StrEnum):
    """Why a time was rejected; the handler may pick its reply by kind."""

    UNRECOGNISED = "unrecognised"
    INVALID = "invalid"
    AMBIGUOUS = "ambiguous"
    MISSING_TIME = "missing_time"
    PAST = "past"


class TimeParseError(ValueError):
    """A time the user typed that we cannot accept; ``str(err)`` is the Chinese reply."""

    def __init__(self, kind: TimeErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


# Ordered: 星期天 must become 周天 before 周天 becomes 周日.
_SYNONYMS = (
    ("星期", "周"),
    ("礼拜", "周"),
    ("禮拜", "周"),
    ("週", "周"),
    ("周天", "周日"),
    ("號", "日"),
    ("号", "日"),
    ("時", "点"),
    ("时", "点"),
    ("點", "点"),
    ("钟", ""),
    ("鐘", ""),
    ("後", "后"),
    ("今晚", "今天晚上"),
    ("明晚", "明天晚上"),
    ("今早", "今天早上"),
    ("明早", "明天早上"),
)
_CN_DIGITS = {c: str(i) for i, c in enumerate("零一二三四五六七八九")} | {"〇": "0", "两": "2"}
_CN_NUMBER = re.compile("[零〇一二两三四五六七八九十]+")


def _cn_to_arabic(match: re.Match[str]) -> str:
    """Turn one run of Chinese numerals (up to 99, or digit by digit: 二〇二六) into digits."""
    run = match.group()
    if "十" not in run:
        return "".join(_CN_DIGITS[c] for c in run)
    tens, _, units = run.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return run  # not a number we read; the grammar will reject it
    return str(int(_CN_DIGITS.get(tens, "1")) * 10 + int(_CN_DIGITS.get(units, "0")))


def normalize(text: str) -> str:
    """Fold full-width forms, synonyms and Chinese numerals so the grammar sees one spelling."""
    text = unicodedata.normalize("NFKC", text)
    for old, new in _SYNONYMS:
        text = text.replace(old, new)
    text = _CN_NUMBER.sub(_cn_to_arabic, text)
    return re.sub(r"\s+", " ", text).strip().rstrip("。.!！,，;；")


_WEEKDAY = r"[1-7日]"
_PERIOD = r"(?P<period>凌晨|清晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|夜晚)"
_CLOCK = (
    r"(?P<hour>\d{1,2})\s*(?::\s*(?P<colon_min>\d{2})"
    r"|点\s*(?:(?P<half>半)|(?P<quarter>[13])\s*刻|(?P<min>\d{1,2})\s*分?|整)?)"
)
_DATE = (
    r"(?:(?P<year>\d{4})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})\s*日?"
    r"|(?P<md_month>\d{1,2})\s*(?:月\s*(?P<md_day>\d{1,2})\s*日?|/\s*(?P<slash_day>\d{1,2}))"
    r"|(?P<relative>今天|今日|明天|明日|大后天|后天)"
    rf"|(?P<week>本|这个?|下下个?|下个?)?周(?P<weekday>{_WEEKDAY}))"
    rf"(?:\s*\(?\s*周(?P<check_weekday>{_WEEKDAY})\s*\)?)?"
)
_MEETING_TIME = re.compile(rf"(?:{_DATE})?\s*(?:{_PERIOD})?\s*(?:{_CLOCK})?")
_CLOCK_ONLY = re.compile(rf"(?:{_PERIOD})?\s*(?:{_CLOCK})")

_RELATIVE_DAYS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
_WEEK_OFFSETS = {"本": 0, "这": 0, "这个": 0, "下": 1, "下个": 1, "下下": 2, "下下个": 2}
_MISSING_TIME = "缺少具体时间，请写成“12月5日15:00”"
WEEKDAY_NAMES = "一二三四五六日"


def weekday_from_token(token: str) -> int:
    """The weekday (Monday is 0) of a normalized token after 周: 1-7 or 日."""
    return 6 if token == "日" else int(token) - 1


def _make_date(year: int, month: int, day: int, label: str) -> date:
    """Build a date or explain, in the user's words, why it does not exist."""
    try:
        return date(year, month, day)
    except ValueError:
        raise TimeParseError(TimeErrorKind.INVALID, f"没有这个日期：{label}") from None


def _nearest_month_day(month: int, day: int, today: date) -> date:
    """The existing date with this month and day nearest to today (last, this or next year)."""
    label = f"{month}月{day}日"
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise TimeParseError(TimeErrorKind.INVALID, f"没有这个日期：{label}")
    return min(candidates, key=lambda d: abs((d - today).days))


def _resolve_date(m: re.Match[str], today: date) -> date | None:
    """The date the match names, or None when it names none."""
    if m["year"]:
        y, mo, d = int(m["year"]), int(m["month"]), int(m["day"])
        return _make_date(y, mo, d, f"{y}年{mo}月{d}日")
    if m["md_month"]:
        return _nearest_month_day(int(m["md_month"]), int(m["md_day"] or m["slash_day"]), today)
    if m["relative"]:
        return today + timedelta(days=_RELATIVE_DAYS[m["relative"]])
    if m["weekday"]:
        target = weekday_from_token(m["weekday"])
        if m["week"] is None:  # the next such day, today included
            return today + timedelta(days=(target - today.weekday()) % 7)
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(weeks=_WEEK_OFFSETS[m["week"]], days=target)
    return None


# Hours each period accepts, and what it adds to them (下午3点 -> 15, 下午15点 -> 15).
_PERIOD_HOURS: dict[str, tuple[range, range]] = {
    # period: (hours read as written, hours that get +12)
    "凌晨": (range(0, 7), range(0)),
    "清晨": (range(4, 9), range(0)),
    "早上": (range(4, 12), range(0)),
    "早晨": (range(4, 12), range(0)),
    "上午": (range(0, 13), range(0)),
    "中午": (range(11, 15), range(1, 3)),
    "下午": (range(12, 19), range(1, 12)),
    "傍晚": (range(16, 21), range(4, 9)),
    "晚上": (range(17, 24), range(5, 12)),
    "夜里": (range(18, 24), range(6, 12)),
    "夜晚": (range(18, 24), range(6, 12)),
}


def _hour_of_day(period: str | None, hour_text: str) -> int:
    """Apply 上午/下午 and the ambiguity rule to the hour as typed."""
    hour = int(hour_text)
    if period is None:
        if hour > 23:
            raise TimeParseError(TimeErrorKind.INVALID, f"没有这个时间：{hour}点")
        if 1 <= hour <= 6 and not hour_text.startswith("0"):
            raise TimeParseError(
                TimeErrorKind.AMBIGUOUS, f"请写明上午还是下午，如“下午{hour}点”或“{hour + 12}:00”"
            )
        return hour
    as_written, plus_twelve = _PERIOD_HOURS[period]
    if hour in as_written:
        return hour
    if hour in plus_twelve:
        return hour + 12
    raise TimeParseError(TimeErrorKind.INVALID, f"没有这个时间：{period}{hour}点")


def _clock_of(m: re.Match[str]) -> time:
    """The time of day a match names; the match must contain an hour."""
    hour = _hour_of_day(m["period"], m["hour"])
    if m["half"]:
        minute = 30
    elif m["quarter"]:
        minute = 15 * int(m["quarter"])
    else:
        minute = int(m["colon_min"] or m["min"] or 0)
    if minute > 59:
        raise TimeParseError(TimeErrorKind.INVALID, f"没有这个时间：{hour}点{minute}分")
    return time(hour, minute)


def parse_clock(text: str) -> time:
    """Read a time of day alone (``下午3点``, ``15:00``) with the same rules as meeting times."""
    m = _CLOCK_ONLY.fullmatch(normalize(text))
    if m is None:
        raise TimeParseError(
            TimeErrorKind.UNRECOGNISED, "没看懂这个时间，请写成“15:00”或“下午3点”"
        )
    return _clock_of(m)


@dataclass(frozen=True)
class _Reading:
    """What the grammar found, before it is checked against ``now``."""

    day: date
    clock: time
    check_weekday: int | None


def _read(text: str, today: date) -> _Reading:
    """Match the grammar and resolve date and time, without the past check."""
    m = _MEETING_TIME.fullmatch(normalize(text))
    if m is None or not any(m.groupdict().values()):
        raise TimeParseError(TimeErrorKind.UNRECOGNISED, "没看懂这个时间")
    day = _resolve_date(m, today)
    if m["hour"] is None:
        raise TimeParseError(TimeErrorKind.MISSING_TIME, _MISSING_TIME)
    check = m["check_weekday"]
    return _Reading(day or today, _clock_of(m), weekday_from_token(check) if check else None)


def _localize(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """Attach the zone, refusing wall times that a DST change skips."""
    local = datetime.combine(day, clock, tzinfo=tz)
    try:
        back = local.astimezone(UTC).astimezone(tz)
    except OverflowError:  # year 1 east of Greenwich, year 9999 west of it
        raise TimeParseError(TimeErrorKind.INVALID, f"没有这个日期：{day.year}年") from None
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise TimeParseError(TimeErrorKind.INVALID, f"没有这个时间：{clock:%H:%M}（夏令时调整）")
    return local


# Plans reach a year or two ahead; 9999年 is a typo, not a plan.
MAX_AHEAD = timedelta(days=2 * 365)


def parse_meeting_time(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """Read a meeting time typed by a user; an aware datetime in ``tz``, strictly after ``now``."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(tz)
    reading = _read(text, now.date())
    if reading.check_weekday is not None and reading.check_weekday != reading.day.weekday():
        raise TimeParseError(
            TimeErrorKind.INVALID,
            f"{reading.day.month}月{reading.day.day}日是周{WEEKDAY_NAMES[reading.day.weekday()]}，"
            f"不是周{WEEKDAY_NAMES[reading.check_weekday]}",
        )
    result = _localize(reading.day, reading.clock, tz)
    when = f"{result.month}月{result.day}日 {result:%H:%M}"
    if result.year != now.year:
        when = f"{result.year}年{when}"  # 2025年12月1日 is not this year's 12月1日
    if result <= now:
        raise TimeParseError(TimeErrorKind.PAST, f"时间已经过去了：{when}")
    if result > now + MAX_AHEAD:
        limit = f"最多只能提前{MAX_AHEAD.days // 365}年安排"
        raise TimeParseError(TimeErrorKind.INVALID, f"时间太远了：{when}，{limit}")
    return result
