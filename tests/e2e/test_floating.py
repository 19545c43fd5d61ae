"""Issue 14, part 1: floating members (流动党员) over the emulator, on SQLite and PostgreSQL."""

from __future__ import annotations

from bot import texts as common
from bot.texts import floating as texts
from tests.e2e.floating_world import FLOATING_ORG, make_world
from tests.e2e.harness import RunningBot
from tests.e2e.meetings_world import ORG, beijing, make_branch


async def test_away_back_and_the_list(bot: RunningBot) -> None:
    bot.clock.set(beijing(12, 1, 9))
    branch = await make_branch(bot)
    reply = await branch.command(branch.zhang, "/away 广东省东莞市 2026-03起 13800000000")
    assert reply.startswith("已登记：张三自2026年3月起在广东省东莞市"), reply
    assert f"组织关系仍在“{ORG}”" in reply and "13800000000" in reply
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
    assert "张三" not in listed and "李四" in listed


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
    emu.start_private_chat(stranger)
    await emu.wait_for_bot_message(stranger)
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
    assert f"· 张三：广东省东莞市，2026年11月起，组织关系在“{ORG}”，在本组织最近活动：暂无" in listed
    # The floating branch's secretary cannot list the home branch, nor record its members.
    private = await bot.say(world.secretary, world.secretary, f"/floating {ORG}")
    assert private == common.NOT_MANAGER_OF.format(org=ORG), private
    assert "只有" in await home.command(home.zhang, "/floating")
