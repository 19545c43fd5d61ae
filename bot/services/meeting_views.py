"""What meeting messages look like: the live notice, name lists, mentions and buttons.

Rendering happens at send time from the database, so every message shows the state of
the moment it goes out. Texts are HTML (mentions of users without @username need links).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core.meetings import (
    NAME_CHARS,
    Attendee,
    Quorum,
    Tally,
    format_when,
    join_limited,
    mention_html,
    shorten,
)
from bot.core.recurrence import RecurrenceRule
from bot.services.outgoing import Button, Keyboard, keyboard
from bot.texts import floating as floating_texts
from bot.texts import meetings as texts
from storage.records import MeetingRecord

if TYPE_CHECKING:
    from bot.services.meeting_series import SeriesResult

# Long rosters are cut so that a notice stays below Telegram's 4096 characters even with
# the longest agenda, names and reasons (tests/test_meetings_views.py renders the worst).
NAMES_SHOWN = 30
MENTIONS_SHOWN = 40
REASON_CHARS = 20
INFO_REASON_CHARS = 60  # /meeting_info shows more of each reason (it lists no agenda)


@dataclass(frozen=True, slots=True)
class NoticeView:
    """Everything a notice shows."""

    meeting: MeetingRecord
    tally: Tally
    organiser: str
    rule: str | None
    tz: ZoneInfo
    now: datetime
    remote: bool = False  # 线上可参加


def callback(action: str, meeting_id: int, *extra: str) -> str:
    """callback_data such as `m:rsvp:12:y` (well under Telegram's 64 bytes)."""
    return ":".join(["m", action, str(meeting_id), *extra])


def rsvp_buttons(meeting_id: int) -> tuple[Button, Button]:
    """The 参加 and 请假 buttons."""
    return (
        Button(texts.BUTTON_YES, callback("rsvp", meeting_id, "y")),
        Button(texts.BUTTON_LEAVE, callback("rsvp", meeting_id, "l")),
    )


def rsvp_keyboard(meeting_id: int) -> Keyboard:
    """Buttons for reminders: answer right there."""
    return keyboard(rsvp_buttons(meeting_id))


def notice_keyboard(meeting: MeetingRecord, now: datetime) -> Keyboard | None:
    """参加 / 请假 and the managers' 提醒未回复, until the start; none after or if cancelled."""
    if meeting.cancelled or now >= meeting.starts_at:
        return None
    nudge = Button(texts.BUTTON_NUDGE, callback("nudge", meeting.id))
    return keyboard(rsvp_buttons(meeting.id), [nudge])


def checkin_keyboard(meeting_id: int) -> Keyboard:
    """The 签到 button."""
    return keyboard([Button(texts.BUTTON_CHECK_IN, callback("ci", meeting_id))])


def esc(text: str) -> str:
    """Escape user text for HTML parse mode."""
    return html.escape(text, quote=False)


def _name(person: Attendee) -> str:
    return esc(shorten(person.name, NAME_CHARS))


def names(people: list[Attendee]) -> str:
    """Names for a notice line, or 无."""
    if not people:
        return texts.NOTICE_NOBODY
    return join_limited([_name(person) for person in people], NAMES_SHOWN)


def leave_names(leave: list[tuple[Attendee, str | None]], reason_chars: int = REASON_CHARS) -> str:
    """Names of those on leave with their reasons (cut to `reason_chars`)."""
    if not leave:
        return texts.NOTICE_NOBODY
    items = [
        texts.LEAVE_WITH_REASON.format(name=_name(p), reason=esc(shorten(r, reason_chars)))
        if r
        else _name(p)
        for p, r in leave
    ]
    return join_limited(items, NAMES_SHOWN)


def away_line(away: list[tuple[Attendee, str]]) -> str:
    """外出 (n): 张三（广东省东莞市）、…: floating members away, never asked to come."""
    shown = [
        floating_texts.AWAY_NAME.format(name=_name(person), place=esc(place))
        for person, place in away
    ]
    return floating_texts.NOTICE_AWAY.format(count=len(away), names="、".join(shown))


def mentions(people: list[Attendee]) -> str:
    """Mentions that notify each person (@username, else a link to their id)."""
    return join_limited([mention_html(person) for person in people], MENTIONS_SHOWN)


def place_text(meeting: MeetingRecord) -> str:
    """The place, or 待定."""
    return esc(meeting.place) if meeting.place else texts.PLACE_NONE


def rule_text(rule: str) -> str:
    """A stored rule in the user's words (with the months it skips)."""
    return RecurrenceRule.from_text(rule).describe()


def _details(view: NoticeView) -> list[str]:
    meeting = view.meeting
    lines = [
        texts.NOTICE_TYPE.format(kind=meeting.kind.label),
        texts.NOTICE_WHEN.format(when=format_when(meeting.starts_at, view.tz, view.now)),
        texts.NOTICE_PLACE.format(place=place_text(meeting)),
    ]
    if meeting.agenda:
        lines.append(texts.NOTICE_AGENDA.format(agenda=esc(meeting.agenda)))
    lines.append(texts.NOTICE_ORGANISER.format(name=esc(view.organiser)))
    if view.rule:
        lines.append(texts.NOTICE_SERIES.format(rule=esc(rule_text(view.rule))))
    if view.remote:
        lines.append(floating_texts.REMOTE_NOTE)
    return lines


def _answers(view: NoticeView) -> list[str]:
    tally = view.tally
    lines = [
        texts.NOTICE_YES.format(count=len(tally.yes), names=names(tally.yes)),
        texts.NOTICE_LEAVE.format(count=len(tally.leave), names=leave_names(tally.leave)),
        texts.NOTICE_NONE.format(count=len(tally.none), names=names(tally.none)),
    ]
    if tally.away:
        lines.append(away_line(tally.away))
    started = view.now >= view.meeting.starts_at
    if started or tally.checked_in:
        lines.append(
            texts.NOTICE_CHECKED_IN.format(
                count=len(tally.checked_in), expected=tally.expected, names=names(tally.checked_in)
            )
        )
    lines.append(texts.NOTICE_STARTED if started else texts.NOTICE_FOOTER)
    return lines


def render_notice(view: NoticeView) -> str:
    """The live notice: details, then who answered what."""
    meeting = view.meeting
    if meeting.cancelled:
        title = texts.NOTICE_CANCELLED_TITLE.format(id=meeting.id)
        return "\n".join([title, *_details(view)])
    title = texts.NOTICE_TITLE.format(id=meeting.id)
    return "\n".join([title, *_details(view), "", *_answers(view)])


def render_attendance(view: NoticeView, quorum: Quorum | None, *, full: bool) -> str:
    """/meeting_info: counts for everyone; names, reasons and quorum for managers."""
    meeting, tally = view.meeting, view.tally
    cancelled = texts.INFO_CANCELLED if meeting.cancelled else ""
    lines = [
        texts.INFO_TITLE.format(id=meeting.id, kind=meeting.kind.label, cancelled=cancelled),
        texts.INFO_WHEN.format(
            when=format_when(meeting.starts_at, view.tz, view.now), place=place_text(meeting)
        ),
        texts.INFO_COUNTS.format(
            expected=tally.expected,
            yes=len(tally.yes),
            leave=len(tally.leave),
            none=len(tally.none),
            checked=len(tally.checked_in),
        ),
    ]
    if not full:
        return "\n".join(lines)
    lines += [
        texts.NOTICE_YES.format(count=len(tally.yes), names=names(tally.yes)),
        texts.NOTICE_LEAVE.format(
            count=len(tally.leave), names=leave_names(tally.leave, INFO_REASON_CHARS)
        ),
        texts.NOTICE_NONE.format(count=len(tally.none), names=names(tally.none)),
        *([away_line(tally.away)] if tally.away else []),
        texts.NOTICE_CHECKED_IN.format(
            count=len(tally.checked_in), expected=tally.expected, names=names(tally.checked_in)
        ),
    ]
    if quorum is not None:
        verdict = texts.INFO_QUORUM_SHORT if quorum.at_risk else texts.INFO_QUORUM_OK
        lines.append(
            texts.INFO_QUORUM.format(
                voters=quorum.voters, attending=quorum.attending_voters, verdict=verdict
            )
        )
    return "\n".join(lines)


def render_announced(result: MeetingRecord | SeriesResult, tz: ZoneInfo, now: datetime) -> str:
    """The confirmation of a new meeting, or of a series with its first dates."""
    if isinstance(result, MeetingRecord):
        when = format_when(result.starts_at, tz, now)
        return texts.CREATED.format(id=result.id, kind=result.kind.label, when=when)
    dates = [
        texts.SERIES_DATE_LINE.format(id=m.id, when=format_when(m.starts_at, tz, now))
        for m in result.meetings
    ]
    series = result.series
    return texts.SERIES_CREATED.format(
        id=series.id, kind=series.kind.label, rule=rule_text(series.rule), dates="\n".join(dates)
    )
