"""How meeting messages look: the live notice, its limits, buttons and /meeting_info."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.meetings import (
    Answer,
    Attendee,
    MeetingStatus,
    MeetingType,
    Rsvp,
    quorum,
    tally,
)
from bot.services.meeting_views import (
    NoticeView,
    callback,
    notice_keyboard,
    render_attendance,
    render_notice,
)
from storage.records import MeetingRecord

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
START = datetime(2026, 12, 5, 7, 0, tzinfo=UTC)


def meeting(**changes: object) -> MeetingRecord:
    values: dict[str, object] = {
        "id": 12, "organisation_id": 1, "chat_id": 1, "chat_telegram_id": -100, "series_id": None,
        "kind": MeetingType.ASSEMBLY, "starts_at": START, "place": "三楼<会议室>",
        "agenda": "选举 & 表决", "organiser_id": 1, "reminder_offsets": None,
        "status": MeetingStatus.SCHEDULED, "version": 1, "notice_message_id": None,
    }  # fmt: skip
    values.update(changes)
    return MeetingRecord(**values)  # type: ignore[arg-type]


def plain(text: str) -> str:
    """What Telegram counts: the text after HTML parsing."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def view(record: MeetingRecord, people: list[Attendee], answers: list[Answer]) -> NoticeView:
    return NoticeView(record, tally(people, answers, []), "书记", None, SHANGHAI, NOW)


def test_the_notice_shows_details_and_answers_escaped() -> None:
    people = [Attendee(1, "张三"), Attendee(2, "李<四>"), Attendee(3, "王五")]
    answers = [Answer(1, Rsvp.YES), Answer(2, Rsvp.LEAVE, "出差")]
    text = render_notice(view(meeting(), people, answers))
    assert "地点：三楼&lt;会议室&gt;" in text
    assert "议题：选举 &amp; 表决" in text
    assert "时间：12月5日（周六）15:00" in text
    assert "参加（1）：张三" in text
    assert "请假（1）：李&lt;四&gt;（出差）" in text
    assert "未回复（1）：王五" in text
    assert "已签到" not in text  # only once the meeting starts


def test_a_full_branch_with_long_everything_fits_in_one_message() -> None:
    people = [Attendee(i, "名" * 128, can_vote=True) for i in range(500)]
    answers = [Answer(i, Rsvp.LEAVE, "因" * 200, checked_in=True) for i in range(0, 500, 2)]
    record = meeting(agenda="议" * 1000, place="地" * 100)
    shown = view(record, people, answers)
    notice = plain(render_notice(shown))
    info = plain(render_attendance(shown, quorum(people, shown.tally), full=True))
    assert len(notice) < 4096
    assert len(info) < 4096
    assert "等250人" in notice


def test_buttons_until_the_start_none_after_or_when_cancelled() -> None:
    keyboard = notice_keyboard(meeting(), NOW)
    assert keyboard is not None
    data = [b.data for row in keyboard for b in row]
    assert data == ["m:rsvp:12:y", "m:rsvp:12:l", "m:nudge:12"]
    assert notice_keyboard(meeting(), START) is None
    assert notice_keyboard(meeting(status=MeetingStatus.CANCELLED), NOW) is None
    assert len(callback("rsvp", 10**12, "y").encode()) <= 64


def test_started_and_cancelled_notices() -> None:
    people = [Attendee(1, "张三")]
    checked = tally(people, [Answer(1, Rsvp.YES, checked_in=True)], [])
    started = NoticeView(meeting(), checked, "书记", None, SHANGHAI, START + timedelta(minutes=5))
    text = render_notice(started)
    assert "已签到（1/1）：张三" in text
    assert "会议已开始，回复已截止。" in text
    cancelled = render_notice(view(meeting(status=MeetingStatus.CANCELLED), people, []))
    assert cancelled.startswith("❌ <b>会议已取消</b>（编号 12）")
    assert "未回复" not in cancelled


def test_meeting_info_names_only_for_managers() -> None:
    people = [Attendee(1, "张三", can_vote=True), Attendee(2, "李四", can_vote=True)]
    answers = [Answer(2, Rsvp.LEAVE, "出差")]
    shown = view(meeting(), people, answers)
    counts = render_attendance(shown, None, full=False)
    assert "应到 2 人：参加 0，请假 1，未回复 1，已签到 0" in counts
    assert "出差" not in counts
    full = render_attendance(shown, quorum(people, shown.tally), full=True)
    assert "李四（出差）" in full
    assert "有表决权的正式党员 2 人，确认参加 0 人，未超过半数" in full
