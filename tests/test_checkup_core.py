"""三会一课 rules without I/O: periods, requirements per organisation kind, warning days."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.checkup import (
    PeriodKind,
    alert_at,
    alert_day,
    overdue,
    period_of,
    periods_ending_with,
    requirements_for,
    standings,
)
from bot.core.domain import Domain, OrgKind
from bot.core.meetings import MeetingType

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("kind", "day", "start", "end", "key"),
    [
        (PeriodKind.MONTH, date(2026, 12, 25), date(2026, 12, 1), date(2027, 1, 1), "2026-12"),
        (PeriodKind.MONTH, date(2026, 2, 28), date(2026, 2, 1), date(2026, 3, 1), "2026-02"),
        (PeriodKind.QUARTER, date(2026, 11, 5), date(2026, 10, 1), date(2027, 1, 1), "2026Q4"),
        (PeriodKind.QUARTER, date(2026, 3, 31), date(2026, 1, 1), date(2026, 4, 1), "2026Q1"),
        (PeriodKind.QUARTER, date(2026, 4, 1), date(2026, 4, 1), date(2026, 7, 1), "2026Q2"),
        (PeriodKind.YEAR, date(2026, 6, 15), date(2026, 1, 1), date(2027, 1, 1), "2026"),
    ],
)
def test_periods(kind: PeriodKind, day: date, start: date, end: date, key: str) -> None:
    period = period_of(kind, day)
    assert (period.start, period.end, period.key) == (start, end, key)


def test_period_bounds_are_local_midnights() -> None:
    start, end = period_of(PeriodKind.QUARTER, date(2026, 12, 1)).bounds(SHANGHAI)
    assert start == datetime(2026, 9, 30, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)


def test_requirements_per_kind_follow_the_branch_regulation() -> None:
    branch = {(r.meeting, r.period) for r in requirements_for(OrgKind.BRANCH)}
    assert branch == {
        (MeetingType.ASSEMBLY, PeriodKind.QUARTER),
        (MeetingType.COMMITTEE, PeriodKind.MONTH),
        (MeetingType.LECTURE, PeriodKind.QUARTER),
        (MeetingType.THEMED_DAY, PeriodKind.MONTH),
        (MeetingType.LIFE_MEETING, PeriodKind.YEAR),
        (MeetingType.APPRAISAL, PeriodKind.YEAR),
    }
    # 党小组会 is counted per 党小组 (an organisation of its own in the tree).
    assert [(r.meeting, r.period) for r in requirements_for(OrgKind.GROUP)] == [
        (MeetingType.GROUP, PeriodKind.MONTH)
    ]
    assert requirements_for(OrgKind.COMMITTEE) == []
    assert requirements_for(OrgKind.GENERAL_BRANCH) == []


@pytest.mark.parametrize("domain", [d for d in Domain if d is not Domain.NON_PUBLIC])
def test_only_a_non_public_committee_holds_a_monthly_regular_meeting(domain: Domain) -> None:
    (regular,) = requirements_for(OrgKind.COMMITTEE, Domain.NON_PUBLIC)
    assert (regular.meeting, regular.period) == (MeetingType.REGULAR, PeriodKind.MONTH)
    assert requirements_for(OrgKind.COMMITTEE, domain) == []
    # A 非公 branch keeps the branch's six and adds nothing.
    assert len(requirements_for(OrgKind.BRANCH, Domain.NON_PUBLIC)) == 6
    assert requirements_for(OrgKind.GENERAL_BRANCH, Domain.NON_PUBLIC) == []


def test_a_non_public_committee_is_overdue_without_its_regular_meeting() -> None:
    december = period_of(PeriodKind.MONTH, date(2026, 12, 25))
    found = standings(OrgKind.COMMITTEE, {}, date(2026, 12, 25), Domain.NON_PUBLIC)
    assert [s.requirement.meeting for s in overdue(found, december)] == [MeetingType.REGULAR]
    held = {(PeriodKind.MONTH, MeetingType.REGULAR): 1}
    assert (
        overdue(
            standings(OrgKind.COMMITTEE, held, date(2026, 12, 25), Domain.NON_PUBLIC), december
        )
        == []
    )


def test_the_warning_day_and_days_left() -> None:
    december = period_of(PeriodKind.MONTH, date(2026, 12, 3))
    assert alert_day(december, 7) == date(2026, 12, 25)
    assert alert_at(december, 7, SHANGHAI) == datetime(2026, 12, 25, 9, tzinfo=SHANGHAI)
    quarter = period_of(PeriodKind.QUARTER, date(2026, 12, 25))
    assert quarter.days_left(date(2026, 12, 25)) == 7
    february = period_of(PeriodKind.MONTH, date(2026, 2, 1))
    assert alert_day(february, 28) == date(2026, 2, 1)


def test_which_periods_end_with_a_month() -> None:
    def ending(month: int) -> list[PeriodKind]:
        return periods_ending_with(period_of(PeriodKind.MONTH, date(2026, month, 1)))

    assert ending(11) == [PeriodKind.MONTH]
    assert ending(9) == [PeriodKind.MONTH, PeriodKind.QUARTER]
    assert ending(12) == [PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR]


def test_standings_and_what_is_overdue() -> None:
    held = {
        (PeriodKind.QUARTER, MeetingType.ASSEMBLY): 1,
        (PeriodKind.MONTH, MeetingType.COMMITTEE): 2,
        (PeriodKind.YEAR, MeetingType.COMMITTEE): 9,  # other periods do not count
    }
    found = standings(OrgKind.BRANCH, held, date(2026, 11, 23))
    met = {s.requirement.meeting for s in found if s.met}
    assert met == {MeetingType.ASSEMBLY, MeetingType.COMMITTEE}
    november = period_of(PeriodKind.MONTH, date(2026, 11, 23))
    assert [s.requirement.meeting for s in overdue(found, november)] == [MeetingType.THEMED_DAY]
    december = period_of(PeriodKind.MONTH, date(2026, 12, 25))
    found = standings(OrgKind.BRANCH, held, date(2026, 12, 25))
    assert {s.requirement.meeting for s in overdue(found, december)} == {
        MeetingType.LECTURE,
        MeetingType.THEMED_DAY,
        MeetingType.LIFE_MEETING,
        MeetingType.APPRAISAL,
    }
