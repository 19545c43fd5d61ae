"""Read the arguments of /meeting and /meeting_edit: `<类型> <时间> [地点] [议题…]`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.errors import InvalidInput
from bot.core.meetings import MeetingType
from bot.core.recurrence import (
    RecurrenceParseError,
    RecurrenceRule,
    is_recurrence,
    parse_recurrence,
)
from bot.core.timeparse import (
    ACCEPTED_FORMS_HELP,
    TimeErrorKind,
    TimeParseError,
    parse_meeting_time,
)

MAX_PLACE = 100
MAX_AGENDA = 1000
MAX_REASON = 200


@dataclass(frozen=True, slots=True)
class When:
    """A single start time or a recurring rule, whichever was typed."""

    starts_at: datetime | None = None
    rule: RecurrenceRule | None = None


@dataclass(frozen=True, slots=True)
class MeetingRequest:
    """What `/meeting <类型> <时间> [地点] [议题…]` asks for."""

    kind: MeetingType
    when: When
    place: str
    agenda: str
    remote: bool = False  # 线上可参加: floating members may take part remotely


REMOTE_WORD = "线上可参加"


def parse_kind(word: str) -> MeetingType:
    """A meeting type from its Chinese name, or InvalidInput listing the types."""
    kind = MeetingType.from_label(word)
    if kind is None:
        raise InvalidInput(code="unknown_meeting_type", word=word, types=MeetingType.labels())
    return kind


def _time_error(err: TimeParseError) -> InvalidInput:
    return InvalidInput(f"{err.message}\n{ACCEPTED_FORMS_HELP}")


def parse_time_words(words: list[str], now: datetime, tz: ZoneInfo) -> tuple[datetime, int]:
    """The longest prefix of `words` that is a meeting time, and how many words it took."""
    best: TimeParseError | None = None
    for count in range(len(words), 0, -1):
        try:
            return parse_meeting_time(" ".join(words[:count]), now, tz), count
        except TimeParseError as err:
            # Keep the most telling complaint: 2月30日 says more than "not understood".
            if best is None or best.kind is TimeErrorKind.UNRECOGNISED:
                best = err
    if best is None:
        raise InvalidInput(code="time_missing_forms", forms=ACCEPTED_FORMS_HELP)
    raise _time_error(best)


def parse_rule_words(words: list[str]) -> tuple[RecurrenceRule, int]:
    """The longest prefix of `words` that is a recurring rule, and how many words it took."""
    first: RecurrenceParseError | None = None
    for count in range(len(words), 0, -1):
        try:
            return parse_recurrence(" ".join(words[:count])), count
        except RecurrenceParseError as err:
            first = first or err
    if first is None:
        raise InvalidInput(code="time_missing")
    raise InvalidInput(first.message)


def parse_when(words: list[str], now: datetime, tz: ZoneInfo) -> tuple[When, int]:
    """A time or a rule (it starts with 每) from the front of `words`."""
    if words and is_recurrence(words[0]):
        rule, used = parse_rule_words(words)
        return When(rule=rule), used
    starts_at, used = parse_time_words(words, now, tz)
    return When(starts_at=starts_at), used


def clean_place(text: str) -> str:
    """A place as typed, whitespace folded and length checked."""
    place = " ".join(text.split())
    if len(place) > MAX_PLACE:
        raise InvalidInput(code="place_too_long", limit=MAX_PLACE)
    return place


def clean_agenda(text: str) -> str:
    """An agenda as typed, length checked (line breaks are kept)."""
    agenda = text.strip()
    if len(agenda) > MAX_AGENDA:
        raise InvalidInput(code="agenda_too_long", limit=MAX_AGENDA)
    return agenda


def clean_reason(text: str) -> str:
    """A reason (for a 请假 or a cancellation) on one line, length checked."""
    reason = " ".join(text.split())
    if len(reason) > MAX_REASON:
        raise InvalidInput(code="reason_too_long", limit=MAX_REASON)
    return reason


def parse_meeting_args(text: str, now: datetime, tz: ZoneInfo) -> MeetingRequest:
    """`支委会 2026-12-05 15:00 会议室 议题… [线上可参加]` -> type, time (or rule), place,
    agenda, and whether it may be attended remotely."""
    words = text.split()
    remote = REMOTE_WORD in words
    words = [word for word in words if word != REMOTE_WORD]
    if len(words) < 2:
        raise InvalidInput(code="meeting_usage", types=MeetingType.labels())
    kind = parse_kind(words[0])
    when, used = parse_when(words[1:], now, tz)
    rest = words[1 + used :]
    place = clean_place(rest[0]) if rest else ""
    agenda = clean_agenda(" ".join(rest[1:]))
    return MeetingRequest(kind=kind, when=when, place=place, agenda=agenda, remote=remote)


class EditField(StrEnum):
    """What /meeting_edit and /series_edit can change."""

    TIME = "时间"
    PLACE = "地点"
    AGENDA = "议题"
    REMINDERS = "提醒"


@dataclass(frozen=True, slots=True)
class EditRequest:
    """`<编号> 时间 <新时间>` and the like, before the value is read."""

    number: int
    field: EditField
    value: str


_NUMBER = re.compile(r"^[#＃]?(\d{1,9})$")


def parse_number(word: str) -> int:
    """A meeting or series number as typed: `12` or `#12`."""
    match = _NUMBER.match(word.strip())
    if match is None:
        raise InvalidInput(code="bad_meeting_number", word=word)
    return int(match[1])


def parse_edit_args(text: str, usage: str) -> EditRequest:
    """`12 地点 三楼会议室` -> number, field, value; `usage` is the reply when it is wrong."""
    parts = text.split(maxsplit=2)
    if len(parts) < 3:
        raise InvalidInput(usage)
    try:
        field = EditField(parts[1])
    except ValueError:
        raise InvalidInput(usage) from None
    return EditRequest(number=parse_number(parts[0]), field=field, value=parts[2].strip())
