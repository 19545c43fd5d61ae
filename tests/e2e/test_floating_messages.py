"""Issue 14, part 1: what floating members (流动党员) are sent: meeting notices that never ask
them to come in person (remotely where allowed), home topics, the monthly digest."""

from __future__ import annotations

from bot.texts import floating as texts
from schedules.meetings import JOB_NAME
from storage.repositories.floating import FloatingRepo
from storage.repositories.meetings import MeetingRepo
from storage.repositories.study import StudyRepo
from tests.e2e.floating_world import make_world
from tests.e2e.harness import RunningBot
from tests.e2e.meetings_world import beijing, make_branch
from tests.e2e.test_ledger import hold
from tests.e2e.test_study_plans import PUBLISH_AT, import_file, topic_ids
from tests.e2e.test_study_tracking import ONE_TOPIC
from tests.e2e.worlds import on_roster


async def test_members_away_may_take_part_remotely(bot: RunningBot) -> None:
    bot.clock.set(beijing(12, 1, 9))
    home = await make_branch(bot)
    emu = bot.emulator
    await home.command(home.zhang, "/away 广东省东莞市")  # can be messaged privately
    await home.command(home.wang, "/away 浙江省杭州市")  # cannot
    _, notice = await home.announce("支部党员大会 2026-12-05 15:00 三楼会议室 年终总结 线上可参加")
    assert texts.REMOTE_NOTE in notice["text"]
    assert "🚌 外出（2）：张三（广东省东莞市）、王五（浙江省杭州市）" in notice["text"]
    assert "⏳ 未回复（3）：书记、李四、赵六" in notice["text"]
    await bot.sweep()
    private = await emu.wait_for_bot_message(home.zhang, contains="【流动党员】")
    assert "您外出期间不必赶回参加，本次会议可线上参加" in private["text"]
    assert private["text"].startswith("【流动党员】第一党支部将于")
    # The reminder a day before names those who have not answered, never those away.
    bot.clock.set(beijing(12, 4, 15))
    await bot.sweep()
    reminder = await emu.wait_for_bot_message(home.group, contains="会议提醒")
    assert "李四" in reminder["text"]
    assert "张三" not in reminder["text"]
    assert "王五" not in reminder["text"]
    assert not [m for m in emu.bot_messages(home.zhang) if "会议提醒" in m.get("text", "")]


async def test_without_remote_they_are_not_asked_to_come(bot: RunningBot) -> None:
    bot.clock.set(beijing(12, 1, 9))
    home = await make_branch(bot)
    await home.command(home.zhang, "/away 广东省东莞市")
    _, notice = await home.announce("支委会 2026-12-05 15:00 三楼会议室")
    assert texts.REMOTE_NOTE not in notice["text"]
    await bot.sweep()
    private = await bot.emulator.wait_for_bot_message(home.zhang, contains="【流动党员】")
    assert "您外出期间不必赶回参加；也可以在所在地的党组织或流动党员党支部参加" in private["text"]


async def test_a_recurring_meeting_may_be_attended_remotely(bot: RunningBot) -> None:
    """Every meeting the series materialises, now or later, edited or not, is 线上可参加."""
    bot.clock.set(beijing(12, 1, 9))
    home = await make_branch(bot)
    emu = bot.emulator
    await home.command(home.zhang, "/away 广东省东莞市")
    created = await home.command(
        home.secretary, "/meeting 支部党员大会 每月第一个周五 15:00 三楼会议室 线上可参加"
    )
    assert created.startswith("已建立周期会议（系列编号 1）"), created
    await bot.sweep()
    notice = await emu.wait_for_bot_message(home.group, contains="📢")
    assert "（编号 1）" in notice["text"]
    assert texts.REMOTE_NOTE in notice["text"]
    private = await emu.wait_for_bot_message(home.zhang, contains="【流动党员】")
    assert "支部党员大会（编号 1）。您外出期间不必赶回参加，本次会议可线上参加" in private["text"]
    # Editing one occurrence or the whole series keeps it; so do the occurrences made later.
    await home.ask(home.secretary, "/meeting_edit 2 时间 2027-01-08 15:00", "已修改会议（编号 2）")
    await home.ask(home.secretary, "/series_edit 1 地点 二楼会议室", "已修改周期会议")
    bot.clock.set(beijing(12, 27, 9))
    job_queue = bot.application.job_queue
    assert job_queue is not None
    (job,) = job_queue.get_jobs_by_name(JOB_NAME)
    await job.run(bot.application)
    async with bot.db() as session:
        later = await MeetingRepo(session).of_series(1, after=bot.clock.now())
        assert [m.id for m in later] == [2, 3]
        assert [await FloatingRepo(session).remote_allowed(m.id) for m in later] == [True, True]
    bot.clock.set(beijing(1, 1, 15).replace(year=2027))  # a week before the moved meeting
    await bot.sweep()
    private = await emu.wait_for_bot_message(home.zhang, contains="（编号 2）")
    assert "您外出期间不必赶回参加，本次会议可线上参加" in private["text"]
    notice = await emu.wait_for_bot_message(home.group, contains="（编号 2）")
    assert texts.REMOTE_NOTE in notice["text"]


async def test_home_topic_reaches_members_away(bot: RunningBot) -> None:
    bot.clock.set(beijing(12, 1, 9))
    world = await make_world(bot=bot)
    home, emu = world.home, bot.emulator
    emu.join(world.group, home.zhao)  # 赵六 cannot be messaged; he is in the floating group
    await on_roster(emu, world.group, [home.zhao], "报到")
    await home.command(home.zhang, "/away 广东省东莞市")
    await home.command(home.zhao, "/away 广东省东莞市")
    await import_file(
        bot, home.group, home.secretary, "计划.yaml", ONE_TOPIC.format(scope="本组织").encode()
    )
    (topic_id,) = await topic_ids(bot)
    bot.clock.set(PUBLISH_AT)
    await bot.sweep()
    private = await emu.wait_for_bot_message(home.zhang, contains="【流动党员·第一党支部】")
    assert "主题党日学习：学习党章" in private["text"]
    in_group = await emu.wait_for_bot_message(world.group, contains="【流动党员·第一党支部】")
    assert "赵六" in in_group["text"]
    assert "张三" not in in_group["text"].split("\n")[0]
    emu.press_button(home.zhang, home.zhang, private["message_id"], text="已学习")
    emu.press_button(world.group, home.zhao, in_group["message_id"], text="已学习")
    await emu.settle()
    async with bot.db() as session:
        studied = await StudyRepo(session).studied(topic_id)
    assert {home.zhang.id, home.zhao.id} <= set(studied)


async def test_the_monthly_digest(bot: RunningBot) -> None:
    bot.clock.set(beijing(12, 1, 9))
    home = await make_branch(bot)
    emu = bot.emulator
    await home.command(home.zhang, "/away 广东省东莞市 2026-11起")
    await import_file(
        bot, home.group, home.secretary, "计划.yaml", ONE_TOPIC.format(scope="本组织").encode()
    )
    await hold(home, beijing(12, 10, 15), "支部党员大会 三楼会议室 年终总结", {"书记": "签到"})
    bot.clock.set(beijing(12, 31, 18, 59))
    await bot.sweep()
    assert not [m for m in emu.bot_messages(home.zhang) if "月报" in m.get("text", "")]
    bot.clock.set(beijing(12, 31, 19))
    await bot.sweep()
    digest = await emu.wait_for_bot_message(home.zhang, contains="【流动党员月报·2026年12月】")
    text = digest["text"]
    assert "张三您好，您在广东省东莞市。“第一党支部”本月：" in text
    assert "召开会议1次\n· 12月10日（周四）15:00 支部党员大会" in text
    assert "学习主题：学习党章" in text
    assert "您还没有完成：学习党章" in text
