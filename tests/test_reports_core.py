"""/calendar's .ics and /report's chart data and drawing, without Telegram or a database."""

from __future__ import annotations

import struct
import warnings
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.core.calendar_ics import CalendarMeeting, build_calendar, meeting_uid
from bot.core.charts import ORGS_PER_PAGE, MeetingPoint, OrgBar, ReportData, report_data
from bot.core.domain import MemberStatus, OrgKind, Role
from bot.core.ledger import build_ledger
from bot.core.ledger_snapshot import (
    AnswerInfo,
    MeetingInfo,
    Membership,
    OrgInfo,
    Snapshot,
    TopicInfo,
)
from bot.core.meetings import MeetingType, Rsvp
from bot.core.periods import parse_period
from bot.services import report_charts
from bot.services.report_charts import FONT_FILE, REPLACEMENT, render_report, safe_label
from bot.texts import reports as texts

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 31, 12, tzinfo=UTC)


def local(month: int, day: int, hour: int = 15) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


def wall(*parts: int) -> datetime:
    """A naive Beijing wall-clock time, as the charts' time axis takes them."""
    return datetime(*parts, tzinfo=TZ).replace(tzinfo=None)


def meeting(number: int, **changes: object) -> CalendarMeeting:
    values: dict[str, object] = {
        "id": number,
        "title": "支委会：研究发展党员工作，学习; 讨论\n第二项",
        "starts_at": local(12, 5),
        "place": "党员活动室",
        "description": "城关镇第一党支部",
        "offsets": (timedelta(days=1), timedelta(hours=1)),
        "version": 1,
        "cancelled": False,
    }
    values.update(changes)
    return CalendarMeeting(**values)


def parse(content: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_calendar_events_round_trip() -> None:
    content = build_calendar("第一党支部", [meeting(1), meeting(2, cancelled=True)], TZ, NOW)
    found = parse(content)
    first, second = found[meeting_uid(1)], found[meeting_uid(2)]
    assert str(first["SUMMARY"]) == "支委会：研究发展党员工作，学习; 讨论\n第二项"
    assert first.decoded("DTSTART") == local(12, 5)
    assert first["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert first.decoded("DTEND") - first.decoded("DTSTART") == timedelta(hours=2)
    triggers = sorted(a.decoded("TRIGGER") for a in first.walk("VALARM"))
    assert triggers == [-timedelta(days=1), -timedelta(hours=1)]
    assert str(second["STATUS"]) == "CANCELLED"
    assert second.walk("VALARM") == []
    assert b"BEGIN:VTIMEZONE" in content


def test_uids_are_stable_and_sequence_grows() -> None:
    before = parse(build_calendar("x", [meeting(7)], TZ, NOW))
    later = NOW + timedelta(days=1)
    moved = parse(build_calendar("x", [meeting(7, version=2)], TZ, later))
    cancelled = parse(build_calendar("x", [meeting(7, version=2, cancelled=True)], TZ, later))
    assert list(before) == list(moved) == list(cancelled) == ["meeting-7@dangjian-bot"]
    sequences = [
        found["meeting-7@dangjian-bot"]["SEQUENCE"] for found in (before, moved, cancelled)
    ]
    assert sequences == [0, 1, 2]


# A committee with two branches; the first has a 党小组.
ORGS = [
    OrgInfo(1, "城关镇党委", OrgKind.COMMITTEE, None),
    OrgInfo(2, "第一党支部", OrgKind.BRANCH, 1),
    OrgInfo(3, "第一党小组", OrgKind.GROUP, 2),
    OrgInfo(4, "第二党支部", OrgKind.BRANCH, 1),
]


def member(org: int, user: int) -> Membership:
    return Membership(org, user, Role.MEMBER, MemberStatus.FULL, local(1, 1), None)


def snapshot() -> Snapshot:
    members = [member(1, 1), member(2, 2), member(2, 3), member(3, 2), member(4, 4)]
    meetings = [
        MeetingInfo(10, 1, MeetingType.REGULAR, local(10, 9), "", "例会", 1),
        MeetingInfo(11, 2, MeetingType.COMMITTEE, local(10, 12), "", "", 2),
        MeetingInfo(12, 3, MeetingType.GROUP, local(11, 3), "", "", 2),
        MeetingInfo(13, 1, MeetingType.REGULAR, local(11, 9), "", "", 1),
    ]
    answers = [
        AnswerInfo(10, 1, Rsvp.YES, None, True),
        AnswerInfo(11, 2, Rsvp.YES, None, True),
        AnswerInfo(12, 2, Rsvp.YES, None, True),
    ]
    topic = TopicInfo(20, 1, "学习党章", local(10, 2), local(10, 9), 0, (2, 4))
    return Snapshot(
        root_id=1,
        period=parse_period("2026Q4", date(2026, 12, 31)),
        tz=TZ,
        now=NOW,
        orgs=ORGS,
        members=members,
        names={},
        meetings=meetings,
        answers=answers,
        topics=[topic],
        studied={(20, 2): False, (20, 3): True},
        quiz_correct={},
    )


def test_report_data_from_the_ledger() -> None:
    snap = snapshot()
    data = report_data(snap, build_ledger(snap))
    assert data.org == "城关镇党委"
    assert data.period == "2026年第4季度"
    assert data.first == wall(2026, 10, 1)
    assert data.last == wall(2027, 1, 1)
    # Only the committee's own meetings, in time order: 1 of 1, then 0 of 1.
    assert [(p.starts.day, p.kind, p.present, p.expected) for p in data.meetings] == [
        (9, MeetingType.REGULAR, 1, 1),
        (9, MeetingType.REGULAR, 0, 1),
    ]
    bars = {bar.name: bar for bar in data.below}
    assert set(bars) == {"第一党支部", "第二党支部"}  # directly below only; the 党小组 counts in
    first, second = bars["第一党支部"], bars["第二党支部"]
    assert (first.studied, first.study_expected) == (2, 2)
    assert (second.studied, second.study_expected) == (0, 1)
    # The first branch met its October 支委会 and its group its November meeting: more held.
    assert first.held > second.held
    assert first.required == second.required + 3  # its 党小组's three months
    assert data.below[0].name == "第二党支部"  # the lowest completion first
    assert data.has_below


def data_with(names: list[str], points: int = 4) -> ReportData:
    kinds = list(MeetingType)
    return ReportData(
        org="城关镇党委",
        period="2026年第4季度",
        span="2026-10-01至2026-12-31",
        first=wall(2026, 10, 1),
        last=wall(2027, 1, 1),
        meetings=[
            MeetingPoint(
                wall(2026, 10, 1, 15) + timedelta(days=4 * i), kinds[i % len(kinds)], i % 6, 5
            )
            for i in range(points)
        ],
        below=[OrgBar(name, i, 6, i, 8) for i, name in enumerate(names)],
        has_below=bool(names),
    )


# Names users may give: rare characters of the basic block, full-width and Latin letters,
# a dollar sign (no TeX), an emoji, a private-use and a control character.
NAMES = [
    "城关镇第一党支部",
    "畈垟岙村党支部",
    "鑫淼燚犇社区党支部",
    "ＡＢＣ公司党支部",
    "Party $x$ 支部",
    "㐀㐁党小组",
    "\ue000\x07党支部",
    "👍非公企业联合党支部",
    "长" * 60,
]


def png_size(content: bytes) -> tuple[int, int]:
    return struct.unpack(">II", content[16:24])


def test_charts_render_without_missing_glyphs() -> None:
    charts = render_report(data_with(NAMES, points=20)).charts
    assert [(c.width, c.height) for c in charts] == [(1080, 810), (1080, 1205)]
    for chart in charts:
        assert chart.warnings == ()
        assert png_size(chart.content) == (chart.width, chart.height)
        assert chart.filename.endswith(".png")


def test_many_organisations_are_paged() -> None:
    names = [f"第{i}党支部" for i in range(ORGS_PER_PAGE * 6)]
    report = render_report(data_with(names, points=0))
    assert len(report.charts) == 5  # no attendance chart: the committee held no meeting
    assert texts.CAPTION_NO_OWN.split("“")[0] in report.charts[0].caption
    assert "另有10个组织未列出" in report.charts[-1].caption


def test_labels_are_cut_to_what_the_fonts_draw() -> None:
    assert safe_label("㐀\ue000党\x07支部\u200d") == f"{REPLACEMENT}{REPLACEMENT}党 支部 "
    assert safe_label("长" * 30, 12) == "长" * 11 + "…"


def test_the_shipped_font_covers_the_basic_block_and_every_chart_text() -> None:
    covered = report_charts._coverage()
    # Up to Unicode 11's end of the block; the 16 of U+9FF0-9FFF (2021) are drawn as □.
    assert all(code in covered for code in range(0x4E00, 0x9FF0))
    drawn = [v for k, v in vars(texts).items() if k.isupper() and isinstance(v, str)]
    drawn += [kind.label for kind in MeetingType]
    missing = {c for text in drawn for c in text if ord(c) not in covered and not c.isspace()}
    assert missing == set()
    found = font_manager.findfont(font_manager.FontProperties(family=report_charts.FAMILY))
    assert found == str(FONT_FILE)


def test_a_missing_glyph_would_be_caught() -> None:
    """The check is real: drawn in DejaVu alone, Chinese raises the warning that
    ChartImage.warnings records (and that the tests above find none of)."""
    figure = Figure(figsize=(2, 1))
    FigureCanvasAgg(figure)
    figure.text(0.1, 0.5, "党", family="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(__import__("io").BytesIO(), format="png")
    assert any("missing from font" in str(item.message) for item in caught)


@pytest.mark.parametrize("points", [1, 16])
def test_attendance_chart_sizes(points: int) -> None:
    (chart,) = render_report(data_with([], points=points)).charts
    assert (chart.width, chart.height) == (1080, 810)
    assert chart.warnings == ()
