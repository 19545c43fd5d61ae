"""Floating members (流动党员) in the ledger (台账): a home meeting held while a member was
away lists them as 异地参加 (they took part elsewhere that month) or 外出 (with the place),
never as 缺席; and the 流动党员 sheet lists what they did elsewhere while away."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.floating import Activity, Stay, same_month
from bot.core.ledger_snapshot import MeetingInfo, Snapshot

REMOTE = "异地参加"
AWAY = "外出"


@dataclass(frozen=True, slots=True)
class FloatingRow:
    """One line of the 流动党员 sheet: a stay away, and one thing done elsewhere (or none)."""

    org: str  # 流出地
    name: str
    place: str
    since: date
    ended: datetime | None  # local, naive
    at: datetime | None  # local, naive
    where: str  # the organisation it was done in
    what: str  # 支委会 签到 / 学习：topic


class AwayBook:
    """Who of the subtree was away when, and what they did elsewhere meanwhile."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self.stays: dict[tuple[int, int], list[Stay]] = defaultdict(list)
        for stay in snap.stays:
            self.stays[(stay.org_id, stay.user_id)].append(stay)
        self.done: dict[int, list[Activity]] = defaultdict(list)
        for activity in snap.away_activity:
            self.done[activity.user_id].append(activity)

    def stay_at(self, meeting: MeetingInfo, user_id: int) -> Stay | None:
        """The member's stay away from the meeting's organisation when it started."""
        for stay in self.stays.get((meeting.org_id, user_id), ()):
            if stay.covers(meeting.starts_at, self.snap.tz):
                return stay
        return None

    def state(self, meeting: MeetingInfo, user_id: int) -> tuple[str, str] | None:
        """(异地参加, where) or (外出, the place) for a member away at the meeting's start who
        did not check in at it; None for everyone else."""
        stay = self.stay_at(meeting, user_id)
        if stay is None:
            return None
        tz = self.snap.tz
        for activity in self.done.get(user_id, ()):
            if activity.meeting and same_month(activity.at, meeting.starts_at, tz):
                return REMOTE, activity.org
        return AWAY, stay.place

    def studied_elsewhere(self, org_id: int, user_id: int, published: datetime) -> bool:
        """A member away from `org_id` when a topic came out studied elsewhere that month
        (异地学习: it counts at home)."""
        tz = self.snap.tz
        if not any(s.covers(published, tz) for s in self.stays.get((org_id, user_id), ())):
            return False
        return any(
            not a.meeting and a.org_id != org_id and same_month(a.at, published, tz)
            for a in self.done.get(user_id, ())
        )

    def rows(self, names: dict[int, str], orgs: dict[int, str]) -> list[FloatingRow]:
        """The 流动党员 sheet: each stay of the period with what was done meanwhile."""
        tz, found = self.snap.tz, []
        start, end = self.snap.period.bounds(tz)
        for stay in self.snap.stays:
            if stay.begins(tz) >= end or (stay.ended_at is not None and stay.ended_at < start):
                continue
            name = names.get(stay.user_id) or str(stay.user_id)
            ended = stay.ended_at.astimezone(tz).replace(tzinfo=None) if stay.ended_at else None
            done = [
                a
                for a in self.done.get(stay.user_id, ())
                if a.org_id != stay.org_id and stay.covers(a.at, tz)
            ]
            base = (orgs.get(stay.org_id, ""), name, stay.place, stay.since, ended)
            if not done:
                found.append(FloatingRow(*base, None, "", ""))
            for activity in done:
                what = (
                    f"{activity.title} {REMOTE}" if activity.meeting else f"学习：{activity.title}"
                )
                at = activity.at.astimezone(tz).replace(tzinfo=None)
                found.append(FloatingRow(*base, at, activity.org, what))
        return found
