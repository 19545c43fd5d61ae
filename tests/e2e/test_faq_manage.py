"""Issue 3 end to end, the managers' side: pending questions, the guided entry, edits, files."""

from __future__ import annotations

from typing import Any

from bot import texts as common_texts
from bot.core.domain import Role
from bot.core.faq import load_entries_from_yaml, load_shipped_entries
from bot.services.faq_input import suggest_keywords
from bot.texts import faq as texts
from emulator.world import Chat, User
from storage.repositories import MemberRepo
from storage.repositories.faq import FaqEntryRepo, FaqQuestionRepo
from tests.e2e.faq_world import County, buttons, make_county
from tests.e2e.harness import RunningBot
from tests.test_faq_service_files import BAD, GOOD

KEY_QUESTION = "党员活动室的钥匙在谁那里？"
KEY_ANSWER = "钥匙由支部组织委员保管，用前请提前联系。"
KEY_REPLY = f"问：{KEY_QUESTION}\n{KEY_ANSWER}\n——本支部委员会决定"


async def prompt(bot: RunningBot, group: Chat, contains: str) -> dict[str, Any]:
    return await bot.emulator.wait_for_bot_message(group, contains=contains)


async def answer(bot: RunningBot, group: Chat, user: User, contains: str, text: str) -> None:
    """Wait for the prompt containing `contains` and reply to it with `text`."""
    bot.emulator.send_text(group, user, text, reply_to=await prompt(bot, group, contains))


async def entries_of(bot: RunningBot, org_id: int) -> int:
    async with bot.db() as session:
        return await FaqEntryRepo(session).count(org_id)


async def edited_to(bot: RunningBot, group: Chat, message_id: int, text: str) -> None:
    """Wait until the bot has edited the message to `text`."""

    def done() -> bool:
        return bool(bot.emulator.message(group, message_id)["text"] == text)

    await bot.emulator.wait_for(done, what=f"message {message_id} edited to {text!r}")


def document_text(bot: RunningBot, message: dict[str, Any]) -> str:
    stored = bot.emulator.world.files[message["document"]["file_id"]]
    return stored.content.decode()


async def test_an_answered_question_serves_the_group_and_below_not_beside(
    bot: RunningBot,
) -> None:
    emu = bot.emulator
    county = await make_county(bot)
    branch, cell = county["城关一支部"], county["一支部第一党小组"]
    asker = emu.add_user("党员甲")
    emu.join(branch.group, asker)
    assert await bot.say(branch.group, asker, f"/ask {KEY_QUESTION}") == texts.NOT_FOUND_KEPT

    emu.send_text(branch.group, branch.secretary, "/faq pending")
    listing = await prompt(bot, branch.group, "待答复的问题")
    assert f"1. {KEY_QUESTION}\n    党员甲，11-26 10:00" in listing["text"]
    assert [label for label, _ in buttons(listing)] == ["答复1", "忽略1"]
    emu.press_button(branch.group, branch.secretary, listing["message_id"], text="答复1")

    first = await prompt(bot, branch.group, "写上答案（")
    assert KEY_QUESTION in first["text"]  # the prompt names the question being answered
    emu.send_text(branch.group, branch.secretary, KEY_ANSWER, reply_to=first)
    await answer(bot, branch.group, branch.secretary, "出处", "——本支部委员会决定")
    await answer(
        bot, branch.group, branch.secretary, "2种以上别的问法", "活动室钥匙找谁拿\n活动室怎么开门"
    )
    keywords = await prompt(bot, branch.group, "关键词")
    auto = suggest_keywords(KEY_QUESTION)
    assert "钥匙" in auto
    assert keywords["text"].endswith("回复“跳过”就用问题里的词：" + "、".join(auto))
    emu.send_text(branch.group, branch.secretary, "跳过", reply_to=keywords)
    confirm = await prompt(bot, branch.group, "请确认")
    assert (
        f"问题：{KEY_QUESTION}\n问法：{KEY_QUESTION}；活动室钥匙找谁拿；活动室怎么开门"
        in (confirm["text"])
    )
    emu.press_button(branch.group, branch.secretary, confirm["message_id"], text="保存")
    saved = texts.FLOW_SAVED_PENDING.format(id=1, question=KEY_QUESTION)
    await edited_to(bot, branch.group, confirm["message_id"], saved)

    assert await bot.say(branch.group, asker, f"/ask {KEY_QUESTION}") == KEY_REPLY
    assert await county.say("一支部第一党小组", f"/ask {KEY_QUESTION}") == KEY_REPLY
    for elsewhere in ("城关二支部", "城关镇党委", "河西镇党委"):  # beside, above, elsewhere
        assert await county.say(elsewhere, f"/ask {KEY_QUESTION}") == texts.NOT_FOUND_KEPT
    emu.send_text(cell.group, cell.secretary, "活动室钥匙找谁拿？")  # overheard, confident
    assert (await emu.wait_for_bot_message(cell.group))["text"] == KEY_REPLY
    assert await bot.say(branch.group, branch.secretary, "/faq pending") == texts.PENDING_EMPTY

    # Inline mode knows the entry for members of the branch and below, not elsewhere.
    outsider = emu.add_user("河西党员")
    emu.join(county["河西镇党委"].group, outsider)
    emu.join(cell.group, asker)
    await emu.settle()
    inside, outside = (
        emu.inline_query(asker, KEY_QUESTION),
        emu.inline_query(outsider, KEY_QUESTION),
    )
    got = await emu.wait_for(lambda: emu.inline_answers.get(inside))
    assert got["results"][0]["input_message_content"]["message_text"] == KEY_REPLY
    assert (await emu.wait_for(lambda: emu.inline_answers.get(outside)))["results"] == []


async def test_dismissing_pending_questions(bot: RunningBot) -> None:
    emu = bot.emulator
    county = await make_county(bot)
    branch = county["城关一支部"]
    for question in ("第一个没答上的问题？", "第二个没答上的问题？"):
        assert await county.say("城关一支部", f"/ask {question}") == texts.NOT_FOUND_KEPT
    shy = emu.add_user("腼腆党员")
    emu.join(branch.group, shy)
    await emu.settle()
    assert await bot.say(emu.private_chat(shy), shy, "/ask 第三个问题？") == texts.NOT_FOUND_KEPT
    usage = await county.say("城关一支部", "/faq")
    assert usage == texts.FAQ_USAGE + texts.PENDING_HINT.format(count=3)
    emu.send_text(branch.group, branch.secretary, "/faq pending")
    listing = await prompt(bot, branch.group, "待答复的问题（共3个")
    assert (
        "3. 第三个问题？\n    私聊提问，" in listing["text"]
    )  # who asked privately stays private
    query = emu.press_button(branch.group, branch.secretary, listing["message_id"], text="忽略1")
    await emu.settle()
    assert emu.callback_answers[query].text == texts.DISMISSED.format(
        question="第一个没答上的问题？"
    )
    shown = emu.message(branch.group, listing["message_id"])
    assert "第一个" not in shown["text"]
    assert "1. 第二个没答上的问题？" in shown["text"]
    for _ in range(2):
        emu.press_button(branch.group, branch.secretary, listing["message_id"], text="忽略1")
        await emu.settle()
    assert emu.message(branch.group, listing["message_id"])["text"] == texts.PENDING_EMPTY
    async with bot.db() as session:
        assert await FaqQuestionRepo(session).count_pending(branch.org_id) == 0


async def add_group_leader_entry(bot: RunningBot, county: County) -> dict[str, Any]:
    """Run /faq add in the branch, with one retry at each checked step; return the summary."""
    emu = bot.emulator
    branch = county["城关一支部"]
    group, secretary = branch.group, branch.secretary
    emu.send_text(group, secretary, "/faq add")
    await answer(bot, group, secretary, "写上问题", "党小组长怎么产生？")
    await answer(bot, group, secretary, "3种以上别的问法", "党小组长谁定")
    retry = await prompt(bot, group, "问法至少要3种")
    assert texts.FLOW_RETRY in retry["text"]
    emu.send_text(group, secretary, "党小组长谁定\n怎么选党小组长\n小组长选举", reply_to=retry)
    await answer(bot, group, secretary, "关键词", "党小组长、小组长")
    await answer(bot, group, secretary, "写上答案（", "长" * 301)
    await answer(bot, group, secretary, "答案太长了", "由党小组党员选举产生，报支部委员会同意。")
    await answer(bot, group, secretary, "出处", "本支部委员会决定")
    return await prompt(bot, group, "请确认")


async def test_add_step_by_step_and_list(bot: RunningBot) -> None:
    emu = bot.emulator
    county = await make_county(bot)
    branch = county["城关一支部"]
    confirm = await add_group_leader_entry(bot, county)
    assert confirm["text"] == (
        "请确认这条问答：\n问题：党小组长怎么产生？\n问法：党小组长谁定；怎么选党小组长；小组长选举\n"
        "关键词：党小组长、小组长\n答案：由党小组党员选举产生，报支部委员会同意。\n——本支部委员会决定"
    )
    member = emu.add_user("党员")
    emu.join(branch.group, member)
    intruder = emu.press_button(branch.group, member, confirm["message_id"], text="保存")
    await emu.settle()
    assert emu.callback_answers[intruder].text == texts.FLOW_NOT_YOURS
    emu.press_button(branch.group, branch.secretary, confirm["message_id"], text="保存")
    await edited_to(bot, branch.group, confirm["message_id"], texts.FLOW_SAVED.format(id=1))
    ask = "/ask 党小组长怎么产生？"
    assert await county.say("城关一支部", ask) == (
        "问：党小组长怎么产生？\n由党小组党员选举产生，报支部委员会同意。\n——本支部委员会决定"
    )
    listing = await county.say("城关一支部", "/faq list")
    assert "“城关一支部”的问答（1条）：\n1. 党小组长怎么产生？" in listing
    assert await entries_of(bot, branch.org_id) == 1


async def test_edit_and_delete(bot: RunningBot) -> None:
    emu = bot.emulator
    county = await make_county(bot)
    branch = county["城关一支部"]
    emu.send_document(
        branch.group, branch.secretary, "g.yaml", GOOD.encode(), caption="/faq import"
    )
    await emu.wait_for_bot_message(branch.group, contains="导入完成")
    say, ask = county.say, "/ask 本支部每月几号交党费？"
    assert await say("城关一支部", "/faq edit 2 答案 每月5日前交纳。") == (
        texts.EDIT_DONE.format(id=2, field="答案")
    )
    assert await say("一支部第一党小组", ask) == (
        "问：本支部每月几号交党费？\n每月5日前交纳。\n——本支部委员会决定"
    )
    assert await say("城关一支部", "/faq edit 2") == texts.EDIT_USAGE
    assert await say("城关一支部", "/faq edit 一 答案 x") == texts.BAD_NUMBER.format(word="一")
    assert await say("城关一支部", "/faq edit 2 作者 x") == texts.UNKNOWN_FIELD.format(word="作者")
    assert await say("城关一支部", "/faq edit 9 答案 x") == texts.ENTRY_NOT_FOUND.format(id=9)
    assert "至少要3种" in await say("城关一支部", "/faq edit 2 问法 只有一种")
    # The organisation below uses the entry but may not change it.
    for command in ("/faq edit 2 答案 x", "/faq delete 2"):
        assert await say("一支部第一党小组", command) == texts.ENTRY_NOT_FOUND.format(id=2)
    assert await say("城关一支部", "/faq delete 2") == texts.DELETE_DONE.format(
        id=2, question="本支部每月几号交党费？"
    )
    assert "每月5日前交纳" not in await say("一支部第一党小组", ask)
    assert await entries_of(bot, branch.org_id) == 1


async def test_cancel_leaves_the_guided_entry(bot: RunningBot) -> None:
    county = await make_county(bot)
    branch = county["城关一支部"]
    bot.emulator.send_text(branch.group, branch.secretary, "/faq add")
    await prompt(bot, branch.group, "写上问题")
    assert await county.say("城关一支部", "/cancel") == texts.FLOW_CANCELLED
    assert await entries_of(bot, branch.org_id) == 0


async def test_import_is_all_or_nothing_and_export_round_trips(bot: RunningBot) -> None:
    emu = bot.emulator
    county = await make_county(bot)
    branch = county["城关一支部"]
    group, secretary = branch.group, branch.secretary

    emu.send_document(group, secretary, "bad.yaml", BAD.encode(), caption="/faq import")
    rejected = (await emu.wait_for_bot_message(group))["text"]
    assert rejected.startswith("问答库文件 bad.yaml 有")
    assert "第10行：" in rejected
    assert "第19行：未知字段“author”" in rejected
    assert rejected.endswith("没有导入任何内容，请改正后重新发送。")
    assert await entries_of(bot, branch.org_id) == 0

    emu.send_document(group, secretary, "good.yaml", GOOD.encode(), caption="/faq import")
    done = (await emu.wait_for_bot_message(group))["text"]
    assert done == texts.IMPORT_DONE.format(added=2, updated=0, org="城关一支部", total=2)
    reply = await county.say("一支部第一党小组", "/ask 本支部每月几号交党费？")
    assert reply == "问：本支部每月几号交党费？\n每月主题党日当天交纳。\n——本支部委员会决定"

    emu.send_text(group, secretary, "/faq export")
    exported = await emu.wait_for_bot_message(group)
    assert exported["caption"] == texts.EXPORT_CAPTION.format(org="城关一支部", count=2)
    text = document_text(bot, exported)
    async with bot.db() as session:
        stored = [s.entry for s in await FaqEntryRepo(session).of_organisation(branch.org_id)]
    assert load_entries_from_yaml(text, filename="x", org_id=branch.org_id) == stored

    sent = emu.send_document(group, secretary, "faq.yaml", text.encode())  # no caption …
    assert await bot.say(group, secretary, "/faq import", reply_to=sent) == (
        texts.IMPORT_DONE.format(added=0, updated=2, org="城关一支部", total=2)
    )  # … then a reply to it
    assert await bot.say(group, secretary, "/faq import") == texts.IMPORT_USAGE
    emu.send_document(group, secretary, "gbk.yaml", GOOD.encode("gbk"), caption="/faq import")
    assert (await emu.wait_for_bot_message(group))["text"] == texts.IMPORT_NOT_TEXT

    emu.send_text(group, secretary, "/faq export 全部")
    await emu.wait_for_bot_message(group)
    shipped = await emu.wait_for_bot_message(group)
    exported = load_entries_from_yaml(document_text(bot, shipped), filename="s")
    assert exported == load_shipped_entries()


async def test_only_managers_change_the_base(bot: RunningBot) -> None:
    emu = bot.emulator
    county = await make_county(bot)
    branch = county["城关一支部"]
    group, secretary = branch.group, branch.secretary
    member, committee = emu.add_user("党员"), emu.add_user("组织委员")
    for person in (member, committee):
        emu.join(group, person)
    assert await county.say("城关一支部", f"/ask {KEY_QUESTION}", member) == texts.NOT_FOUND_KEPT
    emu.send_document(group, secretary, "good.yaml", GOOD.encode(), caption="/faq import")
    await emu.wait_for_bot_message(group, contains="导入完成")
    emu.send_text(group, secretary, "/faq pending")
    listing = await prompt(bot, group, "待答复的问题")

    refused = common_texts.MANAGERS_ONLY
    for command in ("/faq", "/faq pending", "/faq add", "/faq list", "/faq edit 1 答案 改掉",
                    "/faq delete 1", "/faq export", "/faq import"):  # fmt: skip
        assert await bot.say(group, member, command) == refused, command
    emu.send_document(group, member, "bad.yaml", GOOD.encode(), caption="/faq import")
    assert (await emu.wait_for_bot_message(group))["text"] == refused
    for label in ("答复1", "忽略1"):
        query = emu.press_button(group, member, listing["message_id"], text=label)
        await emu.settle()
        assert emu.callback_answers[query].text == refused
    assert not [m for m in emu.bot_messages(group) if "写上答案" in m["text"]]
    async with bot.db() as session:
        assert await FaqQuestionRepo(session).count_pending(branch.org_id) == 1
        assert await FaqEntryRepo(session).count(branch.org_id) == 2
        await MemberRepo(session).set_role(branch.org_id, committee.id, Role.COMMITTEE)
    assert (await county.say("城关一支部", "/faq list", committee)).startswith(
        "“城关一支部”的问答"
    )

    assert await bot.say(emu.private_chat(secretary), secretary, "/faq list") == (
        texts.PRIVATE_MANAGE
    )
    loose = emu.add_group("未绑定群", members=[member], admins=[member], bot_admin=True)
    assert await bot.say(loose, member, "/faq list") == common_texts.NOT_BOUND


async def test_a_reply_to_the_summary_is_ignored(bot: RunningBot) -> None:
    """A reply to the draft's summary (buttons, not a question) is not taken as an answer."""
    emu = bot.emulator
    county = await make_county(bot)
    branch = county["城关一支部"]
    confirm = await add_group_leader_entry(bot, county)
    emu.send_text(branch.group, branch.secretary, "好的", reply_to=confirm)
    await emu.settle()
    assert not [
        m for m in emu.bot_messages(branch.group) if m["text"] == common_texts.ERROR_GENERIC
    ]
    emu.press_button(branch.group, branch.secretary, confirm["message_id"], text="保存")
    await edited_to(bot, branch.group, confirm["message_id"], texts.FLOW_SAVED.format(id=1))
    assert await entries_of(bot, branch.org_id) == 1
