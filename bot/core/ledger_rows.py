"""The rows of the ledger's (台账) sheets, and the workbook built from them.

bot/core/ledger.py fills them from a snapshot (who was expected, present, on leave: see its
docstring); the service turns them into spreadsheet sheets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.core.domain import MemberStatus, Role
from bot.core.ledger_floating import REMOTE, FloatingRow
from bot.core.ledger_snapshot import OrgInfo
from bot.core.meetings import MeetingType
from bot.core.org_rows import OrgRow
from bot.core.periods import Period


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """One line of 会议台账."""

    org: str
    starts: datetime  # local wall-clock time, naive (a spreadsheet has no zones)
    weekday: str
    kind: str
    agenda: str
    place: str
    organiser: str
    expected: int
    present: int
    leave: tuple[tuple[str, str], ...]  # (name, reason)
    absent: tuple[str, ...]
    record: str
    away: tuple[
        tuple[str, str], ...
    ] = ()  # floating members: (name, 异地参加：where / 外出：place)

    @property
    def rate(self) -> float | None:
        """出勤率, 0-1; None with nobody expected. Floating members 异地参加 count as there,
        those 外出 are not expected in person (the organisation's rate counts the same)."""
        remote = sum(1 for _, where in self.away if where.startswith(REMOTE))
        expected = self.expected - (len(self.away) - remote)
        return (self.present + remote) / expected if expected else None


@dataclass(frozen=True, slots=True)
class TopicRow:
    """One line of 学习台账."""

    org: str
    title: str
    published: datetime
    deadline: datetime
    expected: int
    studied: int
    makeup: int
    quiz_average: float | None  # 0-100, of those who answered

    @property
    def rate(self) -> float | None:
        """完成率, 0-1."""
        return self.studied / self.expected if self.expected else None


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One line of 党员: a membership and its attendance and study."""

    org: str
    user_id: int
    name: str
    status: MemberStatus
    role: Role
    by_kind: dict[MeetingType, tuple[int, int]]  # attended, expected
    studied: int
    study_expected: int

    @property
    def attendance(self) -> float | None:
        """Meetings attended of those expected, 0-1."""
        attended = sum(a for a, _ in self.by_kind.values())
        expected = sum(e for _, e in self.by_kind.values())
        return attended / expected if expected else None

    @property
    def study_rate(self) -> float | None:
        """Topics studied of those expected, 0-1."""
        return self.studied / self.study_expected if self.study_expected else None


@dataclass(frozen=True, slots=True)
class Ledger:
    """The four sheets' rows (no 下级组织 rows for an organisation with none below)."""

    org: OrgInfo
    period: Period
    meetings: list[MeetingRow]
    topics: list[TopicRow]
    members: list[MemberRow]
    below: list[OrgRow]
    kinds: tuple[MeetingType, ...]  # meeting types held in the period, for 党员's columns
    floating: list[FloatingRow] = field(default_factory=list)  # the 流动党员 sheet

    @property
    def has_floating(self) -> bool:
        """Some member of the subtree was away in the period."""
        return bool(self.floating)

    @property
    def has_below(self) -> bool:
        """The organisation has organisations below it."""
        return bool(self.below)


@dataclass(frozen=True, slots=True)
class LedgerFile:
    """The workbook built, and the counts its caption tells."""

    org: str
    period: str  # its label: 2026年第4季度
    span: str  # its days: 2026-10-01至2026-12-31
    filename: str
    content: bytes
    meetings: int
    topics: int
    members: int
    below: int
    behind: int
