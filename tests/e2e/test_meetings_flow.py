"""Issue 4 end to end: the guided /meeting, recurring series and their materialisation job."""

from __future__ import annotations

from typing import Any

from bot.texts import meetings as texts
from schedules.meetings import JOB_NAME
from storage.repositories.meetings import MeetingRepo
from tests.e2e.harness import RunningBot
from tests.e2e.meetings_world import Branch, beijing, make_branch


async def next_prompt(branch: Branch, contains: str) -> dict[str, Any]:
    return await branch.bot.emulator.wait_for_bot_message(branch.group, contains=contains)


async def reply(branch: Branch, prompt: dict[str, Any], text: str) -> None:
    branch.bot.emulator.send_text(branch.group, branch.secretary, text, reply_to=prompt)


async def test_the_guided_flow_asks_step_by_step(bot: RunningBot) -> None:
    branch = await make_branch(bot)
    emu = bot.emulator
    emu.send_text(branch.group, branch.secretary, "/meeting")
    types = await next_prompt(branch, "请选择会议类型")
    labels = [b["text"] for row in types["reply_markup"]["inline_keyboard"] for b in row]
    assert labels[:9] == ["支部党员大会", "支委会", "党小组会", "党课", "主题党日", "组织生活会",
                          "民主评议党员", "党建例会", "其他"]  # fmt: skip
    intruder = branch.press(branch.zhang, types, "党课")
    assert await branch.answer_of(intruder) == texts.FLOW_NOT_YOURS
    branch.press(branch.secretary, types, "党课")
    ask_time = await next_prompt(branch, "写上会议时间")
    assert branch.text(types) == "类型：党课"

    await reply(branch, ask_time, "明天3点")
    again = await next_prompt(branch, "请重新回复本消息")
    assert "上午还是下午" in again["text"]
    await reply(branch, again, "明天下午3点")
    await reply(branch, await next_prompt(branch, "会议地点"), "活动室")
    await reply(branch, await next_prompt(branch, "会议议题"), "学习党章")
    confirm = await next_prompt(branch, "请确认")
    assert "时间：11月27日（周五）15:00\n地点：活动室\n议题：学习党章" in confirm["text"]
    branch.press(branch.secretary, confirm, "确认发布")
    notice = await emu.wait_for_bot_message(branch.group, contains="📢")
    assert "学习党章" in notice["text"]
    await emu.settle()
    assert branch.text(confirm).startswith("已发布会议通知（编号 1）")


async def test_cancel_leaves_the_flow(bot: RunningBot) -> None:
    branch = await make_branch(bot)
    emu = bot.emulator
    emu.send_text(branch.group, branch.secretary, "/meeting")
    types = await next_prompt(branch, "请选择会议类型")
    branch.press(branch.secretary, types, "支委会")
    await next_prompt(branch, "写上会议时间")
    assert await branch.command(branch.secretary, "/cancel") == texts.FLOW_CANCELLED
    emu.send_text(branch.group, branch.secretary, "/cancel")  # nothing to leave: not answered
    await emu.settle()
    cancelled = [m for m in emu.bot_messages(branch.group) if m["text"] == texts.FLOW_CANCELLED]
    assert len(cancelled) == 1
    async with bot.db() as session:
        assert await MeetingRepo(session).get(1) is None


async def test_a_series_is_materialised_ahead_and_managed_as_a_whole(bot: RunningBot) -> None:
    branch = await make_branch(bot)
    emu = bot.emulator
    created = await branch.command(
        branch.secretary, "/meeting 主题党日 每月第一个周五 15:00 活动室 学习党章"
    )
    assert created.startswith("已建立周期会议（系列编号 1）：主题党日，每月第一个周五 15:00")
    assert "编号 1：12月4日（周五）15:00" in created
    assert "编号 2：2027年1月1日（周五）15:00" in created
    await emu.settle()
    assert not [m for m in emu.bot_messages(branch.group) if "📢" in m["text"]]  # a week ahead

    bot.clock.set(beijing(11, 27, 15))
    await bot.sweep()
    notice = await emu.wait_for_bot_message(branch.group, contains="📢")
    assert "周期：每月第一个周五 15:00" in notice["text"]

    job_queue = bot.application.job_queue
    assert job_queue is not None
    (job,) = job_queue.get_jobs_by_name(JOB_NAME)
    bot.clock.set(beijing(12, 27, 9))
    await job.run(bot.application)
    await job.run(bot.application)  # idempotent
    await bot.sweep()  # the notice of 1 January is due (a week ahead) by the clock
    assert "（编号 2）" in (await emu.wait_for_bot_message(branch.group, contains="📢"))["text"]
    await emu.settle()
    async with bot.db() as session:
        coming = await MeetingRepo(session).of_series(1, after=bot.clock.now())
    assert [m.starts_at for m in coming] == [
        beijing(1, 1, 15).replace(year=2027),
        beijing(2, 5, 15).replace(year=2027),
    ]

    # One occurrence moves on its own; the whole series changes place; then it stops.
    secretary = branch.secretary
    await branch.ask(secretary, "/meeting_edit 2 时间 2027-01-08 15:00", "已修改会议（编号 2）")
    edited = await branch.ask(secretary, "/series_edit 1 地点 二楼会议室", "已修改周期会议")
    assert edited == texts.SERIES_EDITED.format(id=1, what="地点 二楼会议室", count=2)
    stopped = await branch.ask(secretary, "/series_cancel 1", "已取消周期会议")
    assert stopped == texts.SERIES_CANCELLED.format(id=1, count=2)
    await job.run(bot.application)
    async with bot.db() as session:
        assert await MeetingRepo(session).of_series(1, after=bot.clock.now()) == []
        second = await MeetingRepo(session).get(2)
    assert second is not None
    assert (second.cancelled, second.place) == (True, "二楼会议室")
    assert second.starts_at == beijing(1, 8, 15).replace(year=2027)


async def test_a_meeting_minutes_ahead_has_no_reminders_but_its_notice(bot: RunningBot) -> None:
    """Regression: a start closer than the smallest reminder offset (1 h) crashed plan()."""
    branch = await make_branch(bot)
    number, notice = await branch.announce("党课 2026-11-26 10:03 活动室")
    assert f"编号 {number}" in notice["text"]
    statuses = await branch.statuses(number)
    assert not [key for key in statuses if "reminder" in key]
    assert statuses["v1:checkin"] == "pending"
