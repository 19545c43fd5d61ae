"""Issue 4 end to end: a meeting's life on an injected clock — reminders, quorum, changes,
nudges, the start and check-in — through the real Application and the HTTP emulator."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from bot.texts import meetings as texts
from emulator.world import User
from tests.e2e.harness import RunningBot
from tests.e2e.meetings_world import Branch, beijing, make_branch


def mentioned(message: dict[str, Any]) -> set[str]:
    """Who a message notifies: @usernames in the text and text mentions by user id."""
    text = message["text"]
    names = set(re.findall(r"@\w+", text))
    ids = {
        str(e["user"]["id"]) for e in message.get("entities", []) if e["type"] == "text_mention"
    }
    return names | ids


async def private_texts(branch: Branch, user: User) -> list[str]:
    """Everything the bot has sent the user privately, oldest first."""
    return [m["text"] for m in branch.bot.emulator.bot_messages(user)]


async def test_reminders_chase_only_those_who_have_not_answered(bot: RunningBot) -> None:
    branch = await make_branch(bot)
    emu = bot.emulator
    number, notice = await branch.announce("支部党员大会 2026-11-28 15:00 三楼")
    branch.press(branch.zhang, notice, "参加")
    branch.press(branch.li, notice, "请假")
    prompt = await emu.wait_for_bot_message(branch.li, contains="【请假原因")
    await bot.say(branch.li, branch.li, "出差", reply_to=prompt["message_id"])

    bot.clock.set(beijing(11, 27, 15))  # one day before: reminder and quorum check
    await bot.sweep()
    await bot.sweep()  # the private copies the first sweep queued
    reminder = await emu.wait_for_bot_message(branch.group, contains="会议提醒")
    assert "还有1天" in reminder["text"]
    assert mentioned(reminder) == {"@shuji", "@zhaoliu", str(branch.wang.id)}
    assert reminder["reply_to_message"]["message_id"] == notice["message_id"]
    # Privately: the secretary (has not answered, can be messaged); never 李四 (on leave).
    secretary_dms = await private_texts(branch, branch.secretary)
    assert any("您还没有回复" in text for text in secretary_dms)
    assert not any("会议提醒" in text for text in await private_texts(branch, branch.li))
    assert not any("会议提醒" in text for text in await private_texts(branch, branch.zhang))
    # Quorum: 4 full members (赵六 is probationary), 1 coming: the organiser is warned.
    assert any("有表决权的正式党员共 4 人，目前确认参加 1 人" in t for t in secretary_dms)

    # 王五 answers from the reminder's own buttons; the next reminder leaves him out.
    assert await branch.answer_of(branch.press(branch.wang, reminder, "参加")) == "已登记：参加"
    bot.clock.set(beijing(11, 28, 14))
    await bot.sweep()
    last = await emu.wait_for_bot_message(branch.group, contains="会议提醒")
    assert "还有1小时" in last["text"]
    assert mentioned(last) == {"@shuji", "@zhaoliu"}
    statuses = await branch.statuses(number)
    assert statuses["v1:reminder:86400"] == statuses["v1:reminder:3600"] == "sent"
    assert statuses["v1:quorum"] == "sent"


async def test_enough_voters_means_no_quorum_warning(bot: RunningBot) -> None:
    branch = await make_branch(bot)
    number, notice = await branch.announce("支部党员大会 2026-11-28 15:00")
    for person in (branch.zhang, branch.li, branch.wang):
        branch.press(person, notice, "参加")
    await bot.emulator.settle()
    bot.clock.set(beijing(11, 27, 15))
    await bot.sweep()
    await bot.sweep()
    assert (await branch.statuses(number))["v1:quorum"] == "expired"  # 3 of 4: not needed
    dms = await private_texts(branch, branch.secretary)
    assert not any("人数提醒" in text for text in dms)


async def test_changes_edit_the_notice_and_tell_who_answered(bot: RunningBot) -> None:
    branch = await make_branch(bot)
    emu = bot.emulator
    number, notice = await branch.announce("党课 2026-11-28 15:00 三楼")
    branch.press(branch.zhang, notice, "参加")
    branch.press(branch.wang, notice, "请假")
    ask = await emu.wait_for_bot_message(branch.group, contains="【请假原因")
    await bot.say(branch.group, branch.wang, "值班", reply_to=ask)

    reply = await branch.ask(
        branch.secretary, f"/meeting_edit {number} 时间 11月29日上午9点", "已修改会议"
    )
    assert reply == texts.EDITED.format(id=number, what="时间 11月29日（周日）09:00")
    await bot.sweep()
    await bot.sweep()
    change = await emu.wait_for_bot_message(branch.group, contains="会议变更")
    assert "时间改为：11月29日（周日）09:00（原定 11月28日（周六）15:00）" in change["text"]
    assert mentioned(change) == {str(branch.wang.id)}  # 张三 is told privately instead
    assert any("会议变更" in text for text in await private_texts(branch, branch.zhang))
    assert not any("会议变更" in text for text in await private_texts(branch, branch.li))
    statuses = await branch.statuses(number)
    assert statuses["v1:reminder:3600"] == "cancelled"
    assert statuses["v2:reminder:3600"] == "pending"

    bot.clock.advance(timedelta(seconds=10))
    await bot.sweep()
    assert "11月29日（周日）09:00" in branch.text(notice)

    await branch.ask(branch.secretary, f"/meeting_edit {number} 地点 二楼会议室", "已修改会议")
    await bot.sweep()
    moved = await emu.wait_for_bot_message(branch.group, contains="会议变更")
    assert "地点改为：二楼会议室（原定 三楼）" in moved["text"]

    reply = await branch.ask(branch.secretary, f"/meeting_cancel {number} 场地冲突", "已取消会议")
    assert reply == texts.CANCELLED_DONE.format(id=number)
    await bot.sweep()
    await bot.sweep()
    off = await emu.wait_for_bot_message(branch.group, contains="会议取消")
    assert "原因：场地冲突" in off["text"]
    assert any("会议取消" in text for text in await private_texts(branch, branch.zhang))
    bot.clock.advance(timedelta(seconds=10))
    await bot.sweep()
    current = emu.message(branch.group.id, notice["message_id"])
    assert "会议已取消" in current["text"]
    assert "reply_markup" not in current  # no more buttons

    sent_before = len(emu.bot_messages(branch.group))
    bot.clock.set(beijing(11, 29, 9))
    await bot.sweep()
    assert len(emu.bot_messages(branch.group)) == sent_before  # nothing for a cancelled one
    assert "已经取消" in await branch.command(branch.secretary, f"/meeting_cancel {number}")


async def test_nudge_start_and_check_in(bot: RunningBot) -> None:
    branch = await make_branch(bot)
    emu = bot.emulator
    number, notice = await branch.announce("党课 今天下午3点 活动室")
    query = branch.press(branch.secretary, notice, "提醒未回复")
    assert await branch.answer_of(query) == texts.NUDGE_DONE
    nudge = await emu.wait_for_bot_message(branch.group, contains="请尽快回复")
    assert str(branch.wang.id) in mentioned(nudge)
    again = branch.press(branch.secretary, notice, "提醒未回复")
    assert await branch.answer_of(again) == texts.NUDGE_RECENT
    branch.press(branch.zhang, notice, "参加")
    await emu.settle()

    bot.clock.set(beijing(11, 26, 14, 29))
    early = branch.press(branch.zhang, notice, "参加")  # still open before the start
    assert await branch.answer_of(early) == texts.ANSWERED_SAME.format(rsvp="参加")

    bot.clock.set(beijing(11, 26, 15))  # the start: the 14:00 reminder was never swept
    await bot.sweep()
    post = await emu.wait_for_bot_message(branch.group, contains="现在开始")
    statuses = await branch.statuses(number)
    assert statuses["v1:reminder:3600"] == "expired"
    assert statuses["v1:checkin"] == "sent"
    assert await branch.answer_of(branch.press(branch.zhang, post, "签到")) == texts.CHECKED_IN
    twice = branch.press(branch.zhang, post, "签到")
    assert await branch.answer_of(twice) == texts.CHECKED_IN_ALREADY
    bot.clock.advance(timedelta(seconds=10))
    await bot.sweep()
    current = emu.message(branch.group.id, notice["message_id"])
    assert "已签到（1/5）：张三" in current["text"]
    assert "reply_markup" not in current  # answers closed at the start

    bot.clock.set(beijing(11, 26, 16, 1))
    late = branch.press(branch.li, post, "签到")
    assert await branch.answer_of(late) == texts.CHECKIN_CLOSED
