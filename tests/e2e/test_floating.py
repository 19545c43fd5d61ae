"""Issue 14, part 1: floating members (流动党员) over the emulator, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from bot import texts as common
from bot.texts import floating as texts
from bot.texts import ledger as ledger_texts
from bot.texts import minutes as minutes_texts
from bot.texts import posts as posts_texts
from storage.models import DutyReport
from storage.repositories import OrganisationRepo
from tests.e2e.floating_world import FLOATING_ORG, make_world
from tests.e2e.harness import RunningBot
from tests.e2e.meetings_world import ORG, Branch, beijing, make_branch
from tests.e2e.test_ledger import hold, ledger_of, sheet_rows
from tests.e2e.worlds import started


async def test_away_back_and_the_list(bot: RunningBot) -> None:
    bot.clock.set(beijing(12, 1, 9))
    branch = await make_branch(bot)
    reply = await branch.command(branch.zhang, "/away 广东省东莞市 2026-03起 13800000000")
    assert reply.startswith("已登记：张三自2026年3月起在广东省东莞市"), reply
    assert f"组织关系仍在“{ORG}”" in reply
    assert "13800000000" in reply
    listed = await branch.command(branch.secretary, "/floating")
    assert listed.startswith(f"“{ORG}”外出的流动党员（1人）"), listed
    assert "· 张三：广东省东莞市，2026年3月起，13800000000，最近活动：" in listed
    # A manager records another member as a reply to their message.
    said = bot.emulator.send_text(branch.group, branch.li, "我下个月去苏州")
    await bot.emulator.settle()
    reply = await bot.say(branch.group, branch.secretary, "/away 江苏省苏州市", reply_to=said)
    assert reply.startswith("已登记：李四自2026年12月起在江苏省苏州市"), reply
    assert "（2人）" in await branch.command(branch.secretary, "/floating")
    back = await branch.command(branch.zhang, "/back")
    assert back == "欢迎回来！已结束张三在广东省东莞市的外出登记（2026年3月起）。"
    assert await branch.command(branch.zhang, "/back") == texts.NOT_AWAY.format(name="张三")
    listed = await branch.command(branch.secretary, "/floating")
    assert "张三" not in listed
    assert "李四" in listed
    reply = await bot.say(branch.group, branch.secretary, "/back", reply_to=said)
    assert reply.startswith("欢迎回来！已结束李四在江苏省苏州市的外出登记"), reply
    assert await branch.command(branch.secretary, "/floating") == texts.FLOATING_NONE.format(
        org=ORG
    )


async def test_bad_input_gets_a_clear_reply(bot: RunningBot) -> None:
    bot.clock.set(beijing(12, 1, 9))
    branch = await make_branch(bot)
    say, zhang = branch.command, branch.zhang
    assert await say(zhang, "/away") == texts.AWAY_USAGE
    assert await say(zhang, "/away 2026-03") == texts.AWAY_BAD_PLACE.format(word="2026-03")
    assert await say(zhang, "/away 东莞 2027-01起") == texts.AWAY_FUTURE_DATE.format(
        word="2027-01起"
    )
    assert await say(zhang, "/away 东莞 2026-13") == texts.AWAY_BAD_DATE.format(word="2026-13")
    assert await say(zhang, "/away 东莞 1900-01") == texts.AWAY_OLD_DATE.format(word="1900-01")
    assert await say(zhang, "/away 东莞 2026-0x") == texts.AWAY_BAD_DATE.format(word="2026-0x")
    assert await say(zhang, "/away " + "东" * 60) == texts.AWAY_PLACE_TOO_LONG.format(limit=50)
    assert await say(zhang, "/away 东莞 " + "x" * 300) == texts.AWAY_TOO_LONG.format(limit=200)
    assert await say(zhang, "/away 东莞 不存在的支部") == texts.HOST_NOT_FOUND.format(
        name="不存在的支部"
    )
    assert await say(zhang, "/back") == texts.NOT_AWAY.format(name="张三")
    # Not a member of any branch: privately, and in a group bound to nothing of theirs.
    emu = bot.emulator
    stranger = emu.add_user("路人")
    await started(emu, stranger)
    assert await bot.say(stranger, stranger, "/away 东莞") == texts.NOT_A_MEMBER
    # A manager's reply to someone who is no longer a member here.
    group_said = emu.send_text(branch.group, branch.wang, "我退出了")
    await emu.settle()
    emu.leave(branch.group, branch.wang)
    await emu.settle()
    reply = await bot.say(branch.group, branch.secretary, "/away 东莞", reply_to=group_said)
    assert reply == texts.TARGET_NOT_A_MEMBER.format(name="王五"), reply
    # A member's reply is not a manager's: refused.
    said = emu.send_text(branch.group, branch.li, "在")
    await emu.settle()
    reply = await bot.say(branch.group, branch.zhang, "/away 东莞", reply_to=said)
    assert "只有" in reply, reply


async def test_host_managers_see_activity_there_only(bot: RunningBot) -> None:
    bot.clock.set(beijing(12, 1, 9))
    world = await make_world(bot=bot)
    home = world.home
    reply = await home.command(home.zhang, f"/away 广东省东莞市 2026-11起 {FLOATING_ORG}")
    assert f"流入地党组织“{FLOATING_ORG}”" in reply, reply
    listed = await world.say(world.secretary, "/floating")
    assert f"“{FLOATING_ORG}”目前没有登记外出的党员。" in listed
    assert "在本组织参加活动的流动党员（1人" in listed
    line = f"· 张三：广东省东莞市，2026年11月起，组织关系在“{ORG}”，在本组织最近活动：暂无"
    assert line in listed
    # The floating branch's secretary cannot list the home branch, nor record its members.
    private = await bot.say(world.secretary, world.secretary, f"/floating {ORG}")
    assert private == common.NOT_MANAGER_OF.format(org=ORG), private
    assert "只有" in await home.command(home.zhang, "/floating")
    # In the floating group: its managers do not record other branches' members; the member
    # himself may (his only branch is his branch of record).
    said = bot.emulator.send_text(world.group, home.zhang, "我在东莞")
    await bot.emulator.settle()
    reply = await bot.say(world.group, world.secretary, "/away 东莞", reply_to=said)
    assert reply == texts.FLOATING_GROUP_REPLY
    reply = await world.say(home.zhang, "/away 广东省东莞市 2026-12起")
    assert reply.startswith("已登记：张三自2026年12月起在广东省东莞市"), reply
    assert f"组织关系仍在“{ORG}”" in reply


async def test_a_check_in_elsewhere_is_credited_at_home(bot: RunningBot) -> None:
    """The issue's end-to-end test: 张三 checks in at the 流动党员党支部's meeting; the home
    branch's ledger lists him as 异地参加 at its own meeting that month, never 缺席."""
    bot.clock.set(beijing(12, 1, 9))
    world = await make_world(bot=bot)
    home = world.home
    await home.command(home.zhang, "/away 广东省东莞市 2026-11起")
    floating = Branch(bot, world.group, world.secretary, home.zhang, home.li, home.wang, home.zhao)
    await hold(floating, beijing(12, 3, 15), "党课 东莞活动室 学习党章", {"张三": "参加+签到"})
    plan = {"书记": "签到", "李四": "参加+签到"}
    await hold(home, beijing(12, 5, 15), "支部党员大会 三楼会议室 年终总结", plan)
    bot.clock.set(beijing(12, 31, 20))
    _, book = await ledger_of(home, home.secretary, "/ledger 2026年12月")
    assert book.sheetnames == ["会议台账", "学习台账", "党员", "流动党员"]
    header, row = sheet_rows(book["会议台账"])
    assert header[10] == ledger_texts.AWAY_COLUMN
    assert row[9] == "王五、赵六"  # 缺席: not 张三
    assert row[10] == f"张三（异地参加：{FLOATING_ORG}）"
    _, *floating_rows = sheet_rows(book["流动党员"])
    assert floating_rows == [
        (
            ORG,
            "张三",
            "广东省东莞市",
            "2026-11-01",
            None,
            beijing(12, 3, 15).replace(tzinfo=None),
            FLOATING_ORG,
            "党课 异地参加",
        )
    ]
    # The 流动党员党支部's own ledger shows its meeting, and nothing of the home branch.
    _, book = await ledger_of(floating, world.secretary, "/ledger 2026年12月")
    assert book.sheetnames == ["会议台账", "学习台账", "党员"]
    _, row = sheet_rows(book["会议台账"])
    assert row[2] == "党课"
    assert "三楼会议室" not in str(row)


async def test_away_without_taking_part_is_listed_as_away(bot: RunningBot) -> None:
    bot.clock.set(beijing(12, 1, 9))
    home = await make_branch(bot)
    await home.command(home.wang, "/away 浙江省杭州市")
    number = await hold(
        home, beijing(12, 5, 15), "支部党员大会 三楼会议室 研究工作", {"书记": "签到"}
    )
    info = await bot.say(home.secretary, home.secretary, f"/meeting_info {number}")
    assert "🚌 外出（1）：王五（浙江省杭州市）" in info
    bot.clock.set(beijing(12, 31, 20))
    await bot.sweep()  # the meeting's record is drafted, for the secretary
    mark = f"{minutes_texts.MARK}{number}】"
    drafts = [
        m["text"] for m in bot.emulator.bot_messages(home.secretary) if mark in m.get("text", "")
    ]
    assert "王五（外出：浙江省杭州市）" in drafts[0]
    assert (
        "缺席人员：李四、张三、赵六" in drafts[0] or "王五" not in drafts[0].split("缺席人员：")[1]
    )
    _, book = await ledger_of(home, home.secretary, "/ledger 2026年12月")
    _, row = sheet_rows(book["会议台账"])
    assert "王五" not in row[9]
    assert row[10] == "王五（外出：浙江省杭州市）"


async def test_a_duty_reported_while_away_is_recorded_at_home(bot: RunningBot) -> None:
    """张三 holds a post at home and reports it from the 流动党员党支部's group, where he
    holds none: the report is his home branch's; back home, he has no post there."""
    bot.clock.set(beijing(12, 1, 9))
    world = await make_world(bot=bot)
    home = world.home
    added = await home.command(home.secretary, "/post add 纠纷调解 负责调解邻里纠纷")
    assert added.startswith("已设立岗位")
    assigned = await home.command(home.secretary, "/post assign 纠纷调解 张三")
    assert assigned.startswith("已把“纠纷调解”岗位交给张三"), assigned
    await home.command(home.zhang, "/away 广东省东莞市 2026-11起")
    reply = await world.say(home.zhang, "/duty 在东莞调解了两起工友纠纷")
    assert reply.startswith("已记录您的履职（纠纷调解，"), reply
    async with bot.db() as session:
        [report] = (await session.scalars(select(DutyReport))).all()
        home_org = await OrganisationRepo(session).by_name(ORG)
    assert home_org is not None
    assert (report.organisation_id, report.post_name) == (home_org.id, "纠纷调解")
    board = await home.command(home.secretary, "/posts")
    assert "张三：本月履职1次" in board
    await home.command(home.zhang, "/back")
    reply = await world.say(home.zhang, "/duty 又调解了一起")
    assert reply == posts_texts.DUTY_NO_POST
