"""Issue 11 end to end: /calendar's .ics read back with icalendar, /report's PNG charts.

The charts are drawn in a child process; what it reported (its warnings, a missing glyph
among them) reaches the bot's log, which these tests read.
"""

from __future__ import annotations

import logging
import struct
from datetime import timedelta
from typing import Any

import pytest
from icalendar import Calendar

from bot import texts as common
from bot.core.domain import Domain, OrgKind, Role
from bot.core.periods import bad_period
from bot.texts import reports as texts
from emulator.world import User
from storage.repositories import MemberRepo, OrganisationRepo
from tests.e2e.harness import RunningBot
from tests.e2e.meetings_world import ORG, Branch, beijing, make_branch
from tests.e2e.test_ledger import quarter

PARENT = "城关镇党委"
WAIT = 60.0


def png_size(content: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", content[16:24])
    return width, height


async def sent_file(bot: RunningBot, chat: Any, user: User, text: str, kind: str) -> list[Any]:
    """`user` sends `text`; the bot's messages carrying a `kind` (document/photo) that follow,
    once the bot has finished answering."""
    emu = bot.emulator
    before = len(emu.bot_messages(chat))
    emu.send_text(chat, user, text)

    def carrying() -> list[Any]:
        return [m for m in emu.bot_messages(chat)[before:] if kind in m]

    # Drawing starts a child process that imports matplotlib: seconds on a busy machine.
    await emu.wait_for(carrying, timeout=WAIT, what=f"a {kind}")
    await emu.settle(quiet=0.5)
    return carrying()


async def reply(bot: RunningBot, user: User, text: str, contains: str) -> str:
    """`user` sends `text` privately; the bot's reply there containing `contains` (drafted
    meeting records may be waiting in that chat too)."""
    bot.emulator.send_text(user, user, text)
    return str((await bot.emulator.wait_for_bot_message(user, contains=contains))["text"])


def ics_of(bot: RunningBot, message: dict[str, Any]) -> Calendar:
    """The .ics file a message carries, parsed."""
    return Calendar.from_ical(bot.emulator.world.files[message["document"]["file_id"]].content)


def events(calendar: Calendar) -> dict[str, Any]:
    """UID -> VEVENT."""
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


async def two_meetings(bot: RunningBot) -> Branch:
    """A 支委会 with its own reminders, and a 党课 that is then cancelled."""
    bot.clock.set(beijing(12, 1, 9))
    branch = await make_branch(bot)
    await branch.announce("支委会 2026-12-05 15:00 党员活动室 研究发展党员工作")
    await branch.announce("党课 2026-12-09 15:00 会议室 学习党章")
    await branch.ask(branch.secretary, "/meeting_edit 1 提醒 2h,30m", "已修改会议")
    await branch.ask(branch.secretary, "/meeting_cancel 2 时间冲突", "已取消会议")
    await bot.emulator.settle()
    return branch


async def test_calendar_parses_back_with_stable_uids(bot: RunningBot) -> None:
    branch = await two_meetings(bot)
    # A member may take the calendar of their branch's group: the notices are there anyway.
    (first,) = await sent_file(bot, branch.group, branch.zhang, "/calendar", "document")
    assert first["document"]["file_name"] == f"会议日历_{ORG}.ics"
    assert "2次会议（其中1次已取消）" in first["caption"]
    calendar = ics_of(bot, first)
    assert str(calendar["X-WR-CALNAME"]) == ORG
    found = events(calendar)
    assert sorted(found) == ["meeting-1@dangjian-bot", "meeting-2@dangjian-bot"]
    committee, lecture = found["meeting-1@dangjian-bot"], found["meeting-2@dangjian-bot"]
    assert str(committee["SUMMARY"]) == "支委会：研究发展党员工作"
    assert str(committee["LOCATION"]) == "党员活动室"
    start = committee.decoded("DTSTART")
    assert start == beijing(12, 5, 15)
    assert str(start.tzinfo) == "Asia/Shanghai"
    assert committee["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert calendar.walk("VTIMEZONE")
    assert str(committee["STATUS"]) == "CONFIRMED"
    triggers = sorted(alarm.decoded("TRIGGER") for alarm in committee.walk("VALARM"))
    assert triggers == [-timedelta(hours=2), -timedelta(minutes=30)]
    assert str(lecture["STATUS"]) == "CANCELLED"
    assert not lecture.walk("VALARM")
    assert lecture["SEQUENCE"] > 0

    # Moved: the same UID with a higher SEQUENCE, so that a re-import updates the event.
    await branch.ask(branch.secretary, "/meeting_edit 1 时间 2026-12-06 15:00", "已修改会议")
    await bot.emulator.settle()
    (second,) = await sent_file(bot, branch.group, branch.secretary, "/calendar", "document")
    again = events(ics_of(bot, second))
    assert sorted(again) == sorted(found)
    moved = again["meeting-1@dangjian-bot"]
    assert moved.decoded("DTSTART") == beijing(12, 6, 15)
    assert moved["SEQUENCE"] > committee["SEQUENCE"]


async def test_calendar_privately_and_refused(bot: RunningBot) -> None:
    branch = await two_meetings(bot)
    # Privately, a member gets their own organisations' meetings.
    (mine,) = await sent_file(bot, branch.zhang, branch.zhang, "/calendar", "document")
    assert len(events(ics_of(bot, mine))) == 2
    (named,) = await sent_file(bot, branch.zhang, branch.zhang, f"/calendar {ORG}", "document")
    assert len(events(ics_of(bot, named))) == 2
    emu = bot.emulator
    stranger = emu.add_user("路人")
    emu.start_private_chat(stranger)
    await emu.wait_for_bot_message(stranger)
    assert await bot.say(stranger, stranger, "/calendar") == common.PRIVATE_NO_ORG
    said = await bot.say(stranger, stranger, f"/calendar {ORG}")
    assert said == common.NOT_MANAGER_OF.format(org=ORG)
    bot.clock.set(beijing(12, 20, 9))  # both meetings are past
    empty = await branch.ask(branch.zhang, "/calendar", "近期没有会议")
    assert empty == texts.CALENDAR_EMPTY.format(org=ORG)


def no_chart_warnings(caplog: pytest.LogCaptureFixture) -> None:
    drawn = [r.getMessage() for r in caplog.records if "drew with a warning" in r.getMessage()]
    assert drawn == []


async def test_report_sends_attendance_chart(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    branch = await quarter(bot)
    (photo,) = await sent_file(bot, branch.group, branch.secretary, "/report", "photo")
    assert photo["caption"].startswith(f"“{ORG}”2026年第4季度（2026-10-01至2026-12-31）")
    assert "共3次会议" in photo["caption"]
    content = bot.emulator.world.files[photo["photo"][-1]["file_id"]].content
    assert png_size(content) == (1080, 810)
    no_chart_warnings(caplog)


async def make_parent(bot: RunningBot, branch: Branch) -> None:
    """A township committee above the branch, managed by the branch's secretary."""
    async with bot.db() as session:
        orgs, members = OrganisationRepo(session), MemberRepo(session)
        parent = await orgs.create(
            name=PARENT, kind=OrgKind.COMMITTEE, domain=Domain.ORGAN, now=bot.clock.now()
        )
        child = await orgs.by_name(ORG)
        assert child is not None
        await orgs.set_parent(child.id, parent.id)
        await members.join(parent.id, branch.secretary.id, bot.clock.now())
        await members.set_role(parent.id, branch.secretary.id, Role.SECRETARY)


async def test_report_of_a_committee_shows_those_below(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    branch = await quarter(bot)
    await make_parent(bot, branch)
    secretary = branch.secretary
    photos = await sent_file(bot, secretary, secretary, f"/report 2026Q4 {PARENT}", "photo")
    (below,) = photos  # the committee held no meeting itself: only the chart of those below
    assert texts.CAPTION_NO_OWN.format(org=PARENT, period="2026年第4季度") in below["caption"]
    content = bot.emulator.world.files[below["photo"][-1]["file_id"]].content
    assert png_size(content) == (1080, 575)
    no_chart_warnings(caplog)


async def test_report_refusals(bot: RunningBot) -> None:
    branch = await quarter(bot)
    # (The group also gets the month's 三会一课 warnings: the reply is looked for by its words.)
    assert await branch.ask(branch.zhang, "/report", "抱歉") == common.MANAGERS_ONLY
    # The rest privately: the group has spent its 20 messages a minute by now.
    secretary = branch.secretary
    async with bot.db() as session:
        org = await OrganisationRepo(session).by_name(ORG)
        assert org is not None
        await MemberRepo(session).set_role(org.id, secretary.id, Role.SECRETARY)
    bad = await reply(bot, secretary, "/report 2026年第5季度", "2026年第5季度")
    assert bad == common.error_text(bad_period("2026年第5季度"))
    bad = await reply(bot, secretary, f"/report 明年的 {ORG}", "明年的")
    assert bad == common.error_text(bad_period(f"明年的 {ORG}"))
    empty = await reply(bot, secretary, "/report 2026年第3季度", "这个期间没有会议")
    assert empty == texts.NO_MEETINGS.format(
        org=ORG, period="2026年第3季度", span="2026-07-01至2026-09-30"
    )
    emu = bot.emulator
    other = emu.add_user("二支部书记")
    emu.start_private_chat(other)
    await emu.wait_for_bot_message(other)
    await bot.bound_group("二支部群", "第二党支部", other)
    said = await bot.say(other, other, f"/report 2026Q4 {ORG}")
    assert said == common.NOT_MANAGER_OF.format(org=ORG)
