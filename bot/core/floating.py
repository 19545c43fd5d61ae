"""Floating members (流动党员): reading `/away`, and who was away when.

A floating member keeps their branch of record (流出地, `home_org`) and, while away, is
somewhere else (流入地: a place and optionally an organisation there, `host_org`). Their
attendance and study there count at home; home meetings list them as 外出, not 缺席.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.core.errors import InvalidInput

MAX_ARGS = 200
MAX_PLACE = 50
MAX_CONTACT = 50
EARLIEST_YEAR = 1950

# 2026-03, 2026-3-15, 2026.03, 2026/03, 2026年3月, 2026年3月15日; 起/开始 may follow.
_DATE = re.compile(
    r"^(\d{4})\s*(?:[-./年])\s*(\d{1,2})\s*(?:月)?(?:\s*[-./]?\s*(\d{1,2})\s*日?)?\s*(?:起|开始)?$"
)
_LOOKS_LIKE_DATE = re.compile(r"^\d{2,4}\s*[-./年]")
_PHONE = re.compile(r"^\+?[\d\- ]{7,20}$")
_CONTACT_PREFIXES = ("电话", "手机", "微信", "联系", "tel", "Tel", "TEL")
_HAS_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")


@dataclass(frozen=True, slots=True)
class AwayRequest:
    """What `/away 广东省东莞市 [2026-03起] [流入地组织] [联系方式]` asks for."""

    place: str
    since: date
    host: str  # the name of an organisation there, or ""
    contact: str


@dataclass(frozen=True, slots=True)
class Stay:
    """A member's stay away from their branch of record."""

    id: int
    org_id: int  # 流出地
    user_id: int
    place: str
    host_org_id: int | None  # 流入地 organisation
    since: date
    contact: str
    started_at: datetime
    ended_at: datetime | None

    def begins(self, tz: ZoneInfo) -> datetime:
        """The first moment away: the start of `since` there, or when it was recorded if
        that came first."""
        return min(datetime.combine(self.since, time(), tz), self.started_at)

    def covers(self, moment: datetime, tz: ZoneInfo) -> bool:
        """Away at that moment."""
        return self.begins(tz) <= moment and (self.ended_at is None or self.ended_at > moment)


def parse_since(word: str, today: date) -> date | None:
    """A month or day such as 2026-03起 or 2026年3月15日; None when it is not a date at all.
    InvalidInput for a malformed, impossible, future or absurdly old one."""
    match = _DATE.match(word)
    if match is None:
        if _LOOKS_LIKE_DATE.match(word):
            raise InvalidInput(code="away_bad_date", word=word)
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    try:
        since = date(year, month, day)
    except ValueError:
        raise InvalidInput(code="away_bad_date", word=word) from None
    if since > today:
        raise InvalidInput(code="away_future_date", word=word)
    if year < EARLIEST_YEAR:
        raise InvalidInput(code="away_old_date", word=word)
    return since


def _is_contact(word: str) -> bool:
    return bool(_PHONE.match(word)) or word.startswith(_CONTACT_PREFIXES)


def parse_away(text: str, today: date) -> AwayRequest:
    """`广东省东莞市 2026-03起 东莞市流动党员党支部 13800000000` -> its parts (since defaults to
    today). InvalidInput says what is wrong."""
    if len(text) > MAX_ARGS:
        raise InvalidInput(code="away_too_long", limit=MAX_ARGS)
    words = text.split()
    if not words:
        raise InvalidInput(code="away_usage")
    place, since, host, contact = words[0], None, "", ""
    if not _HAS_WORD.search(place) or parse_since(place, today) is not None:
        raise InvalidInput(code="away_bad_place", word=place)
    if len(place) > MAX_PLACE:
        raise InvalidInput(code="away_place_too_long", limit=MAX_PLACE)
    for word in words[1:]:
        found = parse_since(word, today)
        if found is not None and since is None:
            since = found
        elif found is None and _is_contact(word) and not contact:
            contact = word
        elif found is None and not host and not _is_contact(word):
            host = word
        else:
            raise InvalidInput(code="away_usage")
    if len(contact) > MAX_CONTACT or len(host) > MAX_PLACE:
        raise InvalidInput(code="away_too_long", limit=MAX_ARGS)
    return AwayRequest(place=place, since=since or today, host=host, contact=contact)


def away_at(stays: list[Stay], moment: datetime, tz: ZoneInfo) -> dict[int, Stay]:
    """User id -> the stay that covers `moment`, for everyone away then."""
    return {stay.user_id: stay for stay in stays if stay.covers(moment, tz)}


def same_month(a: datetime, b: datetime, tz: ZoneInfo) -> bool:
    """Both moments fall in one calendar month there."""
    la, lb = a.astimezone(tz), b.astimezone(tz)
    return (la.year, la.month) == (lb.year, lb.month)


@dataclass(frozen=True, slots=True)
class Activity:
    """Something a member did in an organisation's group: a meeting answered or checked in
    (`title` its type), or a topic studied (`title` the topic)."""

    user_id: int
    org_id: int
    org: str
    at: datetime  # the meeting's start, or when the topic was studied
    title: str
    meeting: bool


def away_activity(stays: list[Stay], found: list[Activity], tz: ZoneInfo) -> list[Activity]:
    """The activities done while away, somewhere other than the branch of record."""
    by_user: dict[int, list[Stay]] = {}
    for stay in stays:  # by person: a county's hundreds of stays against thousands of facts
        by_user.setdefault(stay.user_id, []).append(stay)
    kept = []
    for activity in found:
        if any(
            stay.org_id != activity.org_id and stay.covers(activity.at, tz)
            for stay in by_user.get(activity.user_id, ())
        ):
            kept.append(activity)
    return sorted(kept, key=lambda a: (a.at, a.user_id))
