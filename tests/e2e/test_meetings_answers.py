"""Issue 4 end to end: the notice, 参加 / 请假 with reasons, the live edits, /meeting_info."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.texts import meetings as texts
from tests.e2e.harness import RunningBot
from tests.e2e.meetings_world import beijing, make_branch


async def test_the_notice_collects_answers_and_reasons(bot: RunningBot) -> None:
    branch = await make_branch(bot)
    emu = bot.emulator
    _number, notice = await branch.announce("支部党员大会 2026-11-28 15:00 三楼会议室 选举支委")
    text = notice["text"]
    for part in (
        "支部党员大会",
        "11月28日（周六）15:00",
        "三楼会议室",
        "选举支委",
        "组织者：书记",
    ):
        assert part in text
    buttons = [b["text"] for row in notice["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["参加", "请假", "提醒未回复"]

    assert await branch.answer_of(branch.press(branch.zhang, notice, "参加")) == "已登记：参加"
    # 李四 can be messaged: the reason is asked privately.
    assert "请假" in await branch.answer_of(branch.press(branch.li, notice, "请假"))
    prompt = await emu.wait_for_bot_message(branch.li, contains="【请假原因")
    saved = await bot.say(branch.li, branch.li, "出差", reply_to=prompt["message_id"])
    assert saved == texts.REASON_SAVED
    # 王五 cannot: the group is asked, mentioning him, as a reply he is forced into.
    branch.press(branch.wang, notice, "请假")
    ask = await emu.wait_for_bot_message(branch.group, contains="【请假原因")
    (request,) = [
        r
        for r in emu.requests_for("sendMessage")
        if str(r.params["chat_id"]) == str(branch.group.id) and "请假原因" in r.params["text"]
    ]
    assert request.get("reply_markup") == {"force_reply": True, "selective": True}
    assert any(e["type"] == "text_mention" for e in ask.get("entities", []))
    assert await bot.say(branch.group, branch.wang, "生病", reply_to=ask) == texts.REASON_SAVED
    # Someone else replying to 王五's prompt gives no reason for him.
    emu.send_text(branch.group, branch.zhao, "我替他说", reply_to=ask)
    await emu.settle()

    bot.clock.advance(timedelta(seconds=10))
    await bot.sweep()
    current = branch.text(notice)
    assert "参加（1）：张三" in current
    assert "请假（2）：李四（出差）、王五（生病）" in current
    assert "未回复（2）：书记、赵六" in current
    # All those answers fell into one or two 10-second slots: at most two edits.
    assert len(emu.requests_for("editMessageText")) <= 2


async def test_answers_change_until_the_start_and_edits_are_debounced(bot: RunningBot) -> None:
    branch = await make_branch(bot)
    emu = bot.emulator
    number, notice = await branch.announce("党课 明天下午3点")
    for _ in range(3):  # a burst of taps inside one 10-second slot
        branch.press(branch.zhang, notice, "请假")
        branch.press(branch.zhang, notice, "参加")
    await emu.settle()
    bot.clock.advance(timedelta(seconds=10))
    await bot.sweep()
    await bot.sweep()
    assert len(emu.requests_for("editMessageText")) == 1
    assert "参加（1）：张三" in branch.text(notice)

    bot.clock.set(beijing(11, 27, 15))
    late = branch.press(branch.li, notice, "参加")
    assert await branch.answer_of(late) == texts.ANSWERS_CLOSED
    meeting = await branch.meeting(number)
    assert meeting.starts_at == beijing(11, 27, 15)


async def test_an_unchanged_notice_counts_as_refreshed(bot: RunningBot) -> None:
    branch = await make_branch(bot)
    _, notice = await branch.announce("党课 明天下午3点")
    branch.press(branch.zhang, notice, "参加")
    await bot.emulator.settle()
    branch.press(branch.zhang, notice, "参加")  # same answer: nothing changes
    await bot.emulator.settle()
    bot.clock.advance(timedelta(seconds=10))
    report = await bot.sweep()
    assert report.sent == 1
    assert report.failed == 0


async def test_a_refresh_that_would_show_the_same_is_not_sent(bot: RunningBot) -> None:
    """Issue 9: "message is not modified" edits wasted the group's 20 messages a minute."""
    branch = await make_branch(bot)
    emu = bot.emulator
    _, notice = await branch.announce("党课 明天下午3点")
    branch.press(branch.zhang, notice, "参加")
    await emu.settle()
    bot.clock.advance(timedelta(seconds=10))
    await bot.sweep()
    assert len(emu.requests_for("editMessageText")) == 1
    branch.press(branch.zhang, notice, "请假")  # and back again within the same slot
    branch.press(branch.zhang, notice, "参加")
    await emu.settle()
    bot.clock.advance(timedelta(seconds=10))
    report = await bot.sweep()
    assert report.expired == 1  # the refresh was skipped: the notice shows this already
    assert len(emu.requests_for("editMessageText")) == 1
    branch.press(branch.li, notice, "参加")  # a real change is shown
    await emu.settle()
    bot.clock.advance(timedelta(seconds=10))
    await bot.sweep()
    assert len(emu.requests_for("editMessageText")) == 2
    assert "参加（2）" in branch.text(notice)


async def test_meeting_info_counts_in_group_names_in_private(bot: RunningBot) -> None:
    branch = await make_branch(bot)
    emu = bot.emulator
    number, notice = await branch.announce("支部党员大会 2026-11-28 15:00")
    branch.press(branch.zhang, notice, "参加")
    branch.press(branch.wang, notice, "请假")
    ask = await emu.wait_for_bot_message(branch.group, contains="【请假原因")
    await bot.say(branch.group, branch.wang, "值班", reply_to=ask)

    counts = await branch.command(branch.zhang, f"/meeting_info {number}")
    assert "应到 5 人：参加 1，请假 1，未回复 3" in counts
    assert "值班" not in counts  # reasons are for managers only

    reply = await branch.command(branch.secretary, f"/meeting_info {number}")
    assert reply == texts.INFO_SENT_PRIVATELY
    details = (await emu.wait_for_bot_message(branch.secretary))["text"]
    assert "请假（1）：王五（值班）" in details
    assert "有表决权的正式党员 4 人，确认参加 1 人，未超过半数" in details

    private = await bot.say(branch.zhang, branch.zhang, f"/meeting_info {number}")
    assert "参加 1" in private
    assert "值班" not in private
    stranger = emu.add_user("路人")
    emu.start_private_chat(stranger)
    await emu.wait_for_bot_message(stranger)
    assert "没有编号为" in await bot.say(stranger, stranger, f"/meeting_info {number}")


async def test_meetings_lists_what_is_coming(bot: RunningBot) -> None:
    branch = await make_branch(bot)
    first, notice = await branch.announce("党课 明天下午3点 活动室")
    second, _ = await branch.announce("支委会 2026-12-03 09:00")
    branch.press(branch.zhang, notice, "参加")
    await bot.emulator.settle()
    listing = await branch.command(branch.li, "/meetings")
    assert listing.index(f"编号 {first}") < listing.index(f"编号 {second}")
    assert "参加 1，请假 0，未回复 4" in listing
    mine = await bot.say(branch.li, branch.li, "/meetings")
    assert f"编号 {second}" in mine


async def test_members_cannot_manage_meetings(bot: RunningBot) -> None:
    branch = await make_branch(bot)
    refused = await branch.command(branch.zhang, "/meeting 党课 明天下午3点")
    assert "只有" in refused
    number, notice = await branch.announce("党课 明天下午3点")
    query = branch.press(branch.zhang, notice, "提醒未回复")
    assert await branch.answer_of(query) == texts.MANAGERS_ONLY
    assert "只有" in await branch.command(branch.zhang, f"/meeting_cancel {number}")
    assert "只有" in await branch.command(branch.zhang, f"/meeting_edit {number} 地点 二楼")


async def test_privacy_mode_answers_add_people_to_the_roster(bot: RunningBot) -> None:
    """The bot is not an admin: it sees commands, buttons and replies to itself only."""
    emu = bot.emulator
    secretary, wang = emu.add_user("书记"), emu.add_user("王五")
    group = emu.add_group("二支部群", [secretary, wang], [secretary], with_bot=True)
    assert "第二党支部" in await bot.say(group, secretary, "/bind 第二党支部")
    emu.send_text(group, wang, "大家好")  # unseen: privacy mode
    reply = await bot.say(group, secretary, "/meeting 党课 明天下午3点")
    assert reply.startswith("已发布会议通知")
    notice = await emu.wait_for_bot_message(group, contains="📢")
    assert "未回复（1）：书记" in notice["text"]

    emu.press_button(group, wang, notice["message_id"], text="请假")
    ask = await emu.wait_for_bot_message(group, contains="【请假原因")
    assert await bot.say(group, wang, "出差", reply_to=ask) == texts.REASON_SAVED
    bot.clock.advance(timedelta(seconds=10))
    await bot.sweep()
    current = emu.message(group.id, notice["message_id"])["text"]
    assert "请假（1）：王五（出差）" in current


async def test_a_leave_whose_answer_comes_too_late_still_asks_the_reason(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Regression (issue 9): when answering the press failed ("query is too old"), the 请假
    was recorded but its reason never asked."""
    branch = await make_branch(bot)
    emu = bot.emulator
    _number, notice = await branch.announce("党课 2026-11-28 15:00")
    emu.callback_query_ttl = 0.0  # every press is already too old when the bot answers it
    branch.press(branch.li, notice, "请假")
    prompt = await emu.wait_for_bot_message(branch.li, contains="【请假原因")
    assert prompt["text"].startswith("【请假原因")
    assert any("Could not answer the button press" in r.message for r in caplog.records)
