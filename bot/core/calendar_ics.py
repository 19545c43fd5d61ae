"""An organisation's upcoming meetings as an iCalendar (.ics) file, built without I/O.

Each meeting is one VEVENT whose UID is derived from the meeting's number alone, so that a
calendar importing the file again updates the events it already has instead of adding
copies; SEQUENCE grows with every change of time or place (the meeting's version) and with
a cancellation, which is what tells a calendar that the newer copy wins. Cancelled
meetings stay in the file as STATUS:CANCELLED, so that an event imported before is struck
out rather than left standing. Times carry the configured zone (TZID, with its VTIMEZONE),
and each reminder offset becomes a VALARM.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

# A meeting has a start but no end; calendars need one. Two hours is a usual meeting.
DURATION = timedelta(hours=2)
UID_DOMAIN = "dangjian-bot"
PRODID = "-//dangjian-bot//党建助手//ZH"


@dataclass(frozen=True, slots=True)
class CalendarMeeting:
    """What one event shows: plain values (the service reads them, texts word them)."""

    id: int
    title: str  # 支委会：研究发展党员工作
    starts_at: datetime  # aware
    place: str
    description: str
    offsets: tuple[timedelta, ...]  # reminders before the start
    version: int
    cancelled: bool


def meeting_uid(meeting_id: int) -> str:
    """The event's UID: the same in every export of the meeting."""
    return f"meeting-{meeting_id}@{UID_DOMAIN}"


def _alarm(offset: timedelta, title: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", -offset)
    return alarm


def _event(meeting: CalendarMeeting, tz: ZoneInfo, now: datetime) -> Event:
    event = Event()
    start = meeting.starts_at.astimezone(tz)
    event.add("uid", meeting_uid(meeting.id))
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("dtend", start + DURATION)
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    if meeting.description:
        event.add("description", meeting.description)
    # The version counts changes of time and place; a cancellation is one more change.
    event.add("sequence", meeting.version - 1 + int(meeting.cancelled))
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    if not meeting.cancelled:
        for offset in sorted(set(meeting.offsets), reverse=True):
            event.add_component(_alarm(offset, meeting.title))
    return event


def build_calendar(
    name: str, meetings: Sequence[CalendarMeeting], tz: ZoneInfo, now: datetime
) -> bytes:
    """The .ics file of `meetings` (calendar name `name`), times in `tz`."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", tz.key)
    for meeting in meetings:
        calendar.add_component(_event(meeting, tz, now))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
