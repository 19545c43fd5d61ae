"""Issue 5 end to end: plan files, templates, /study, the guided add, edits, publishing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.services.study import PUBLISH
from emulator.world import Chat, User
from storage.records import DeliveryStatus
from storage.repositories import DeliveryRepo
from storage.repositories.study import StudyRepo
from tests.e2e.harness import RunningBot

PLAN = """\
topics:
  - title: 学习党章
    publish_at: 2026-12-04 09:00
    summary: 学习党章总纲，理解党的性质和宗旨。
    materials: [党章全文, https://www.12371.cn/]
    questions: [党员有哪些义务？, 如何发挥先锋模范作用？]
    deadline: 2026-12-11 18:00
    quiz:
      - question: 党的最高理想是什么？
        options: [实现共产主义, 全面小康]
        answer: A
      - question: 党的根本宗旨是什么？
        options: [全心全意为人民服务, 发展经济]
        answer: 全心全意为人民服务
  - title: 重温入党誓词
    publish_at: 每月第一个周五 09:00
    summary: 重温誓词，交流初心。
    questions: [誓词有哪些要求？, 你的初心是什么？]
    deadline: 发布后7天
"""
# 2026-12-04 09:00 in Beijing.
PUBLISH_AT = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)


async def import_file(
    bot: RunningBot, chat: Chat | User, user: User, name: str, content: bytes, caption: str = ""
) -> str:
    """Send a plan file with the /study import caption; the bot's answer."""
    bot.emulator.send_document(chat, user, name, content, caption=caption or "/study import")
    reply = await bot.emulator.wait_for_bot_message(chat)
    return str(reply.get("text", ""))


async def topic_ids(bot: RunningBot) -> list[int]:
    async with bot.db() as session:
        deliveries = await DeliveryRepo(session).with_prefix(f"{PUBLISH}:")
    return sorted({int(d.payload["topic"]) for d in deliveries})


async def branch(bot: RunningBot, members: int = 2) -> tuple[Chat, User, list[User]]:
    emu = bot.emulator
    admin = emu.add_user("书记")
    people = [emu.add_user(f"党员{n}") for n in range(1, members + 1)]
    group = await bot.bound_group("一支部群", "第一党支部", admin, people)
    for member in people:  # the bot learns the roster from who writes
        emu.send_text(group, member, "到")
    await emu.settle()
    return group, admin, people


def by_kind(messages: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return [m for m in messages if key in m]


async def test_a_yaml_plan_publishes_on_time_with_button_and_quiz(bot: RunningBot) -> None:
    emu = bot.emulator
    group, admin, (first, second) = await branch(bot)
    reply = await import_file(bot, group, admin, "计划.yaml", PLAN.encode())
    assert reply.startswith("已导入2个学习主题（第一党支部）：")
    assert "重温入党誓词｜12月4日 09:00（每月第一个周五 09:00）发布，12月11日 09:00截止" in reply
    listing = await bot.say(group, admin, "/study")
    assert listing.splitlines()[0] == "“第一党支部”待发布的学习主题："
    assert "学习党章｜12月4日 09:00发布，12月11日 18:00截止｜本组织｜测验2题" in listing

    assert (await bot.sweep()).sent == 0  # not yet
    bot.clock.set(PUBLISH_AT)
    await bot.sweep()
    messages = emu.bot_messages(group)
    topics = [m for m in messages if "主题党日学习" in m.get("text", "")]
    assert [t["text"].splitlines()[0] for t in topics] == [
        "主题党日学习：学习党章",
        "主题党日学习：重温入党誓词",
    ]
    assert "1. 党章全文" in topics[0]["text"]
    assert "请于12月11日 18:00前完成学习" in topics[0]["text"]
    polls = by_kind(messages, "poll")
    assert [p["poll"]["question"] for p in polls] == [
        "【测验1/2】党的最高理想是什么？",
        "【测验2/2】党的根本宗旨是什么？",
    ]
    assert all(p["poll"]["type"] == "quiz" and not p["poll"]["is_anonymous"] for p in polls)
    await bot.sweep()
    assert len(emu.bot_messages(group)) == len(messages)  # published once

    query = emu.press_button(group, first, topics[0]["message_id"], text="已学习")
    await emu.settle()
    assert emu.callback_answers[query].text == "已记录，感谢学习！"
    again = emu.press_button(group, first, topics[0]["message_id"], text="已学习")
    await emu.settle()
    assert emu.callback_answers[again].text.startswith("您已于12月4日 09:00记录过学习")
    emu.answer_poll(first, polls[0]["poll"]["id"], [0])
    emu.answer_poll(first, polls[1]["poll"]["id"], [0])
    emu.answer_poll(second, polls[0]["poll"]["id"], [1])
    await emu.settle()

    emu.send_text(group, admin, f"/study_stats {(await topic_ids(bot))[0]}")
    stats = await emu.wait_for_bot_message(group, contains="学习情况")
    lines = stats["text"].splitlines()
    assert lines[0] == "《学习党章》学习情况（12月11日 18:00截止）"
    assert lines[1] == "第一党支部：已学习1/3人"
    assert "✅ 党员1 12月4日 09:00 测验2/2" in lines
    assert "❌ 党员2 测验0/2" in lines
    assert "❌ 书记 测验0/2" in lines
    # Without a number: the latest topic that reached the organisation.
    emu.send_text(group, admin, "/study_stats")
    assert await emu.wait_for_bot_message(group, contains="《重温入党誓词》学习情况")


async def test_a_bad_file_is_rejected_whole_with_row_errors(bot: RunningBot) -> None:
    group, admin, _ = await branch(bot, members=0)
    csv_text = (
        "title,publish_at,summary,questions,deadline\n"
        "好主题,2026-12-05 09:00,简介,问题一;问题二,发布后3天\n"
        "坏主题,2026-13-05 09:00,简介,只有一个,发布后3天\n"
    )
    reply = await import_file(bot, group, admin, "plan.csv", csv_text.encode())
    assert reply == (
        "计划文件有2处错误，没有导入任何主题：\n"
        "第3行：发布时间“2026-13-05 09:00”不是有效的日期时间\n"
        "第3行：讨论题需要2到5个（现在1个），多个之间用;分隔"
    )
    assert await topic_ids(bot) == []
    other = await import_file(bot, group, admin, "plan.pdf", b"%PDF")
    assert "只能导入 YAML" in other


async def test_templates_come_as_three_files_that_import_back(bot: RunningBot) -> None:
    emu = bot.emulator
    group, admin, (member,) = await branch(bot, members=1)
    emu.send_text(group, admin, "/study template")
    sent = [await emu.wait_for_bot_message(group) for _ in range(4)]
    assert "三种格式" in sent[-1]["text"]
    documents = by_kind(sent, "document")
    names = [d["document"]["file_name"] for d in documents]
    assert names == ["学习计划模板.yaml", "学习计划模板.csv", "学习计划模板.xlsx"]
    xlsx = emu.world.files[documents[2]["document"]["file_id"]].content
    reply = await import_file(bot, group, admin, "我的计划.xlsx", xlsx)
    assert reply.startswith("已导入2个学习主题")
    refused = await import_file(bot, group, member, "我的计划.xlsx", xlsx)
    assert "只有本组织的书记" in refused
    assert len(await topic_ids(bot)) == 2


async def test_edit_and_delete_until_published(bot: RunningBot) -> None:
    group, admin, (member,) = await branch(bot, members=1)
    await import_file(bot, group, admin, "计划.yaml", PLAN.encode())
    first, second = await topic_ids(bot)
    moved = await bot.say(group, admin, f"/study edit {first} 发布时间 2026-12-03 20:00")
    assert moved.startswith(f"已修改第{first}号主题：\n{first}. 学习党章｜12月3日 20:00发布")
    assert "只有本组织" in await bot.say(group, member, f"/study delete {second}")
    bad = await bot.say(group, admin, f"/study edit {first} 讨论题 只有一个")
    assert bad.startswith("讨论题需要2到5个")
    assert await bot.say(group, admin, f"/study delete {second}") == (
        f"已删除第{second}号主题“重温入党誓词”。"
    )
    async with bot.db() as session:
        rows = await DeliveryRepo(session).with_prefix(f"{PUBLISH}:{first}:")
        deleted = await StudyRepo(session).get(second)
    assert {(r.status, r.due_at) for r in rows} == {
        (DeliveryStatus.CANCELLED, PUBLISH_AT),
        (DeliveryStatus.PENDING, datetime(2026, 12, 3, 12, 0, tzinfo=UTC)),
    }
    assert deleted is not None
    assert deleted.status == "deleted"

    bot.clock.set(datetime(2026, 12, 3, 12, 0, tzinfo=UTC))
    await bot.sweep()
    texts = [m.get("text", "") for m in bot.emulator.bot_messages(group)]
    assert sum("主题党日学习：学习党章" in t for t in texts) == 1
    assert not any("重温入党誓词" in t for t in texts if t.startswith("主题党日"))
    bot.emulator.send_text(group, admin, f"/study edit {first} 标题 新标题")
    late = f"第{first}号主题已经发布，不能再修改或删除。"
    assert await bot.emulator.wait_for_bot_message(group, contains=late)


async def test_the_guided_add_checks_each_answer(bot: RunningBot) -> None:
    emu = bot.emulator
    group, admin, _ = await branch(bot, members=0)
    answers = [
        "学习新条例",
        "明天下午3点",
        "学习条例全文。",
        "无",
        "一个问题",  # too few: asked again
        "问题一\n问题二",
        "发布后3天",
        "题目|甲|乙|甲",
        "本组织",
    ]
    emu.send_text(group, admin, "/study add")
    prompt = await emu.wait_for_bot_message(group)
    for answer in answers:
        emu.send_text(group, admin, answer, reply_to=prompt["message_id"])
        prompt = await emu.wait_for_bot_message(group)
        if answer == "一个问题":
            assert prompt["text"].startswith("讨论题需要2到5个")
    assert prompt["text"].startswith("请确认：\n标题：学习新条例")
    emu.press_button(group, admin, prompt["message_id"], text="确认添加")
    await emu.settle()
    (topic_id,) = await topic_ids(bot)
    done = emu.message(group, prompt["message_id"])["text"]
    assert done == f"已添加第{topic_id}号学习主题，将于11月27日 15:00发布。"
    async with bot.db() as session:
        topic = await StudyRepo(session).get(topic_id)
    assert topic is not None
    assert topic.questions == ("问题一", "问题二")
    assert topic.deadline_at == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert len(topic.quiz) == 1
    assert topic.deadline_at - topic.publish_at == timedelta(days=3)


async def test_members_see_the_upcoming_topics(bot: RunningBot) -> None:
    """/study lists the planned topics for anyone (as documented), in the group and privately;
    changing them stays with the managers."""
    emu = bot.emulator
    group, admin, (member, _) = await branch(bot)
    await import_file(bot, group, admin, "计划.yaml", PLAN.encode())
    listed = await bot.say(group, member, "/study")
    assert listed.startswith("“第一党支部”待发布的学习主题：")
    assert "学习党章" in listed
    emu.start_private_chat(member)
    await emu.wait_for_bot_message(member)
    privately = await bot.say(emu.private_chat(member), member, "/study")
    assert privately.startswith("“第一党支部”待发布的学习主题：")
    refused = await bot.say(group, member, "/study delete 1")
    assert refused == "抱歉，只有本组织的书记、副书记、委员或群管理员可以这样做。"
