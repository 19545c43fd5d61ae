"""三会一课 rules without I/O: meeting types, answers, tallies, quorum, reminder times.

Everything here takes and returns plain values; services feed it what the database holds
and the clock says, and render the results (bot/services/meeting_views.py, with the
sentences of bot/texts/meetings.py).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Self
from zoneinfo import ZoneInfo

from bot.core.timeparse import WEEKDAY_NAMES

# Check-in is accepted from 30 minutes before to 60 minutes after the start.
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)
CHECKIN_CLOSES_AFTER = timedelta(minutes=60)
# A live notice is edited at most once per slot (edits share the group's 20 per minute).
REFRESH_SLOT = timedelta(seconds=10)
# A 支部党员大会 is checked for quorum this long before it starts.
QUORUM_LEAD = timedelta(hours=24)
# A 支委会 expects its committee only when at least this many people are on it (else all).
MIN_COMMITTEE = 2
# A series is materialised this far ahead; its notices go out this long before each start.
SERIES_HORIZON = timedelta(days=60)
SERIES_NOTICE_LEAD = timedelta(days=7)


class MeetingType(StrEnum):
    """The kinds of organisational life a meeting can be (glossary.md)."""

    ASSEMBLY = "assembly"
    COMMITTEE = "committee"
    GROUP = "group"
    LECTURE = "lecture"
    THEMED_DAY = "themed_day"
    LIFE_MEETING = "life_meeting"
    APPRAISAL = "appraisal"
    REGULAR = "regular"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The Chinese name users see."""
        return _TYPE_LABELS[self]

    @classmethod
    def from_label(cls, text: str) -> Self | None:
        """The type named by `text` (its label or a common short form), else None."""
        text = text.strip()
        for member in cls:
            if text == member.label or text in _TYPE_ALIASES.get(member, ()):
                return member
        return None

    @classmethod
    def labels(cls) -> str:
        """Every label, for usage messages."""
        return "、".join(member.label for member in cls)


_TYPE_LABELS = {
    MeetingType.ASSEMBLY: "支部党员大会",
    MeetingType.COMMITTEE: "支委会",
    MeetingType.GROUP: "党小组会",
    MeetingType.LECTURE: "党课",
    MeetingType.THEMED_DAY: "主题党日",
    MeetingType.LIFE_MEETING: "组织生活会",
    MeetingType.APPRAISAL: "民主评议党员",
    MeetingType.REGULAR: "党建例会",
    MeetingType.OTHER: "其他",
}
_TYPE_ALIASES = {
    MeetingType.ASSEMBLY: ("党员大会", "支部大会"),
    MeetingType.COMMITTEE: ("支部委员会", "支部委员会会议", "支委会议"),
    MeetingType.GROUP: ("小组会",),
    MeetingType.THEMED_DAY: ("主题党日活动",),
    MeetingType.APPRAISAL: ("民主评议",),
    MeetingType.REGULAR: ("例会",),
}


class Rsvp(StrEnum):
    """A member's answer to a notice."""

    YES = "yes"
    LEAVE = "leave"
    NONE = "none"

    @property
    def label(self) -> str:
        """参加 / 请假 / 未回复."""
        return {"yes": "参加", "leave": "请假", "none": "未回复"}[self.value]


class MeetingStatus(StrEnum):
    """Whether a meeting is still on."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Attendee:
    """One person who may come, as the rules need them."""

    user_id: int
    name: str
    username: str | None = None
    can_dm: bool = False
    can_vote: bool = False
    is_manager: bool = False


@dataclass(frozen=True, slots=True)
class Answer:
    """What one person said (and whether they checked in)."""

    user_id: int
    rsvp: Rsvp
    reason: str | None = None
    checked_in: bool = False


@dataclass(frozen=True, slots=True)
class Tally:
    """Who said what; every expected person is in exactly one of the three lists."""

    yes: list[Attendee]
    leave: list[tuple[Attendee, str | None]]
    none: list[Attendee]
    checked_in: list[Attendee]
    # Floating members away who have not answered: 外出 (with the place), not 未回复.
    away: list[tuple[Attendee, str]] = field(default_factory=list)

    @property
    def expected(self) -> int:
        """应到: everyone on the list."""
        return len(self.yes) + len(self.leave) + len(self.none)


def expected_roster(
    kind: MeetingType, members: list[Attendee], organiser_id: int | None = None
) -> list[Attendee]:
    """Who is expected: the committee (and organiser) for a 支委会, the whole roster otherwise.

    A committee of fewer than two known people means the posts were never recorded
    (/role); then everyone is expected rather than nobody being reminded.
    """
    if kind is not MeetingType.COMMITTEE:
        return list(members)
    committee = [m for m in members if m.is_manager or m.user_id == organiser_id]
    return committee if len(committee) >= MIN_COMMITTEE else list(members)


def set_away(counted: Tally, away: dict[int, str]) -> Tally:
    """Members away (user id -> place) who have not answered are 外出, not 未回复: nobody
    reminds them to come in person."""
    gone = [(person, away[person.user_id]) for person in counted.none if person.user_id in away]
    if not gone:
        return counted
    none = [person for person in counted.none if person.user_id not in away]
    return Tally(counted.yes, counted.leave, none, counted.checked_in, gone)


def tally(roster: list[Attendee], answers: list[Answer], others: list[Attendee]) -> Tally:
    """Sort the roster by answer; people who answered but are not on it (`others`) count too."""
    by_user = {answer.user_id: answer for answer in answers}
    known = {person.user_id for person in roster}
    people = roster + [p for p in others if p.user_id not in known and p.user_id in by_user]
    yes, leave, none, checked_in = [], [], [], []
    for person in people:
        answer = by_user.get(person.user_id)
        rsvp = answer.rsvp if answer else Rsvp.NONE
        if rsvp is Rsvp.YES:
            yes.append(person)
        elif rsvp is Rsvp.LEAVE:
            leave.append((person, answer.reason if answer else None))
        else:
            none.append(person)
        if answer is not None and answer.checked_in:
            checked_in.append(person)
    return Tally(yes=yes, leave=leave, none=none, checked_in=checked_in)


@dataclass(frozen=True, slots=True)
class Quorum:
    """Voting members expected versus all voting members of the branch."""

    voters: int
    attending_voters: int

    @property
    def at_risk(self) -> bool:
        """True when the expected turnout is not more than half (a vote would not count)."""
        return self.attending_voters * 2 <= self.voters


def quorum(members: list[Attendee], tally_: Tally) -> Quorum:
    """Count 参加 among full members against all full members (预备党员 have no vote)."""
    voters = {member.user_id for member in members if member.can_vote}
    attending = sum(1 for person in tally_.yes if person.user_id in voters)
    return Quorum(voters=len(voters), attending_voters=attending)


def reminder_plan(
    starts_at: datetime, offsets: tuple[timedelta, ...], now: datetime
) -> list[tuple[timedelta, datetime]]:
    """(offset, due time) for every reminder still in the future, earliest first."""
    plan = {(offset, starts_at - offset) for offset in offsets if starts_at - offset > now}
    return sorted(plan, key=lambda item: item[1])


class CheckInWindow(StrEnum):
    """Where `now` falls relative to the check-in window."""

    EARLY = "early"
    OPEN = "open"
    CLOSED = "closed"


def checkin_window(starts_at: datetime, now: datetime) -> CheckInWindow:
    """Whether check-in is open: from 30 minutes before to 60 minutes after the start."""
    if now < starts_at - CHECKIN_OPENS_BEFORE:
        return CheckInWindow.EARLY
    if now > starts_at + CHECKIN_CLOSES_AFTER:
        return CheckInWindow.CLOSED
    return CheckInWindow.OPEN


def refresh_slot(now: datetime) -> tuple[int, datetime]:
    """The 10-second slot `now` falls in and the moment it ends (when the edit is due)."""
    seconds = int(REFRESH_SLOT.total_seconds())
    slot = int(now.timestamp()) // seconds
    return slot, datetime.fromtimestamp((slot + 1) * seconds, tz=now.tzinfo)


def format_when(moment: datetime, tz: ZoneInfo, now: datetime | None = None) -> str:
    """`12月5日（周六）15:00`; the year is added when it is not the current one."""
    local = moment.astimezone(tz)
    year = "" if now is not None and now.astimezone(tz).year == local.year else f"{local.year}年"
    weekday = WEEKDAY_NAMES[local.weekday()]
    return f"{year}{local.month}月{local.day}日（周{weekday}）{local:%H:%M}"


def format_offset(offset: timedelta) -> str:
    """A reminder offset in words: 1天, 2小时, 1小时30分钟, 45秒."""
    seconds = int(offset.total_seconds())
    parts = []
    for unit, name in ((86400, "天"), (3600, "小时"), (60, "分钟"), (1, "秒")):
        count, seconds = divmod(seconds, unit)
        if count:
            parts.append(f"{count}{name}")
    return "".join(parts) or "0秒"


def offsets_text(offsets: tuple[timedelta, ...]) -> str:
    """Offsets back in REMINDER_OFFSETS notation (`1d,1h`), for storage."""
    items = []
    for offset in offsets:
        seconds = int(offset.total_seconds())
        for unit, letter in ((86400, "d"), (3600, "h"), (60, "m"), (1, "s")):
            if seconds % unit == 0:
                items.append(f"{seconds // unit}{letter}")
                break
    return ",".join(items)


# Telegram display names run to 128 characters; lists show them cut, so that a notice
# with a full roster stays far below the 4096 characters of a message.
NAME_CHARS = 12


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with … when something was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mention_html(person: Attendee) -> str:
    """An HTML mention that notifies: @username, else a link to the user id."""
    if person.username:
        return f"@{person.username}"
    name = html.escape(shorten(person.name, NAME_CHARS))
    return f'<a href="tg://user?id={person.user_id}">{name}</a>'


def join_limited(items: list[str], limit: int) -> str:
    """Items joined with 、, at most `limit` of them, then 等N人."""
    shown = "、".join(items[:limit])
    if len(items) > limit:
        shown += f" 等{len(items)}人"
    return shown
