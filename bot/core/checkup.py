"""三会一课 requirements without I/O: periods, what each organisation must hold, and when
the managers are warned.

Frequencies follow the 2018 《中国共产党支部工作条例（试行）》 (art. 19, 20, 21): 支部党员大会
once a quarter, 支委会 once a month, 党小组会 once a month, 党课 at least once a quarter,
主题党日 once a month, 组织生活会 and 民主评议党员 once a year. The organisation tree has
党小组 (OrgKind.GROUP): 党小组会 is required of each of them; the other six of each 党支部.
A 非公 党委 (Domain.NON_PUBLIC) holds its 党建例会 every month, as the county's practice for
两新组织 asks: the one requirement that depends on the domain as well as the kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.domain import Domain, OrgKind
from bot.core.meetings import MeetingType

# The warning goes out at this local hour of its day.
ALERT_HOUR = 9


class PeriodKind(StrEnum):
    """How often a meeting is required."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def label(self) -> str:
        """本月 / 本季度 / 本年度."""
        return {"month": "本月", "quarter": "本季度", "year": "本年度"}[self.value]

    @property
    def end_label(self) -> str:
        """月末 / 季度末 / 年末."""
        return {"month": "月末", "quarter": "季度末", "year": "年末"}[self.value]

    @property
    def months(self) -> int:
        """The period's length in months."""
        return {"month": 1, "quarter": 3, "year": 12}[self.value]


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar month, quarter or year: [start, end) in local dates."""

    kind: PeriodKind
    start: date
    end: date

    @property
    def key(self) -> str:
        """2026-12, 2026Q4, 2026: stable names for delivery keys."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The period's first and first-after moments, local midnight, as aware datetimes."""
        return _midnight(self.start, tz), _midnight(self.end, tz)

    def days_left(self, today: date) -> int:
        """Days from `today` to the end, today included (Dec 25 → 7 before the year's end)."""
        return (self.end - today).days


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def period_of(kind: PeriodKind, day: date) -> Period:
    """The month, quarter or year that contains `day`."""
    if kind is PeriodKind.MONTH:
        start = date(day.year, day.month, 1)
    elif kind is PeriodKind.QUARTER:
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    else:
        start = date(day.year, 1, 1)
    return Period(kind, start, _add_months(start, kind.months))


@dataclass(frozen=True, slots=True)
class Requirement:
    """A meeting type an organisation of some kind must hold at least once per period."""

    meeting: MeetingType
    period: PeriodKind
    org_kind: OrgKind
    domain: Domain | None = None  # None: organisations of every domain

    def applies_to(self, kind: OrgKind, domain: Domain | None) -> bool:
        """True for an organisation of this kind (and domain, when the rule names one)."""
        return self.org_kind is kind and (self.domain is None or self.domain is domain)


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(MeetingType.ASSEMBLY, PeriodKind.QUARTER, OrgKind.BRANCH),
    Requirement(MeetingType.COMMITTEE, PeriodKind.MONTH, OrgKind.BRANCH),
    Requirement(MeetingType.LECTURE, PeriodKind.QUARTER, OrgKind.BRANCH),
    Requirement(MeetingType.THEMED_DAY, PeriodKind.MONTH, OrgKind.BRANCH),
    Requirement(MeetingType.LIFE_MEETING, PeriodKind.YEAR, OrgKind.BRANCH),
    Requirement(MeetingType.APPRAISAL, PeriodKind.YEAR, OrgKind.BRANCH),
    Requirement(MeetingType.GROUP, PeriodKind.MONTH, OrgKind.GROUP),
    Requirement(MeetingType.REGULAR, PeriodKind.MONTH, OrgKind.COMMITTEE, Domain.NON_PUBLIC),
)


def requirements_for(kind: OrgKind, domain: Domain | None = None) -> list[Requirement]:
    """What an organisation of this kind and domain must hold (nothing for 党总支, nor for a
    党委 outside 非公)."""
    return [r for r in REQUIREMENTS if r.applies_to(kind, domain)]


@dataclass(frozen=True, slots=True)
class Standing:
    """One requirement in its current period: how many were held."""

    requirement: Requirement
    period: Period
    held: int

    @property
    def met(self) -> bool:
        """At least one such meeting took place in the period."""
        return self.held >= 1


HeldCounts = Mapping[tuple[PeriodKind, MeetingType], int]


def standings(
    kind: OrgKind, held: HeldCounts, today: date, domain: Domain | None = None
) -> list[Standing]:
    """Each requirement of an organisation of `kind` (and `domain`), in the periods containing
    `today`; `held` counts the meetings that took place per (period kind, meeting type)."""
    return [
        Standing(r, period_of(r.period, today), held.get((r.period, r.meeting), 0))
        for r in requirements_for(kind, domain)
    ]


def alert_day(month: Period, days_before: int) -> date:
    """The day the month's warning goes out: `days_before` days before the month ends.

    Quarters and years end with a month, so one warning day a month serves all three.
    """
    return month.end - timedelta(days=days_before)


def alert_at(month: Period, days_before: int, tz: ZoneInfo) -> datetime:
    """The moment of the month's warning (ALERT_HOUR local on its day)."""
    return datetime.combine(alert_day(month, days_before), time(ALERT_HOUR), tzinfo=tz)


def periods_ending_with(month: Period) -> list[PeriodKind]:
    """The period kinds that end when this month ends: always the month; the quarter in
    March, June, September, December; the year in December."""
    ending = [PeriodKind.MONTH]
    if month.start.month % 3 == 0:
        ending.append(PeriodKind.QUARTER)
    if month.start.month == 12:
        ending.append(PeriodKind.YEAR)
    return ending


def overdue(found: list[Standing], month: Period) -> list[Standing]:
    """The requirements not met yet whose period ends with `month`."""
    ending = periods_ending_with(month)
    return [s for s in found if not s.met and s.requirement.period in ending]
