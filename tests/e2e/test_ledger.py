"""Issue 11 end to end: a quarter of meetings answered and checked in, then /ledger's XLSX.

The workbook is read back with openpyxl, cell by cell, against what the members pressed.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot import texts as common
from bot.core.domain import Role
from bot.texts import ledger as texts
from bot.texts import minutes as minutes_texts
from emulator.world import User
from storage.repositories import MemberRepo, OrganisationRepo
from tests.e2e.harness import RunningBot
from tests.e2e.meetings_world import ORG, Branch, beijing, make_branch

# The workbook is built in a child process: on a loaded machine starting one takes seconds.
BUILD_TIMEOUT = 60.0


async def leave(branch: Branch, user: User, notice: dict[str, Any], reason: str) -> None:
    """`user` presses 请假 and gives the reason where the bot asks (privately or in the group)."""
    emu = branch.bot.emulator
    branch.press(user, notice, "请假")
    where = user if user in (branch.zhang, branch.li) else branch.group
    prompt = await emu.wait_for_bot_message(where, contains="【请假原因")
    assert await branch.bot.say(where, user, reason, reply_to=prompt) == "已记录请假原因，谢谢。"


async def hold(branch: Branch, when: Any, text: str, plan: dict[str, str]) -> int:
    """Announce a meeting at `when`, have each member answer as `plan` says (参加, 请假:原因,
    签到, 参加+签到), move to its start and check in."""
    bot, emu = branch.bot, branch.bot.emulator
    number, notice = await branch.announce(
        f"{text.split()[0]} {when:%Y-%m-%d %H:%M} {' '.join(text.split()[1:])}"
    )
    people = {"书记": branch.secretary, "张三": branch.zhang, "李四": branch.li}
    people |= {"王五": branch.wang, "赵六": branch.zhao}
    for name, doing in plan.items():
        if doing.startswith("请假:"):
            await leave(branch, people[name], notice, doing[3:])
        elif doing.startswith("参加"):
            branch.press(people[name], notice, "参加")
    await emu.settle()
    bot.clock.set(when)
    await bot.sweep()
    post = await emu.wait_for_bot_message(branch.group, contains="现在开始")
    for name, doing in plan.items():
        if doing.endswith("签到"):
            await branch.answer_of(branch.press(people[name], post, "签到"))
    await emu.settle()
    return number


async def quarter(bot: RunningBot) -> Branch:
    """Three meetings of the fourth quarter of 2026, then the last day of the quarter."""
    bot.clock.set(beijing(10, 1, 9))
    branch = await make_branch(bot)
    await hold(
        branch,
        beijing(10, 10, 15),
        '支部党员大会 三楼会议室 =HYPERLINK("http://x")',
        {"书记": "签到", "张三": "参加+签到", "李四": "请假:出差", "王五": "请假:-生病"},
    )
    bot.clock.set(beijing(11, 1, 9))
    await hold(
        branch,
        beijing(11, 14, 9, 30),
        "支委会 党员活动室 研究发展党员工作",
        {"书记": "参加+签到", "张三": "参加+签到", "赵六": "签到"},
    )
    bot.clock.set(beijing(12, 1, 9))
    await hold(branch, beijing(12, 5, 15), "党课 会议室 学习党章", {"李四": "请假:出差"})
    bot.clock.set(beijing(12, 31, 20))
    await bot.sweep()  # the last meeting's record is drafted
    return branch


async def complete_record(branch: Branch, number: int) -> None:
    """The secretary writes the meeting's drafted record and taps 完成."""
    bot, secretary = branch.bot, branch.secretary
    mark = f"{minutes_texts.MARK}{number}】"
    drafts = [
        m for m in bot.emulator.bot_messages(secretary) if m.get("text", "").startswith(mark)
    ]
    await bot.say(secretary, secretary, "内容：学习党章", reply_to=drafts[0])
    done = branch.press(secretary, drafts[0], minutes_texts.BUTTON_DONE)
    assert (await branch.answer_of(done)).startswith("会议记录第1版已完成")


def sheet_rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    """Every row's values from the header on."""
    return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


async def ledger_of(branch: Branch, user: User, text: str = "/ledger") -> tuple[Any, Any]:
    """`user` sends `text` in the group; the document message and the workbook."""
    emu = branch.bot.emulator
    before = len(emu.bot_messages(branch.group))
    emu.send_text(branch.group, user, text)
    found = await emu.wait_for(
        lambda: [m for m in emu.bot_messages(branch.group)[before:] if "document" in m],
        timeout=BUILD_TIMEOUT,
        what="the ledger",
    )
    message = found[0]
    content = emu.world.files[message["document"]["file_id"]].content
    return message, load_workbook(io.BytesIO(content))


async def test_the_quarter_ledger_matches_the_answers(bot: RunningBot) -> None:
    branch = await quarter(bot)
    await complete_record(branch, 1)
    message, book = await ledger_of(branch, branch.secretary)
    assert message["document"]["file_name"] == f"台账_{ORG}_2026年第4季度.xlsx"
    caption = message["caption"]
    assert "2026年第4季度（2026-10-01至2026-12-31）" in caption
    assert "会议3次" in caption
    assert book.sheetnames == ["会议台账", "学习台账", "党员"]  # no organisations below

    meetings = book["会议台账"]
    assert meetings["A1"].value == f"{ORG}　会议台账　2026年第4季度（2026-10-01至2026-12-31）"
    assert meetings.freeze_panes == "A3"
    assert meetings.auto_filter.ref == "A2:L5"
    header, *rows = sheet_rows(meetings)
    assert header == texts.MEETING_COLUMNS
    assert rows[0] == (
        beijing(10, 10, 15).replace(tzinfo=None),  # a spreadsheet has no zones
        "周六",
        "支部党员大会",
        '=HYPERLINK("http://x")',
        "三楼会议室",
        "书记",
        5,
        2,
        "李四：出差、王五：-生病",
        "赵六",
        0.4,
        "已完成",  # the meeting's record (会议记录), completed
    )
    assert meetings["D3"].data_type == "s"  # the agenda is text, never a formula
    assert meetings["D3"].quotePrefix
    assert meetings["K3"].number_format == "0.0%"
    assert meetings["A3"].is_date
    # The 支委会 expects the committee; 赵六 checked in without being expected: counted too.
    assert rows[1][2:10] == (
        "支委会",
        "研究发展党员工作",
        "党员活动室",
        "书记",
        5,
        3,
        None,
        "李四、王五",
    )
    assert rows[2][6:10] == (5, 0, "李四：出差", "书记、张三、王五、赵六")
    assert [row[11] for row in rows[1:]] == ["草稿", "草稿"]

    members = {row[0]: row for row in sheet_rows(book["党员"])[1:]}
    header = sheet_rows(book["党员"])[0]
    assert header[:4] == ("姓名", "身份", "职务", "支部党员大会（参加/应到）")
    assert members["张三"][3:6] == ("1/1", "1/1", "0/1")
    assert members["赵六"][1] == "预备党员"
    assert members["李四"][6] == 0  # attended none of three


async def test_refusals(bot: RunningBot) -> None:
    # A branch without meetings (a quarter of them would spend the group's 20 messages a
    # minute, and the replies would wait for Telegram's budget).
    branch = await make_branch(bot)
    refused = await branch.ask(branch.zhang, "/ledger", "抱歉")
    assert refused == common.MANAGERS_ONLY
    bad = await branch.ask(branch.secretary, "/ledger 明年的", "期间")
    assert bad == texts.BAD_PERIOD.format(text="明年的")
    empty = await branch.ask(branch.secretary, "/ledger 上季度", "没有会议")
    assert empty.endswith("这个期间没有会议，没有生成台账。")
    # Another organisation's secretary, privately, naming this one.
    emu = bot.emulator
    other = emu.add_user("二支部书记")
    emu.start_private_chat(other)
    await emu.wait_for_bot_message(other)
    await bot.bound_group("二支部群", "第二党支部", other)
    said = await bot.say(other, other, f"/ledger 2026Q3 {ORG}")
    assert said == common.NOT_MANAGER_OF.format(org=ORG)


async def test_a_manager_of_two_picks_with_a_button(bot: RunningBot) -> None:
    branch = await quarter(bot)
    emu = bot.emulator
    await bot.bound_group("二支部群", "第二党支部", branch.secretary)
    async with bot.db() as session:
        orgs = OrganisationRepo(session)
        for name in (ORG, "第二党支部"):
            org = await orgs.by_name(name)
            assert org is not None
            await MemberRepo(session).join(org.id, branch.secretary.id, bot.clock.now())
            await MemberRepo(session).set_role(org.id, branch.secretary.id, Role.SECRETARY)
    emu.send_text(branch.secretary, branch.secretary, "/ledger 本季度")
    prompt = await emu.wait_for_bot_message(branch.secretary, contains="您管理多个组织")
    assert prompt["text"] == texts.PICK_ORG.format(period="2026年第4季度")
    names = [row[0]["text"] for row in prompt["reply_markup"]["inline_keyboard"]]
    assert names == sorted([ORG, "第二党支部"])
    emu.press_button(branch.secretary, branch.secretary, prompt["message_id"], text=ORG)
    sent = await emu.wait_for(
        lambda: [m for m in emu.bot_messages(branch.secretary) if "台账" in m.get("caption", "")],
        timeout=BUILD_TIMEOUT,
        what="the ledger",
    )
    assert sent[0]["document"]["file_name"] == f"台账_{ORG}_2026年第4季度.xlsx"
