"""The ledger (台账) of an organisation over a period, computed from a snapshot of the data.

Plain values in (what storage read in one read-only transaction), plain rows out; the
service turns the rows into spreadsheet sheets. An organisation's ledger covers it and
every organisation below it: a township 党委's lists every branch's meetings, and sums up
each branch on a sheet of its own.

Who was expected (应到) at a meeting: the members of its organisation at its start (joined
before it, not left by then) - for a 支委会 the committee, as the notice counts them - and
anyone else who answered or checked in. Present (实到) is who checked in; 请假 those on
leave who did not come anyway; 缺席 everyone else expected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.core.domain import MemberStatus, Role
from bot.core.ledger_floating import REMOTE, AwayBook, FloatingRow
from bot.core.ledger_snapshot import (
    AnswerInfo,
    MeetingInfo,
    Membership,
    OrgInfo,
    Snapshot,
    TopicInfo,
)
from bot.core.meetings import Attendee, MeetingType, Rsvp, expected_roster
from bot.core.org_rows import OrgCounts, OrgRow, org_row
from bot.core.periods import Period
from bot.core.timeparse import WEEKDAY_NAMES


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


class _Build:
    """One pass over the snapshot, keeping the counts each sheet needs."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self.orgs = {org.id: org for org in snap.orgs}
        self.roster: dict[int, list[Membership]] = defaultdict(list)
        for member in snap.members:
            self.roster[member.org_id].append(member)
        self.answers: dict[int, list[AnswerInfo]] = defaultdict(list)
        for answer in snap.answers:
            self.answers[answer.meeting_id].append(answer)
        # (org, user, kind) -> [attended, expected]
        self.attended: dict[tuple[int, int, MeetingType], list[int]] = defaultdict(lambda: [0, 0])
        self.org_attendance: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        # org -> type -> the local days its meetings of that type took place
        self.held_days: dict[int, dict[MeetingType, list[date]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.study: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
        self.org_study: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        self.away = AwayBook(snap)
        # (org, user) -> what a stay away changed: [异地参加 meetings (present), 外出
        # meetings (not expected), topics studied elsewhere (异地学习)]
        self.away_change: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])

    def name(self, user_id: int) -> str:
        return self.snap.names.get(user_id) or str(user_id)

    def expected(self, meeting: MeetingInfo) -> list[int]:
        at = meeting.starts_at
        members = [m for m in self.roster[meeting.org_id] if m.active_at(at)]
        if meeting.kind is MeetingType.COMMITTEE:  # the committee, as the notice counts it
            people = [Attendee(m.user_id, "", is_manager=m.role.is_manager) for m in members]
            roster = expected_roster(meeting.kind, people, meeting.organiser_id)
            ids = [person.user_id for person in roster]
        else:
            ids = [m.user_id for m in members]
        known = set(ids)
        for answer in self.answers[meeting.id]:
            came = answer.rsvp is not Rsvp.NONE or answer.checked_in
            if came and answer.user_id not in known:
                ids.append(answer.user_id)
                known.add(answer.user_id)
        return ids

    def meeting_row(self, meeting: MeetingInfo) -> MeetingRow:
        snap = self.snap
        by_user = {a.user_id: a for a in self.answers[meeting.id]}
        expected = self.expected(meeting)
        present, leave, absent, away, remote = [], [], [], [], 0
        for user_id in expected:
            answer = by_user.get(user_id)
            counts = self.attended[(meeting.org_id, user_id, meeting.kind)]
            counts[1] += 1
            elsewhere = None if answer and answer.checked_in else self.away.state(meeting, user_id)
            if answer is not None and answer.checked_in:
                present.append(user_id)
                counts[0] += 1
            elif elsewhere is not None:  # a floating member: never 缺席 while away
                away.append((self.name(user_id), "：".join(elsewhere)))
                remote += elsewhere[0] == REMOTE
                counts[0] += elsewhere[0] == REMOTE
                counts[1] -= elsewhere[0] != REMOTE  # 外出: not expected in person
                change = self.away_change[(meeting.org_id, user_id)]
                change[0 if elsewhere[0] == REMOTE else 1] += 1
            elif answer is not None and answer.rsvp is Rsvp.LEAVE:
                leave.append((self.name(user_id), answer.reason or ""))
            else:
                absent.append(self.name(user_id))
        org_counts = self.org_attendance[meeting.org_id]
        org_counts[0] += len(present) + remote
        org_counts[1] += len(expected) - (len(away) - remote)
        local = meeting.starts_at.astimezone(snap.tz)
        if present or meeting.id in snap.marked_held:
            self.held_days[meeting.org_id][meeting.kind].append(local.date())
        return MeetingRow(
            org=self.orgs[meeting.org_id].name,
            starts=local.replace(tzinfo=None),
            weekday=f"周{WEEKDAY_NAMES[local.weekday()]}",
            kind=meeting.kind.label,
            agenda=meeting.agenda,
            place=meeting.place,
            organiser=self.name(meeting.organiser_id),
            expected=len(expected),
            present=len(present),
            leave=tuple(leave),
            absent=tuple(absent),
            record=snap.records.get(meeting.id, ""),
            away=tuple(away),
        )

    def topic_row(self, topic: TopicInfo) -> TopicRow:
        snap = self.snap
        expected: set[int] = set()
        elsewhere: set[int] = set()  # floating members who studied elsewhere (异地学习)
        for org_id in topic.reached:
            ids = {
                m.user_id
                for m in self.roster[org_id]
                if m.joined_at <= topic.deadline_at
                and (m.left_at is None or m.left_at > topic.published_at)
            }
            org_counts = self.org_study[org_id]
            org_counts[1] += len(ids)
            for user_id in ids:
                done = (topic.id, user_id) in snap.studied or self.away.studied_elsewhere(
                    org_id, user_id, topic.published_at
                )
                if done and (topic.id, user_id) not in snap.studied:
                    elsewhere.add(user_id)
                    self.away_change[(org_id, user_id)][2] += 1
                counts = self.study[(org_id, user_id)]
                counts[0] += done
                counts[1] += 1
                org_counts[0] += done
            expected |= ids
        studied = [u for u in expected if (topic.id, u) in snap.studied or u in elsewhere]
        makeup = sum(1 for u in studied if snap.studied.get((topic.id, u), False))
        scores = [
            snap.quiz_correct[(topic.id, u)] * 100 / topic.quiz_size
            for u in expected
            if topic.quiz_size and (topic.id, u) in snap.quiz_correct
        ]
        tz = snap.tz
        return TopicRow(
            org=self.orgs[topic.org_id].name if topic.org_id in self.orgs else "",
            title=topic.title,
            published=topic.published_at.astimezone(tz).replace(tzinfo=None),
            deadline=topic.deadline_at.astimezone(tz).replace(tzinfo=None),
            expected=len(expected),
            studied=len(studied),
            makeup=makeup,
            quiz_average=sum(scores) / len(scores) if scores else None,
        )

    def member_rows(self, kinds: Iterable[MeetingType]) -> list[MemberRow]:
        start, end = self.snap.period.bounds(self.snap.tz)
        rows = []
        for org in self.snap.orgs:
            for m in self.roster[org.id]:
                if m.joined_at >= end or (m.left_at is not None and m.left_at < start):
                    continue
                by_kind = {}
                for kind in kinds:
                    attended, expected = self.attended.get((org.id, m.user_id, kind), (0, 0))
                    by_kind[kind] = (attended, expected)
                studied, study_expected = self.study.get((org.id, m.user_id), (0, 0))
                name = self.name(m.user_id)
                rows.append(
                    MemberRow(
                        org.name,
                        m.user_id,
                        name,
                        m.status,
                        m.role,
                        by_kind,
                        studied,
                        study_expected,
                    )
                )
        return rows

    def org_rows(self) -> list[OrgRow]:
        _, end = self.snap.period.bounds(self.snap.tz)
        return [self.org_row(org, end) for org in self.snap.orgs[1:]]

    def org_counts(self, org: OrgInfo, end: datetime) -> OrgCounts:
        members = sum(1 for m in self.roster[org.id] if m.joined_at < end and m.left_at is None)
        attendance = self.org_attendance.get(org.id, [0, 0])
        study = self.org_study.get(org.id, [0, 0])
        return OrgCounts(members, (attendance[0], attendance[1]), (study[0], study[1]))

    def org_row(self, org: OrgInfo, end: datetime) -> OrgRow:
        counts = self.org_counts(org, end)
        return org_row(self.snap, org, self.orgs, counts, self.held_days.get(org.id, {}))


def build_ledger(snap: Snapshot) -> Ledger:
    """Every sheet's rows from the snapshot (meetings and topics in time order)."""
    build = _Build(snap)
    meetings = sorted(snap.meetings, key=lambda m: (m.starts_at, m.id))
    meeting_rows = [build.meeting_row(m) for m in meetings]
    topics = sorted(snap.topics, key=lambda t: (t.published_at, t.id))
    topic_rows = [build.topic_row(t) for t in topics]
    kinds = tuple(kind for kind in MeetingType if any(m.kind is kind for m in meetings))
    root = build.orgs[snap.root_id]
    return Ledger(
        org=root,
        period=snap.period,
        meetings=meeting_rows,
        topics=topic_rows,
        members=build.member_rows(kinds),
        below=build.org_rows(),
        kinds=kinds,
        floating=build.away.rows(snap.names, {org.id: org.name for org in snap.orgs}),
    )


def _counted(snap: Snapshot) -> _Build:
    build = _Build(snap)
    for meeting in snap.meetings:
        build.meeting_row(meeting)
    for topic in snap.topics:
        build.topic_row(topic)
    return build


def org_statuses(snap: Snapshot) -> list[OrgRow]:
    """Every organisation's 下级组织 row, the root's included (the dashboard's 概览): the
    ledger's own counts, so the two never disagree."""
    build = _counted(snap)
    _, end = snap.period.bounds(snap.tz)
    return [build.org_row(org, end) for org in snap.orgs]


def away_changes(snap: Snapshot) -> dict[tuple[int, int], tuple[int, int, int]]:
    """(organisation, member) -> what their stays away change in the ledger's counts: home
    meetings taken part in elsewhere (异地参加: present), home meetings missed while away
    (外出: not expected), topics studied elsewhere (异地学习: studied). Exact on a snapshot
    holding only the away members' answers, study and memberships, and the managers' and
    organisers' (who make a 支委会's roster): nobody else's state depends on a stay."""
    return {key: (a, b, c) for key, (a, b, c) in _counted(snap).away_change.items()}
