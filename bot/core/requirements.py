"""How often 三会一课 must be held (《中国共产党支部工作条例（试行）》), counted over a period.

A requirement (bot/core/checkup.py) is a meeting type and a window (month, quarter, year):
each window needs at least one meeting of that type that took place. Over a period only the
windows lying wholly inside it count (a monthly ledger asks nothing of the quarterly
支部党员大会), and a window is overdue only once it has ended: a quarter half gone is not yet
behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.checkup import REQUIREMENTS, PeriodKind, Requirement, requirements_for
from bot.core.domain import Domain, OrgKind
from bot.core.meetings import MeetingType
from bot.core.periods import Period

# Which meeting type each organisation kind must hold, and how often: one table, kept by the
# overdue warnings (bot/core/checkup.py).
RULE_KINDS = (
    MeetingType.ASSEMBLY,
    MeetingType.COMMITTEE,
    MeetingType.GROUP,
    MeetingType.LECTURE,
    MeetingType.THEMED_DAY,
    MeetingType.LIFE_MEETING,
    MeetingType.APPRAISAL,
    MeetingType.REGULAR,
)
assert {r.meeting for r in REQUIREMENTS} == set(RULE_KINDS)


def rules_for(kind: OrgKind, domain: Domain | None = None) -> list[Requirement]:
    """What an organisation of this kind and domain must hold (a 非公 党委 its 党建例会)."""
    return requirements_for(kind, domain)


def _months(first: date, last: date) -> list[tuple[date, date]]:
    spans, start = [], first.replace(day=1)
    while start <= last:
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        spans.append((start, following))
        start = following
    return spans


def windows(period: Period, window: PeriodKind) -> list[tuple[date, date]]:
    """The windows (first day, day after the last) lying wholly inside the period."""
    step = window.months
    months = _months(period.first, period.last)
    found = []
    for index, (start, _) in enumerate(months):
        if (start.month - 1) % step or index + step > len(months):
            continue
        end = months[index + step - 1][1]
        if start >= period.first and end - timedelta(days=1) <= period.last:
            found.append((start, end))
    return found


@dataclass(frozen=True, slots=True)
class Standing:
    """Windows met of those required, and whether an ended one was missed."""

    held: int
    required: int
    behind: bool


def standing(
    held_days: list[list[date]], spans: list[tuple[date, date]], now: datetime, tz: ZoneInfo
) -> Standing | None:
    """For each unit (here: the organisation) the local days meetings took place: how many
    of its windows were met, and whether one that ended went unmet. None when the period
    holds no window of the requirement (or there is no unit)."""
    if not spans or not held_days:
        return None
    today_start = now.astimezone(tz)
    held = required = 0
    behind = False
    for days in held_days:
        for start, end in spans:
            required += 1
            met = any(start <= day < end for day in days)
            held += met
            ended = datetime.combine(end, time(), tz) <= today_start
            behind = behind or (ended and not met)
    return Standing(held, required, behind)
