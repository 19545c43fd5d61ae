"""The ledger's one pass over a snapshot: each meeting's and topic's row, and the counts
the other sheets need (per member, per organisation, what a stay away changed).

Who counts as expected, present, on leave or absent is bot/core/ledger.py's rule; this is
where it is applied, so the ledger, the dashboard's 概览 and a member's page agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from bot.core.ledger_floating import REMOTE, AwayBook
from bot.core.ledger_rows import MeetingRow, MemberRow, TopicRow
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
from bot.core.timeparse import WEEKDAY_NAMES


class LedgerCounter:
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
        """The member's name, or their id when the snapshot has none."""
        return self.snap.names.get(user_id) or str(user_id)

    def expected(self, meeting: MeetingInfo) -> list[int]:
        """Who was expected (应到) at the meeting, by the rule in bot/core/ledger.py."""
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
        """The meeting's 会议台账 line, counting its attendance per member and organisation."""
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
        """The topic's 学习台账 line, counting its study per member and organisation."""
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
        """The 党员 lines from the counts (after every meeting and topic row)."""
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
        """The 下级组织 lines: every organisation below the root."""
        _, end = self.snap.period.bounds(self.snap.tz)
        return [self.org_row(org, end) for org in self.snap.orgs[1:]]

    def org_counts(self, org: OrgInfo, end: datetime) -> OrgCounts:
        """The organisation's members at the end, attendance and study counted."""
        members = sum(1 for m in self.roster[org.id] if m.joined_at < end and m.left_at is None)
        attendance = self.org_attendance.get(org.id, [0, 0])
        study = self.org_study.get(org.id, [0, 0])
        return OrgCounts(members, (attendance[0], attendance[1]), (study[0], study[1]))

    def org_row(self, org: OrgInfo, end: datetime) -> OrgRow:
        """The organisation's 下级组织 line from its counts."""
        counts = self.org_counts(org, end)
        return org_row(self.snap, org, self.orgs, counts, self.held_days.get(org.id, {}))
