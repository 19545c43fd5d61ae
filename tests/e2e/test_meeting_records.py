"""Issue 11: the meeting record (会议记录) drafts itself when check-in closes, managers write
it by replying, 完成 closes a version, and /record sends it as a .docx that reads back."""

from __future__ import annotations

import io
from datetime import timedelta

from docx import Document

from bot.core.domain import Role
from bot.texts import minutes as texts
from storage.repositories import MemberRepo, OrganisationRepo
from storage.repositories.minutes import MinutesRepo
from tests.e2e.harness import BotFactory, RunningBot, stop_bot
from tests.e2e.meetings_world import Branch, beijing, make_branch


async def held_meeting(branch: Branch) -> int:
    """A 支部党员大会 on Saturday 15:00: 张三 comes, 李四 is away on business, 张三 and 王五
    check in."""
    bot, emu = branch.bot, branch.bot.emulator
    number, notice = await branch.announce("支部党员大会 2026-11-28 15:00 三楼 学习支部工作条例")
    branch.press(branch.zhang, notice, "参加")
    branch.press(branch.li, notice, "请假")
    prompt = await emu.wait_for_bot_message(branch.li, contains="【请假原因")
    await bot.say(branch.li, branch.li, "出差", reply_to=prompt["message_id"])
    bot.clock.set(beijing(11, 28, 15))
    await bot.sweep()
    post = await emu.wait_for_bot_message(branch.group, contains="现在开始")
    for person in (branch.zhang, branch.wang):
        branch.press(person, post, "签到")
    await emu.settle()
    return number


async def test_a_record_is_drafted_completed_by_reply_and_filed_as_docx(
    bot: RunningBot,
) -> None:
    branch = await make_branch(bot)
    emu, secretary = bot.emulator, branch.secretary
    number = await held_meeting(branch)

    bot.clock.set(beijing(11, 28, 16, 1))  # check-in closed a minute ago
    await bot.sweep()
    await bot.sweep()
    draft = await emu.wait_for_bot_message(secretary, contains=texts.MARK)
    text = draft["text"]
    assert text.startswith(f"{texts.MARK}{number}】草稿")
    assert "会议名称：第一党支部支部党员大会" in text
    assert "地点：三楼" in text
    assert "主持人：书记" in text
    assert "应到：5人　实到：2人　请假：1人　缺席：2人" in text
    assert "实到人员：张三、王五" in text
    assert "请假人员：李四（出差）" in text
    assert "缺席人员：书记、赵六" in text
    assert "议题：学习支部工作条例" in text
    # Nothing went to the group (the manager can be messaged), nor to plain members.
    assert not [m for m in emu.bot_messages(branch.group) if texts.MARK in m.get("text", "")]
    assert not [m for m in emu.bot_messages(branch.zhang) if texts.MARK in m.get("text", "")]

    content = "内容：\n一、学习条例\n二、讨论发言"
    said = await bot.say(secretary, secretary, content, reply_to=draft)
    assert said.startswith("已记入会议内容（第1版）")
    said = await bot.say(secretary, secretary, "张三同志介绍了学习体会", reply_to=draft)
    assert said.startswith("已记入会议内容")
    said = await bot.say(secretary, secretary, "决议：同意按期召开组织生活会", reply_to=draft)
    assert said.startswith("已记入决议（第1版）")
    said = await bot.say(secretary, secretary, "记录人：李四", reply_to=draft)
    assert said.startswith("已登记记录人：李四")

    query = branch.press(secretary, draft, texts.BUTTON_DONE)
    assert (await branch.answer_of(query)).startswith("会议记录第1版已完成")
    await emu.wait_for_bot_message(secretary, contains="第1版已完成，可发送")
    async with bot.db() as session:
        assert await MinutesRepo(session).records_status([number, 999]) == {number: "已完成"}

    emu.send_text(secretary, secretary, f"/record {number}")
    shown = await emu.wait_for_bot_message(secretary, contains="第1版·已完成")
    assert "一、学习条例\n二、讨论发言\n\n张三同志介绍了学习体会" in shown["text"]
    filed = await emu.wait_for_bot_message(secretary, contains="会议记录（")
    assert filed["document"]["file_name"] == f"会议记录_{number}_第1版.docx"
    document = Document(io.BytesIO(emu.world.files[filed["document"]["file_id"]].content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "第一党支部支部党员大会会议记录"
    header = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert header["会议名称"] == "第一党支部支部党员大会"
    assert header["记录人"] == "李四"
    assert header["应到人数"] == "5"
    assert header["实到人数"] == "2"
    assert header["请假人员（原因）"] == "李四（出差）"
    assert header["缺席人员"] == "书记、赵六"
    content = paragraphs.index("会议内容")
    assert paragraphs[content + 1 : content + 3] == [
        "一、学习条例\n二、讨论发言",  # one paragraph per reply, lines kept
        "张三同志介绍了学习体会",
    ]
    resolutions = paragraphs.index("决议")
    assert paragraphs[resolutions + 1] == "同意按期召开组织生活会"
    assert any(p.startswith("主持人（签字）") for p in paragraphs)

    # An edit after 完成 is a new version; the completed one stays as it was.
    said = await bot.say(secretary, secretary, "决议：会后报送上级党委", reply_to=draft)
    assert "第2版" in said
    async with bot.db() as session:
        first = await MinutesRepo(session).latest_done(number)
        newest = await MinutesRepo(session).latest(number)
    assert first is not None
    assert newest is not None
    assert (first.version, "报送" in first.resolutions) == (1, False)
    assert (newest.version, newest.done, "报送" in newest.resolutions) == (2, False, True)


async def test_members_cannot_read_or_write_a_record(bot: RunningBot) -> None:
    branch = await make_branch(bot)
    number = await held_meeting(branch)
    zhang = branch.zhang
    said = await bot.say(zhang, zhang, f"/record {number}")
    assert said == texts.ONLY_MANAGERS
    said = await branch.command(zhang, f"/record {number}")
    assert said == texts.ONLY_MANAGERS
    secretary = branch.secretary
    assert await bot.say(secretary, secretary, "/record") == texts.RECORD_USAGE
    assert "编号" in await bot.say(secretary, secretary, "/record 第一次")
    assert "999" in await bot.say(secretary, secretary, "/record 999")
    # Check-in is still open: the meeting has not ended, there is no record yet.
    said = await bot.say(secretary, secretary, f"/record {number}")
    assert said == texts.NO_RECORD_YET.format(id=number)


async def test_managers_out_of_reach_get_a_brief_note_in_the_group(bot: RunningBot) -> None:
    """The organiser blocked the bot: the draft is announced briefly in the group (李四, a
    委员 who can be messaged, gets it privately), where a manager's reply writes the record
    and a member's reply is refused."""
    branch = await make_branch(bot)
    emu = bot.emulator
    await held_meeting(branch)
    async with bot.db() as session:
        org = await OrganisationRepo(session).by_name("第一党支部")
        assert org is not None
        await MemberRepo(session).set_role(org.id, branch.li.id, Role.COMMITTEE)
    emu.block_bot(branch.secretary)
    await emu.settle()
    bot.clock.set(beijing(11, 28, 16, 1))
    await bot.sweep()
    await bot.sweep()
    note = await emu.wait_for_bot_message(branch.group, contains=texts.MARK)
    assert "已结束，会议记录草稿已生成。@shuji" in note["text"]
    assert "出差" not in note["text"]  # no reasons in the group
    private = await emu.wait_for_bot_message(branch.li, contains=texts.MARK)
    assert "请假人员：李四（出差）" in private["text"]
    said = await bot.say(branch.group, branch.zhang, "内容：我也想写", reply_to=note)
    assert said == texts.ONLY_MANAGERS
    said = await bot.say(branch.group, branch.secretary, "会议学习了条例", reply_to=note)
    assert said.startswith("已记入会议内容")


async def test_the_draft_survives_a_restart_and_a_cancelled_meeting_gets_none(
    bot_factory: BotFactory,
) -> None:
    first = await bot_factory()
    branch = await make_branch(first)
    held = await held_meeting(branch)
    called_off, _ = await branch.announce("党课 2026-11-28 15:30")
    await branch.ask(branch.secretary, f"/meeting_cancel {called_off}", "已取消")
    await stop_bot(first)
    second = await bot_factory()
    second.hold_sweeps()
    branch.bot = second
    second.clock.set(beijing(11, 29, 9))  # down through the end of check-in
    await second.sweep()
    await second.sweep()
    drafts = [
        m
        for m in second.emulator.bot_messages(branch.secretary)
        if m.get("text", "").startswith(texts.MARK)
    ]
    assert [m["text"].split("】")[0] for m in drafts] == [f"{texts.MARK}{held}"]
    second.clock.advance(timedelta(hours=1))
    await second.sweep()
    again = [
        m
        for m in second.emulator.bot_messages(branch.secretary)
        if m.get("text", "").startswith(texts.MARK)
    ]
    assert len(again) == 1  # drafted once
    statuses = await branch.statuses(called_off)
    assert statuses["v1:record"] == "cancelled"
