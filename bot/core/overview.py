"""The dashboard's 概览 from counts the database made (GROUP BY), not from every answer.

A county's quarter has a hundred thousand answers; reading them into Python to count them
took two thirds of the 概览's time. The database counts per meeting what the ledger's rule of
who was expected (bot/core/ledger.py) needs, and `overview_rows` ends in the ledger's own
`org_row`, so the 概览, the XLSX and /checkup agree (tests/test_overview_counts.py checks
the two ways give the same rows).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.ledger_snapshot import OrgInfo
from bot.core.meetings import MIN_COMMITTEE, MeetingType
from bot.core.org_rows import OrgCounts, OrgRow, org_row
from bot.core.periods import Period


@dataclass(frozen=True, slots=True)
class MeetingCount:
    """One meeting of the period (started, not cancelled), as the database counted it."""

    org_id: int
    kind: MeetingType
    starts_at: datetime
    members: int  # members of its organisation at its start
    committee: int  # of those, the managers and the organiser
    outsiders: int  # who answered or checked in without being such a member
    off_committee: int  # who answered or checked in without being on the committee
    present: int  # who checked in
    marked_held: bool  # a manager's /meeting_held

    @property
    def expected(self) -> int:
        """应到 as the ledger counts it (bot.core.meetings.expected_roster): the committee
        for a 支委会 that has one, else every member; and everyone else who answered."""
        if self.kind is MeetingType.COMMITTEE and self.committee >= MIN_COMMITTEE:
            return self.committee + self.off_committee
        return self.members + self.outsiders

    @property
    def held(self) -> bool:
        """It took place: someone checked in, or a manager said so."""
        return self.present > 0 or self.marked_held


@dataclass(frozen=True, slots=True)
class OverviewCounts:
    """What the 概览 of one subtree over a period is computed from."""

    root_id: int
    period: Period
    tz: ZoneInfo
    now: datetime
    orgs: list[OrgInfo]  # the root first, then the tree below it depth first
    members: dict[int, int]  # org -> members now (joined before the period ended)
    meetings: list[MeetingCount]
    study: dict[int, tuple[int, int]]  # org -> (studied, expected) over its topics
    # What members away (流动党员) change, as the ledger counts them (bot/core/ledger.py's
    # away_changes): (org, user) -> (异地参加 present, 外出 not expected, 异地学习 studied).
    away: dict[tuple[int, int], tuple[int, int, int]] = field(default_factory=dict)


def overview_rows(counts: OverviewCounts) -> list[OrgRow]:
    """Every organisation's 下级组织 row, the root's included, in `counts.orgs` order."""
    attendance: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    held: dict[int, dict[MeetingType, list[date]]] = defaultdict(lambda: defaultdict(list))
    for meeting in counts.meetings:
        figures = attendance[meeting.org_id]
        figures[0] += meeting.present
        figures[1] += meeting.expected
        if meeting.held:
            day = meeting.starts_at.astimezone(counts.tz).date()
            held[meeting.org_id][meeting.kind].append(day)
    away: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (org_id, _), change in counts.away.items():
        away[org_id] = [a + b for a, b in zip(away[org_id], change, strict=True)]
    by_id = {org.id: org for org in counts.orgs}
    rows = []
    for org in counts.orgs:
        present, expected = attendance.get(org.id, (0, 0))
        studied, due = counts.study.get(org.id, (0, 0))
        remote, missed, elsewhere = away.get(org.id, (0, 0, 0))
        own = OrgCounts(
            counts.members.get(org.id, 0),
            (present + remote, expected - missed),
            (studied + elsewhere, due),
        )
        rows.append(org_row(counts, org, by_id, own, held.get(org.id, {})))
    return rows


def data_version(counts: OverviewCounts) -> str:
    """A digest of every count the subtree's figures over the period come from, and of the
    local day (a window that ended today turns "behind"): equal digests give equal 概览
    rows and equal /report charts, which are drawn from the same counts; a check-in, a
    meeting held or cancelled, a member joining or leaving, a topic studied or an
    organisation renamed or moved changes it, and so does a member's stay away that changes
    an organisation's counts."""
    meetings = sorted(
        (m.starts_at.isoformat(), m.org_id, m.kind.value, m.expected, m.present, m.held)
        for m in counts.meetings
    )
    parts = (
        counts.root_id,
        counts.period.first.isoformat(),
        counts.period.last.isoformat(),
        counts.now.astimezone(counts.tz).date().isoformat(),
        [(o.id, o.name, o.kind.value, o.parent_id) for o in counts.orgs],
        sorted(counts.members.items()),
        meetings,
        sorted(counts.study.items()),
        sorted(counts.away.items()),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()
