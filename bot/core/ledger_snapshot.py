"""What a ledger (台账) is computed from: a snapshot of the data, read at one moment.

Storage reads these in one read-only transaction (storage/repositories/ledger.py);
bot/core/ledger.py computes the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.domain import Domain, MemberStatus, OrgKind, Role
from bot.core.floating import Activity, Stay
from bot.core.meetings import MeetingType, Rsvp
from bot.core.periods import Period


@dataclass(frozen=True, slots=True)
class OrgInfo:
    """An organisation of the subtree."""

    id: int
    name: str
    kind: OrgKind
    parent_id: int | None
    domain: Domain = Domain.OTHER  # a 非公 党委 holds its monthly 党建例会


@dataclass(frozen=True, slots=True)
class Membership:
    """A person's membership of an organisation of the subtree (also one that ended)."""

    org_id: int
    user_id: int
    role: Role
    status: MemberStatus
    joined_at: datetime
    left_at: datetime | None

    def active_at(self, moment: datetime) -> bool:
        """A member at that moment."""
        return self.joined_at <= moment and (self.left_at is None or self.left_at > moment)


@dataclass(frozen=True, slots=True)
class MeetingInfo:
    """A meeting of the period that was not cancelled and has started."""

    id: int
    org_id: int
    kind: MeetingType
    starts_at: datetime
    place: str
    agenda: str
    organiser_id: int


@dataclass(frozen=True, slots=True)
class AnswerInfo:
    """One person's answer to one of those meetings."""

    meeting_id: int
    user_id: int
    rsvp: Rsvp
    reason: str | None
    checked_in: bool


@dataclass(frozen=True, slots=True)
class TopicInfo:
    """A study topic published in the period to organisations of the subtree (`reached`)."""

    id: int
    org_id: int
    title: str
    published_at: datetime
    deadline_at: datetime
    quiz_size: int
    reached: tuple[int, ...]


@dataclass
class Snapshot:
    """Everything a ledger is computed from, read at one moment."""

    root_id: int
    period: Period
    tz: ZoneInfo
    now: datetime
    orgs: list[OrgInfo]  # the root first, then the tree below it depth first
    members: list[Membership]
    names: dict[int, str]  # user id -> the name to show
    meetings: list[MeetingInfo]
    answers: list[AnswerInfo]
    topics: list[TopicInfo]
    studied: dict[tuple[int, int], bool]  # (topic, user) -> make-up
    quiz_correct: dict[tuple[int, int], int]  # (topic, user) -> correct answers
    records: dict[int, str] = field(default_factory=dict)  # meeting id -> record status
    # Meetings that took place: a check-in, or a manager's /meeting_held (meeting records).
    marked_held: frozenset[int] = frozenset()
    # Floating members (流动党员) of the subtree: their stays away, and what they did
    # elsewhere while away (credited at home as 异地参加).
    stays: list[Stay] = field(default_factory=list)
    away_activity: list[Activity] = field(default_factory=list)
