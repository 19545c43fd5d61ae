"""Meeting rules without I/O: types, tallies, quorum, reminder times, windows, arguments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import InvalidInput
from bot.core.meeting_args import EditField, parse_edit_args, parse_meeting_args, parse_number
from bot.core.meetings import (
    Answer,
    Attendee,
    CheckInWindow,
    MeetingType,
    Rsvp,
    checkin_window,
    expected_roster,
    format_offset,
    format_when,
    join_limited,
    mention_html,
    offsets_text,
    quorum,
    refresh_slot,
    reminder_plan,
    tally,
)
from bot.core.recurrence import Frequency
from bot.texts import error_text

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)  # Thursday

A = Attendee(1, "张三", username="zhangsan", can_vote=True, is_manager=True)
B = Attendee(2, "李四", can_vote=True)
C = Attendee(3, "王五", can_vote=False)  # 预备党员
D = Attendee(4, "赵六", can_vote=True)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("支部党员大会", MeetingType.ASSEMBLY),
        ("党员大会", MeetingType.ASSEMBLY),
        ("支委会", MeetingType.COMMITTEE),
        ("支部委员会", MeetingType.COMMITTEE),
        ("党小组会", MeetingType.GROUP),
        ("党课", MeetingType.LECTURE),
        ("主题党日", MeetingType.THEMED_DAY),
        ("组织生活会", MeetingType.LIFE_MEETING),
        ("民主评议党员", MeetingType.APPRAISAL),
        ("党建例会", MeetingType.REGULAR),
        ("其他", MeetingType.OTHER),
        ("茶话会", None),
    ],
)
def test_meeting_types_by_label(text: str, kind: MeetingType | None) -> None:
    assert MeetingType.from_label(text) is kind


def test_every_type_has_a_distinct_label() -> None:
    labels = [kind.label for kind in MeetingType]
    assert len(set(labels)) == len(labels) == 9


def test_tally_sorts_everyone_once_and_keeps_reasons() -> None:
    answers = [
        Answer(1, Rsvp.YES, checked_in=True),
        Answer(2, Rsvp.LEAVE, "出差"),
        Answer(9, Rsvp.YES),  # not on the roster and unknown: ignored
    ]
    result = tally([A, B, C], answers, others=[])
    assert [p.name for p in result.yes] == ["张三"]
    assert [(p.name, r) for p, r in result.leave] == [("李四", "出差")]
    assert [p.name for p in result.none] == ["王五"]
    assert [p.name for p in result.checked_in] == ["张三"]
    assert result.expected == 3


def test_tally_counts_people_who_answered_from_outside_the_roster() -> None:
    outsider = Attendee(7, "钱七")
    result = tally([A], [Answer(7, Rsvp.YES)], others=[outsider, Attendee(8, "孙八")])
    assert [p.name for p in result.yes] == ["钱七"]
    assert [p.name for p in result.none] == ["张三"]


def test_committee_meetings_expect_the_committee_and_organiser() -> None:
    assert expected_roster(MeetingType.COMMITTEE, [A, B, C], organiser_id=3) == [A, C]
    assert expected_roster(MeetingType.ASSEMBLY, [A, B, C], organiser_id=3) == [A, B, C]


def test_without_recorded_posts_a_committee_meeting_expects_everyone() -> None:
    assert expected_roster(MeetingType.COMMITTEE, [A, B, C], organiser_id=1) == [A, B, C]


@pytest.mark.parametrize(
    ("attending", "at_risk"),
    [
        ([], True),
        ([1], True),  # 1 of 3 voters
        ([1, 3], True),  # 王五 is probationary: still 1 of 3
        ([1, 2], False),  # 2 of 3 is more than half
        ([1, 2, 4], False),
    ],
)
def test_quorum_counts_only_full_members(attending: list[int], at_risk: bool) -> None:
    members = [A, B, C, D]  # voters: 1, 2, 4
    answers = [Answer(user_id, Rsvp.YES) for user_id in attending]
    result = quorum(members, tally(members, answers, []))
    assert result.voters == 3
    assert result.at_risk is at_risk


def test_quorum_exactly_half_is_not_enough() -> None:
    members = [A, B]
    result = quorum(members, tally(members, [Answer(1, Rsvp.YES)], []))
    assert (result.voters, result.attending_voters, result.at_risk) == (2, 1, True)


def test_reminder_plan_skips_past_offsets() -> None:
    start = NOW + timedelta(hours=5)
    offsets = (timedelta(days=1), timedelta(hours=1), timedelta(minutes=10))
    assert reminder_plan(start, offsets, NOW) == [
        (timedelta(hours=1), start - timedelta(hours=1)),
        (timedelta(minutes=10), start - timedelta(minutes=10)),
    ]
    assert reminder_plan(start, (timedelta(hours=5),), NOW) == []


@pytest.mark.parametrize(
    ("minutes", "window"),
    [
        (-31, CheckInWindow.EARLY),
        (-30, CheckInWindow.OPEN),
        (0, CheckInWindow.OPEN),
        (60, CheckInWindow.OPEN),
        (61, CheckInWindow.CLOSED),
    ],
)
def test_checkin_window(minutes: int, window: CheckInWindow) -> None:
    assert checkin_window(NOW, NOW + timedelta(minutes=minutes)) is window


def test_refresh_slots_are_ten_seconds() -> None:
    base = datetime(2026, 11, 26, 2, 0, 0, tzinfo=UTC)
    slot, due = refresh_slot(base + timedelta(seconds=3))
    assert due == base + timedelta(seconds=10)
    assert refresh_slot(base + timedelta(seconds=9.9))[0] == slot
    assert refresh_slot(base + timedelta(seconds=10))[0] == slot + 1


def test_format_when_shows_weekday_and_year_only_when_needed() -> None:
    moment = datetime(2026, 12, 5, 7, 0, tzinfo=UTC)  # 15:00 in Beijing, a Saturday
    assert format_when(moment, SHANGHAI, NOW) == "12月5日（周六）15:00"
    assert format_when(moment + timedelta(days=40), SHANGHAI, NOW) == "2027年1月14日（周四）15:00"


@pytest.mark.parametrize(
    ("offset", "words", "notation"),
    [
        (timedelta(days=1), "1天", "1d"),
        (timedelta(hours=1), "1小时", "1h"),
        (timedelta(minutes=90), "1小时30分钟", "90m"),
        (timedelta(seconds=45), "45秒", "45s"),
    ],
)
def test_offsets_in_words_and_notation(offset: timedelta, words: str, notation: str) -> None:
    assert format_offset(offset) == words
    assert offsets_text((offset,)) == notation


def test_mentions_prefer_username_and_escape_names() -> None:
    assert mention_html(A) == "@zhangsan"
    assert mention_html(Attendee(5, "<李>")) == '<a href="tg://user?id=5">&lt;李&gt;</a>'


def test_join_limited_cuts_long_lists() -> None:
    assert join_limited(["a", "b"], 5) == "a、b"
    assert join_limited(["a", "b", "c"], 2) == "a、b 等3人"


@pytest.mark.parametrize(
    ("text", "start", "place", "agenda"),
    [
        (
            "支委会 2026-12-05 15:00 会议室 研究 发展党员",
            datetime(2026, 12, 5, 15, 0, tzinfo=SHANGHAI),
            "会议室",
            "研究 发展党员",
        ),
        ("党课 明天下午3点", datetime(2026, 11, 27, 15, 0, tzinfo=SHANGHAI), "", ""),
        (
            "主题党日 下周三 14:00 活动室",
            datetime(2026, 12, 2, 14, 0, tzinfo=SHANGHAI),
            "活动室",
            "",
        ),
        (
            "支部党员大会 12月5日下午3点 三楼 选举",
            datetime(2026, 12, 5, 15, 0, tzinfo=SHANGHAI),
            "三楼",
            "选举",
        ),
    ],
)
def test_meeting_args_take_the_longest_time(
    text: str, start: datetime, place: str, agenda: str
) -> None:
    request = parse_meeting_args(text, NOW, SHANGHAI)
    assert request.when.starts_at == start
    assert request.when.rule is None
    assert (request.place, request.agenda) == (place, agenda)


def test_meeting_args_read_a_recurring_rule() -> None:
    request = parse_meeting_args("主题党日 每月第一个周五 15:00 活动室 学习", NOW, SHANGHAI)
    assert request.kind is MeetingType.THEMED_DAY
    assert request.when.rule is not None
    assert request.when.rule.freq is Frequency.MONTHLY
    assert (request.place, request.agenda) == ("活动室", "学习")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("支委会", "用法"),
        ("茶话会 明天15:00", "没有“茶话会”这种会议类型"),
        ("支委会 2月30日 15:00 会议室", "没有这个日期"),
        ("支委会 明天3点", "上午还是下午"),
        ("支委会 11月20日 15:00", "已经过去"),
        ("支委会 会议室", "时间可以这样写"),
        ("支委会 每月第九个周五 15:00", "最多有五个"),
    ],
)
def test_meeting_args_explain_mistakes(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_meeting_args(text, NOW, SHANGHAI)
    assert fragment in error_text(caught.value)


def test_bad_times_list_the_accepted_forms() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_meeting_args("支委会 2月30日 15:00", NOW, SHANGHAI)
    assert "明天下午3点" in str(caught.value)


def test_edit_args() -> None:
    request = parse_edit_args("#12 地点 三楼 会议室", "usage")
    assert (request.number, request.field, request.value) == (12, EditField.PLACE, "三楼 会议室")
    with pytest.raises(InvalidInput, match="usage"):
        parse_edit_args("12 颜色 红", "usage")
    with pytest.raises(InvalidInput, match="usage"):
        parse_edit_args("12 时间", "usage")
    with pytest.raises(InvalidInput) as caught:
        parse_number("十二")
    assert "不是会议编号" in error_text(caught.value)
