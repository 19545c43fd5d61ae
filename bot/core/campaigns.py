"""Campaigns (党建活动载体) with points: arguments, rules, points and leaderboards, pure.

Points are never stored: they are computed from counted facts (check-ins, studies, correct
quiz answers, duty reports) weighted by the campaign's rules, plus the award points managers
recorded with a reason. The same facts always give the same points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.errors import InvalidInput

NAME_MAX = 30
DAYS_MAX = 366
AHEAD_MAX = timedelta(days=366)  # a start further ahead than a year is a typo
POINTS_MAX = 100  # per fact in a rule, and per award
REASON_MAX = 100
SUBTREE_WORDS = ("下级组织", "含下级组织")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_DAYS = re.compile(r"^(\d{1,6})(天|日|周)?$")


class Fact(StrEnum):
    """A recorded fact that earns points."""

    CHECKIN = "checkin"
    STUDY = "study"
    QUIZ = "quiz"
    DUTY = "duty"

    @property
    def label(self) -> str:
        """The word users see and type."""
        return _LABELS[self]

    @classmethod
    def from_word(cls, word: str) -> Fact | None:
        """The fact a user's word names (签到, 学习, 答题, 履职 and their synonyms)."""
        return next((fact for fact, words in _WORDS.items() if word.strip() in words), None)


_LABELS = {Fact.CHECKIN: "签到", Fact.STUDY: "学习", Fact.QUIZ: "答题", Fact.DUTY: "履职"}
_WORDS = {
    Fact.CHECKIN: ("签到", "参会", "参加"),
    Fact.STUDY: ("学习", "已学习"),
    Fact.QUIZ: ("答题", "测验", "答对"),
    Fact.DUTY: ("履职", "设岗定责", "报告"),
}


@dataclass(frozen=True, slots=True)
class Rules:
    """Points for each recorded fact of one kind."""

    checkin: int = 3
    study: int = 2
    quiz: int = 1
    duty: int = 2

    def of(self, fact: Fact) -> int:
        """The points one fact of this kind earns."""
        return int(getattr(self, fact.value))

    def with_points(self, fact: Fact, points: int) -> Rules:
        """The rules with one fact's points changed."""
        return replace(self, **{fact.value: points})


DEFAULT_RULES = Rules()


@dataclass(frozen=True, slots=True)
class Counts:
    """What one member did within a campaign's window: facts and award points."""

    checkins: int = 0
    studies: int = 0
    quiz: int = 0
    duties: int = 0
    awards: int = 0  # the sum of the award points (each award is a recorded fact)

    def of(self, fact: Fact) -> int:
        """How many facts of this kind."""
        return {
            Fact.CHECKIN: self.checkins,
            Fact.STUDY: self.studies,
            Fact.QUIZ: self.quiz,
            Fact.DUTY: self.duties,
        }[fact]


def points(rules: Rules, counts: Counts) -> int:
    """Each fact times its rule's points, plus the awards."""
    return sum(rules.of(fact) * counts.of(fact) for fact in Fact) + counts.awards


@dataclass(frozen=True, slots=True)
class CampaignSpec:
    """What `/campaign add` asks for."""

    name: str
    start: date
    days: int
    subtree: bool


@dataclass(frozen=True, slots=True)
class Campaign:
    """A stored campaign: whose, when (UTC, end excluded), how far down, and its rules."""

    id: int
    organisation_id: int
    name: str
    starts_at: datetime
    ends_at: datetime
    subtree: bool
    rules: Rules

    def started(self, now: datetime) -> bool:
        """Its rules are fixed from the start on."""
        return now >= self.starts_at

    def ended(self, now: datetime) -> bool:
        """Its window is over."""
        return now >= self.ends_at

    @property
    def period(self) -> str:
        """The key of its 五星党员 rating."""
        return f"campaign:{self.id}"


def window(start: date, days: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The campaign's moments: from the start day's midnight for `days` days (end excluded)."""
    begins = datetime.combine(start, time(), tzinfo=tz)
    return begins, begins + timedelta(days=days)


def check_name(name: str) -> str:
    """A campaign's name, trimmed; refused when empty, over-long or holding odd characters."""
    name = name.strip()
    if not name or len(name) > NAME_MAX or not name.isprintable():
        raise InvalidInput(code="campaign_bad_name", most=NAME_MAX)
    return name


def parse_date(text: str, today: date) -> date:
    """`2026-12-01` (or 2026/12/1, 2026年12月1日): today or later, within a year."""
    found = _DATE.match(text.strip())
    if found is None:
        raise InvalidInput(code="campaign_bad_date", text=text)
    try:
        day = date(*(int(part) for part in found.groups()))
    except ValueError:
        raise InvalidInput(code="campaign_bad_date", text=text) from None
    if day < today:
        raise InvalidInput(code="campaign_past_date", text=text)
    if day - today > AHEAD_MAX:
        raise InvalidInput(code="campaign_far_date", text=text)
    return day


def parse_days(text: str) -> int:
    """`100天` (or 100, 14日, 2周): 1 to DAYS_MAX days."""
    found = _DAYS.match(text.strip())
    if found is None:
        raise InvalidInput(code="campaign_bad_days", text=text, most=DAYS_MAX)
    days = int(found.group(1)) * (7 if found.group(2) == "周" else 1)
    if not 1 <= days <= DAYS_MAX:
        raise InvalidInput(code="campaign_bad_days", text=text, most=DAYS_MAX)
    return days


def parse_add(text: str, today: date) -> CampaignSpec:
    """`<名称> <开始日期> <天数> [下级组织]`."""
    words = text.split()
    subtree = bool(words) and words[-1] in SUBTREE_WORDS
    if subtree:
        words = words[:-1]
    if len(words) != 3:
        raise InvalidInput(code="campaign_add_usage")
    name, start, days = words
    return CampaignSpec(check_name(name), parse_date(start, today), parse_days(days), subtree)


def parse_points(text: str, *, lowest: int) -> int:
    """A whole number of points from `lowest` to POINTS_MAX."""
    text = text.strip()
    if not (text.isdecimal() and text.isascii()) or len(text) > 4:
        raise InvalidInput(code="campaign_bad_points", text=text, lowest=lowest, most=POINTS_MAX)
    value = int(text)
    if not lowest <= value <= POINTS_MAX:
        raise InvalidInput(code="campaign_bad_points", text=text, lowest=lowest, most=POINTS_MAX)
    return value


def parse_rule(text: str) -> tuple[str, Fact, int]:
    """`<名称> <签到/学习/答题/履职> <分值>`: the campaign, the fact and its new points."""
    words = text.split()
    if len(words) != 3:
        raise InvalidInput(code="campaign_rule_usage")
    fact = Fact.from_word(words[1])
    if fact is None:
        raise InvalidInput(code="campaign_rule_usage")
    return check_name(words[0]), fact, parse_points(words[2], lowest=0)


def parse_award(text: str) -> tuple[int, str]:
    """`<分数> <理由>`: 1 to POINTS_MAX points and a reason of at most REASON_MAX characters."""
    number, _, reason = text.strip().partition(" ")
    if not number:
        raise InvalidInput(code="award_usage")
    points = parse_points(number, lowest=1)
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(code="award_no_reason")
    if len(reason) > REASON_MAX or not reason.isprintable():
        raise InvalidInput(code="award_long_reason", most=REASON_MAX)
    return points, reason


POST_HOUR = timedelta(hours=9)  # posts go out at 09:00, not at midnight


def weeks(start: datetime, end: datetime) -> list[datetime]:
    """The moments of the weekly leaderboard posts: 09:00 every seven days after the
    start, before the end (the end has its summary instead)."""
    found, moment = [], start + timedelta(days=7) + POST_HOUR
    while moment < end:
        found.append(moment)
        moment += timedelta(days=7)
    return found


def summary_at(end: datetime) -> datetime:
    """When the end-of-campaign summary goes out: 09:00 the morning after the last day."""
    return end + POST_HOUR
