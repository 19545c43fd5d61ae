"""What the /report charts show, computed from a ledger's snapshot: plain values, no drawing.

Two charts: the attendance rate (checked in of expected) of each meeting the organisation
itself held in the period, over time; and, for an organisation with organisations below
it, one pair of bars per organisation directly below: its 三会一课 completion (windows met
of those the period requires, summed over it and everything below it, as the ledger's
下级组织 sheet counts them) and its study completion (members who studied of those a
topic reached). The numbers are the ledger's, so a chart never disagrees with the 台账.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from bot.core.ledger_rows import Ledger
from bot.core.ledger_snapshot import Snapshot
from bot.core.meetings import MeetingType

# Organisations per page of the completion chart, and pages at most (the rest are named
# in the caption and are all in the ledger).
ORGS_PER_PAGE = 10
MAX_PAGES = 5


@dataclass(frozen=True, slots=True)
class MeetingPoint:
    """One meeting of the organisation: when (local, naive), what, attendance."""

    starts: datetime
    kind: MeetingType
    present: int
    expected: int

    @property
    def rate(self) -> float | None:
        """Checked in of expected, 0-1; None with nobody expected."""
        return self.present / self.expected if self.expected else None


@dataclass(frozen=True, slots=True)
class OrgBar:
    """An organisation directly below: 三会一课 and study completion of its whole subtree."""

    name: str
    held: int
    required: int
    studied: int
    study_expected: int

    @property
    def meetings_rate(self) -> float | None:
        """三会一课 windows met of those required, 0-1; None where nothing is required."""
        return self.held / self.required if self.required else None

    @property
    def study_rate(self) -> float | None:
        """Studied of expected, 0-1; None where no topic reached it."""
        return self.studied / self.study_expected if self.study_expected else None


@dataclass(frozen=True, slots=True)
class ReportData:
    """Both charts' data for one organisation and period."""

    org: str
    period: str  # 2026年第4季度
    span: str  # 2026-10-01至2026-12-31
    first: datetime  # the period's first moment, local and naive (the time axis)
    last: datetime  # its last day's end
    meetings: list[MeetingPoint]
    below: list[OrgBar]  # lowest completion first: whom to chase
    has_below: bool

    @property
    def below_pages(self) -> list[list[OrgBar]]:
        """The completion chart's pages (ORGS_PER_PAGE each, MAX_PAGES at most)."""
        rows = self.below[: ORGS_PER_PAGE * MAX_PAGES]
        return [rows[i : i + ORGS_PER_PAGE] for i in range(0, len(rows), ORGS_PER_PAGE)]

    @property
    def below_left_out(self) -> int:
        """Organisations below that no page shows."""
        return max(0, len(self.below) - ORGS_PER_PAGE * MAX_PAGES)


def _study_counts(snap: Snapshot) -> dict[int, list[int]]:
    """Per organisation: [studied, expected] over the topics that reached it (the ledger's
    rule: members during the topic's time, from publication to deadline)."""
    roster = defaultdict(list)
    for member in snap.members:
        roster[member.org_id].append(member)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for topic in snap.topics:
        for org_id in topic.reached:
            for m in roster[org_id]:
                if m.joined_at > topic.deadline_at:
                    continue
                if m.left_at is not None and m.left_at <= topic.published_at:
                    continue
                counts[org_id][0] += (topic.id, m.user_id) in snap.studied
                counts[org_id][1] += 1
    return counts


def _subtrees(snap: Snapshot) -> dict[int, list[int]]:
    """Each organisation directly below the root -> it and everything below it."""
    children = defaultdict(list)
    for org in snap.orgs:
        if org.parent_id is not None:
            children[org.parent_id].append(org.id)
    found = {}
    for top in children[snap.root_id]:
        ids, stack = [], [top]
        while stack:
            current = stack.pop()
            ids.append(current)
            stack.extend(children[current])
        found[top] = ids
    return found


def _org_bars(snap: Snapshot, ledger: Ledger) -> list[OrgBar]:
    names = {org.id: org.name for org in snap.orgs}
    rows = {row.name: row for row in ledger.below}
    study = _study_counts(snap)
    bars = []
    for top, ids in _subtrees(snap).items():
        held = required = studied = expected = 0
        for org_id in ids:
            row = rows.get(names[org_id])  # each 党小组 its 党小组会, each branch the rest
            for standing in row.standings.values() if row else ():
                if standing is not None:
                    held, required = held + standing.held, required + standing.required
            done, due = study.get(org_id, (0, 0))
            studied, expected = studied + done, expected + due
        bars.append(OrgBar(names[top], held, required, studied, expected))
    return sorted(bars, key=lambda b: (_sort_rate(b.meetings_rate), _sort_rate(b.study_rate)))


def _sort_rate(rate: float | None) -> float:
    return 2.0 if rate is None else rate  # nothing required: last


def report_data(snap: Snapshot, ledger: Ledger) -> ReportData:
    """The charts' data from the snapshot and the ledger computed from it."""
    root = ledger.org.name
    meetings = [
        MeetingPoint(
            row.starts,
            MeetingType.from_label(row.kind) or MeetingType.OTHER,
            row.present,
            row.expected,
        )
        for row in ledger.meetings
        if row.org == root
    ]
    start, end = snap.period.bounds(snap.tz)
    return ReportData(
        org=root,
        period=snap.period.label,
        span=snap.period.span_text,
        first=start.astimezone(snap.tz).replace(tzinfo=None),
        last=end.astimezone(snap.tz).replace(tzinfo=None),
        meetings=meetings,
        below=_org_bars(snap, ledger),
        has_below=any(org.parent_id == snap.root_id for org in snap.orgs),
    )


@dataclass(frozen=True, slots=True)
class ChartImage:
    """One rendered chart: a PNG, its size in pixels, and the warnings drawing it raised
    (a missing glyph among them would be a bug: the labels are checked against the font)."""

    filename: str
    content: bytes
    width: int
    height: int
    caption: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportCharts:
    """What /report sends: the charts, in order."""

    org: str
    period: str
    charts: list[ChartImage]
