"""One member's page of the ledger: the meetings they were expected at and what became of
each (签到, 请假 with the reason, 缺席), and the topics they were to study, by the ledger's
own rules of who was expected (bot/core/ledger.py). The dashboard's page of a member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.ledger_count import LedgerCounter
from bot.core.ledger_snapshot import Snapshot
from bot.core.meetings import Rsvp


@dataclass(frozen=True, slots=True)
class MemberMeeting:
    """A meeting a member was expected at, and what became of it."""

    org: str
    starts: datetime  # local, naive
    kind: str
    agenda: str
    state: str  # 签到 / 请假 / 缺席 / 异地参加 / 外出
    reason: str  # the reason given for leave; where, for 异地参加 and 外出


@dataclass(frozen=True, slots=True)
class MemberStudy:
    """A topic a member was expected to study."""

    org: str
    title: str
    published: datetime  # local, naive
    studied: bool
    makeup: bool
    quiz: float | None  # 0-100, when they answered the quiz


def member_history(snap: Snapshot, user_id: int) -> tuple[list[MemberMeeting], list[MemberStudy]]:
    """One person's meetings and topics over the snapshot, by the ledger's own rules of who
    was expected (the dashboard's page of a member)."""
    build = LedgerCounter(snap)
    meetings = []
    for meeting in sorted(snap.meetings, key=lambda m: (m.starts_at, m.id), reverse=True):
        if user_id not in build.expected(meeting):
            continue
        answer = next((a for a in build.answers[meeting.id] if a.user_id == user_id), None)
        state, reason = "缺席", ""
        elsewhere = build.away.state(meeting, user_id)
        if answer is not None and answer.checked_in:
            state = "签到"
        elif elsewhere is not None:  # a floating member away: 异地参加 / 外出, never 缺席
            state, reason = elsewhere
        elif answer is not None and answer.rsvp is Rsvp.LEAVE:
            state, reason = "请假", answer.reason or ""
        meetings.append(
            MemberMeeting(
                org=build.orgs[meeting.org_id].name,
                starts=meeting.starts_at.astimezone(snap.tz).replace(tzinfo=None),
                kind=meeting.kind.label,
                agenda=meeting.agenda,
                state=state,
                reason=reason,
            )
        )
    return meetings, _member_topics(build, user_id)


def _member_topics(build: LedgerCounter, user_id: int) -> list[MemberStudy]:
    snap, found = build.snap, []
    for topic in sorted(snap.topics, key=lambda t: (t.published_at, t.id), reverse=True):
        expected = any(
            m.user_id == user_id
            and m.joined_at <= topic.deadline_at
            and (m.left_at is None or m.left_at > topic.published_at)
            for org_id in topic.reached
            for m in build.roster[org_id]
        )
        if not expected:
            continue
        correct = snap.quiz_correct.get((topic.id, user_id))
        found.append(
            MemberStudy(
                org=build.orgs[topic.org_id].name if topic.org_id in build.orgs else "",
                title=topic.title,
                published=topic.published_at.astimezone(snap.tz).replace(tzinfo=None),
                studied=(topic.id, user_id) in snap.studied,
                makeup=snap.studied.get((topic.id, user_id), False),
                quiz=correct * 100 / topic.quiz_size
                if topic.quiz_size and correct is not None
                else None,
            )
        )
    return found
