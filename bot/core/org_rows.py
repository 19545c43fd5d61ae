"""One line of 下级组织 (an organisation's 三会一课 standing, attendance and study), from
its counts: the ledger (bot/core/ledger.py) counts them from a snapshot's rows, the dashboard's
概览 (bot/core/overview.py) from the database's aggregates; both end here, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.domain import OrgKind
from bot.core.ledger_snapshot import OrgInfo
from bot.core.meetings import MeetingType
from bot.core.periods import Period
from bot.core.requirements import RULE_KINDS, Standing, rules_for, standing, windows


def ratio(numerator: int, denominator: int) -> float | None:
    """numerator / denominator, None for nothing to divide by."""
    return numerator / denominator if denominator else None


@dataclass(frozen=True, slots=True)
class OrgRow:
    """One line of 下级组织."""

    name: str
    parent: str
    kind: OrgKind
    members: int
    standings: dict[MeetingType, Standing | None]
    attendance: float | None
    study_rate: float | None

    @property
    def behind(self) -> bool:
        """Some requirement went unmet in a window that has ended."""
        return any(s is not None and s.behind for s in self.standings.values())


@dataclass(frozen=True, slots=True)
class OrgCounts:
    """An organisation's own figures over the period: members now, (present, expected) at
    its meetings, (studied, expected) of its topics."""

    members: int
    attendance: tuple[int, int]
    study: tuple[int, int]


class PeriodAt(Protocol):
    """The period a row covers, its zone, and the moment it is read at."""

    @property
    def period(self) -> Period: ...
    @property
    def tz(self) -> ZoneInfo: ...
    @property
    def now(self) -> datetime: ...


def org_row(
    at: PeriodAt,
    org: OrgInfo,
    orgs: dict[int, OrgInfo],
    counts: OrgCounts,
    held_days: dict[MeetingType, list[date]],
) -> OrgRow:
    """One line of 下级组织 from the organisation's counts and the local days its meetings
    took place (the ledger's and the dashboard's 概览's one rule)."""
    standings: dict[MeetingType, Standing | None] = dict.fromkeys(RULE_KINDS)
    for rule in rules_for(org.kind, org.domain):
        days = [held_days.get(rule.meeting, [])]
        spans = windows(at.period, rule.period)
        standings[rule.meeting] = standing(days, spans, at.now, at.tz)
    return OrgRow(
        name=org.name,
        parent=orgs[org.parent_id].name if org.parent_id in orgs else "",
        kind=org.kind,
        members=counts.members,
        standings=standings,
        attendance=ratio(*counts.attendance),
        study_rate=ratio(*counts.study),
    )
