"""Issue 4 reliability: restarts, a process killed mid-sweep, and chats or notices gone.

A "restart" stops the first Application and builds a second one on the same database
and emulator; the shared FakeClock moves while the bot is down.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services import meeting_plan
from bot.services.outbox import LEASE, Attempt
from bot.texts import meetings as meeting_texts
from storage.records import DeliveryRecord
from storage.repositories import ChatRepo, DeliveryRepo
from tests.e2e.harness import BotFactory, RunningBot, stop_bot
from tests.e2e.meetings_world import beijing, make_branch


class Killed(BaseException):
    """The process dies: nothing after this point runs (not even the outbox's bookkeeping)."""


def group_texts(bot: RunningBot, chat_id: int, part: str) -> list[str]:
    return [m["text"] for m in bot.emulator.bot_messages(chat_id) if part in m.get("text", "")]


async def restart(bot_factory: BotFactory, old: RunningBot) -> RunningBot:
    """Stop `old` and start a fresh Application on the same database."""
    await stop_bot(old)
    new = await bot_factory()
    new.hold_sweeps()
    return new


async def test_after_a_restart_due_reminders_go_once_and_late_ones_expire(
    bot_factory: BotFactory,
) -> None:
    first = await bot_factory()
    branch = await make_branch(first)
    number, notice = await branch.announce("党课 2026-11-28 15:00")
    group = branch.group.id

    first.clock.set(beijing(11, 27, 16))  # down while the 1-day reminder fell due
    second = await restart(bot_factory, first)
    branch.bot = second
    await second.sweep()
    await second.sweep()
    await second.sweep()
    assert len(group_texts(second, group, "会议提醒")) == 1
    secretary_dms = group_texts(second, branch.secretary.id, "您还没有回复")
    assert len(secretary_dms) == 1

    # The new process keeps the notice live: an answer edits the same message.
    branch.press(branch.zhang, notice, "参加")
    await second.emulator.settle()
    second.clock.advance(timedelta(seconds=10))
    await second.sweep()
    assert "参加（1）：张三" in branch.text(notice)

    third = await restart(bot_factory, second)
    branch.bot = third
    third.clock.set(beijing(11, 28, 15, 5))  # down through the 1-hour reminder and the start
    await third.sweep()
    await third.sweep()
    assert len(group_texts(third, group, "会议提醒")) == 1  # the late one is not sent
    statuses = await branch.statuses(number)
    assert statuses["v1:reminder:3600"] == "expired"
    assert statuses["v1:checkin"] == "sent"  # within the check-in hour: still useful
    assert len(group_texts(third, group, "现在开始")) == 1


async def test_killed_mid_sweep_repeats_at_most_the_message_in_flight(
    bot_factory: BotFactory,
) -> None:
    first = await bot_factory()
    branch = await make_branch(first)
    one, _ = await branch.announce("党课 2026-11-28 15:00")
    two, _ = await branch.announce("支委会 2026-11-28 16:00")
    outbox = first.runtime.services.outbox
    record = outbox.record

    async def dies_after_sending(delivery: DeliveryRecord, attempt: Attempt) -> str:
        if delivery.kind == meeting_plan.REMINDER:  # Telegram has the message ...
            raise Killed  # ... and the process dies before the outbox records it
        return await record(delivery, attempt)

    # The notices woke a sweep of their own; under load it may still be running when the
    # clock moves and would claim the reminders: let it end before the clock moves.
    await first.sweep()
    outbox.record = dies_after_sending  # type: ignore[method-assign]
    first.clock.set(beijing(11, 27, 16, 30))  # both 1-day reminders are due
    with pytest.raises(Killed):
        await first.sweep()
    group = branch.group.id
    assert len(group_texts(first, group, "会议提醒")) == 1

    second = await restart(bot_factory, first)
    await second.sweep()  # the claimed rows belong to the dead process for a while
    assert len(group_texts(second, group, "会议提醒")) == 1
    second.clock.advance(LEASE + timedelta(seconds=1))
    for _ in range(3):
        await second.sweep()
    reminders = group_texts(second, group, "会议提醒")
    assert len(reminders) == 3  # the one in flight twice, the other once
    async with second.db() as session:
        for number in (one, two):
            row = await DeliveryRepo(session).by_key(f"mtg:{number}:v1:reminder:86400")
            assert row is not None
            assert row.status.value == "sent"
    # The private copies were queued before the group message: each went exactly once.
    assert len(group_texts(second, branch.secretary.id, "您还没有回复")) == 2


async def test_a_deleted_notice_or_a_removed_bot_fails_deliveries_not_the_sweep(
    bot: RunningBot,
) -> None:
    branch = await make_branch(bot)
    emu = bot.emulator
    number, notice = await branch.announce("党课 2026-11-28 15:00")
    branch.press(branch.zhang, notice, "参加")
    await emu.settle()
    emu.delete_message(branch.group, notice["message_id"])  # before the debounced edit
    bot.clock.advance(timedelta(seconds=10))
    report = await bot.sweep()
    assert report.failed == 1
    assert "message to edit not found" in report.errors[0].lower()

    emu.remove_bot(branch.group, branch.secretary)
    await emu.settle()
    bot.clock.set(beijing(11, 27, 15))
    report = await bot.sweep()
    assert report.failed == 1  # the group reminder: the bot was removed
    statuses = await branch.statuses(number)
    assert statuses["v1:reminder:86400"] == "failed"
    # Those who can be messaged privately are still reminded.
    assert statuses[f"v1:reminder:86400:dm:{branch.secretary.id}"] == "sent"
    assert statuses[f"v1:reminder:86400:dm:{branch.li.id}"] == "sent"
    async with bot.db() as session:
        chat = await ChatRepo(session).get(branch.group.id)
    assert chat is not None
    assert not chat.active


async def test_a_whole_life_across_a_restart(bot_factory: BotFactory) -> None:
    """Create, answer, remind, move, restart, remind again, start, check in."""
    first = await bot_factory()
    branch = await make_branch(first)
    emu, group = first.emulator, branch.group.id
    number, notice = await branch.announce("支部党员大会 2026-11-28 15:00 三楼")
    branch.press(branch.zhang, notice, "参加")
    branch.press(branch.li, notice, "请假")
    prompt = await emu.wait_for_bot_message(branch.li, contains="【请假原因")
    await first.say(branch.li, branch.li, "出差", reply_to=prompt["message_id"])

    first.clock.set(beijing(11, 27, 15))
    await first.sweep()
    assert len(group_texts(first, group, "会议提醒")) == 1
    await branch.ask(branch.secretary, f"/meeting_edit {number} 时间 11月28日下午4点", "已修改")
    await first.sweep()
    assert len(group_texts(first, group, "会议变更")) == 1
    assert len(group_texts(first, branch.zhang.id, "会议变更")) == 1  # told privately

    second = await restart(bot_factory, first)
    branch.bot = second
    second.clock.set(beijing(11, 28, 15))  # one hour before the new time
    await second.sweep()
    reminders = group_texts(second, group, "会议提醒")
    assert len(reminders) == 2
    assert "11月28日（周六）16:00" in reminders[-1]
    assert "@zhangsan" not in reminders[-1]  # answered
    assert "李四" not in reminders[-1]  # on leave

    second.clock.set(beijing(11, 28, 16))
    await second.sweep()
    post = await emu.wait_for_bot_message(group, contains="现在开始")
    for person in (branch.zhang, branch.wang):
        branch.press(person, post, "签到")
    await emu.settle()
    second.clock.advance(timedelta(seconds=10))
    await second.sweep()
    final = branch.text(notice)
    assert "时间：11月28日（周六）16:00" in final
    assert "已签到（2/5）：张三、王五" in final
    statuses = await branch.statuses(number)
    assert statuses["v1:reminder:3600"] == "cancelled"  # replaced by the new time's plan
    assert statuses["v2:reminder:3600"] == "sent"
    assert statuses["v2:checkin"] == "sent"
    assert len(group_texts(second, group, "会议提醒")) == 2  # nothing sent twice


async def test_a_guided_flow_carries_on_after_a_restart(bot_factory: BotFactory) -> None:
    """Drafts live in the database: the process that asked need not be the one that hears."""
    first = await bot_factory()
    branch = await make_branch(first)
    emu = first.emulator
    emu.send_text(branch.group, branch.secretary, "/meeting")
    types = await emu.wait_for_bot_message(branch.group, contains="请选择会议类型")
    branch.press(branch.secretary, types, "党课")
    ask_time = await emu.wait_for_bot_message(branch.group, contains="写上会议时间")
    await emu.settle()

    second = await restart(bot_factory, first)
    branch.bot = second
    emu.send_text(branch.group, branch.secretary, "明天下午3点", reply_to=ask_time)
    ask_place = await emu.wait_for_bot_message(branch.group, contains="会议地点")
    emu.send_text(branch.group, branch.secretary, "/cancel")
    assert (await emu.wait_for_bot_message(branch.group))["text"] == meeting_texts.FLOW_CANCELLED
    emu.send_text(branch.group, branch.secretary, "活动室", reply_to=ask_place)
    await emu.settle()
    assert not [m for m in emu.bot_messages(branch.group) if "会议议题" in m["text"]]
