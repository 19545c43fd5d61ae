"""Issue 5 end to end: reminders, make-up study after a 主题党日 leave, scope and stats."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.meetings import MeetingType, Rsvp
from bot.services import study
from emulator.emulator import BotApiEmulator
from emulator.world import Chat, User
from storage.repositories import ChatRepo
from storage.repositories.meetings import AnswerRepo, MeetingRepo
from tests.e2e.harness import BotFactory, RunningBot
from tests.e2e.test_study_plans import PUBLISH_AT, import_file, topic_ids

ONE_TOPIC = """\
topics:
  - title: 学习党章
    publish_at: 2026-12-04 09:00
    summary: 学习党章总纲。
    questions: [党员有哪些义务？, 如何发挥先锋模范作用？]
    deadline: 2026-12-11 18:00
    scope: {scope}
"""
THEMED_DAY_AT = datetime(2026, 12, 4, 6, 0, tzinfo=UTC)  # 14:00 in Beijing


async def themed_day_leave(bot: RunningBot, group: Chat, admin: User, *absent: User) -> None:
    """That month's 主题党日 of the group's organisation, with leave answers."""
    now = bot.clock.now()
    async with bot.db() as session:
        chat = await ChatRepo(session).get(group.id)
        assert chat is not None
        assert chat.organisation_id is not None
        meeting = await MeetingRepo(session).create(
            now=now,
            organisation_id=chat.organisation_id,
            chat_id=chat.id,
            kind=MeetingType.THEMED_DAY,
            starts_at=THEMED_DAY_AT,
            place="党员活动室",
            agenda="重温入党誓词",
            organiser_id=admin.id,
        )
        for person in absent:
            await AnswerRepo(session).set_rsvp(meeting.id, person.id, Rsvp.LEAVE, now)


async def test_reminders_and_make_up_for_those_on_leave(bot: RunningBot) -> None:
    emu = bot.emulator
    admin = emu.add_user("书记")
    reader, idle, absent, late = (emu.add_user(n) for n in ("张三", "李四", "王五", "赵六"))
    group = await bot.bound_group("一支部群", "第一党支部", admin, [reader, idle, absent, late])
    for person in (reader, idle, absent, late):
        emu.send_text(group, person, "到")
    await emu.settle()
    for person in (idle, absent, late):  # these may be messaged privately
        emu.start_private_chat(person)
        await emu.wait_for_bot_message(person)
    await emu.settle()
    await themed_day_leave(bot, group, admin, absent)
    await import_file(bot, group, admin, "计划.yaml", ONE_TOPIC.format(scope="本组织").encode())
    (topic_id,) = await topic_ids(bot)

    bot.clock.set(PUBLISH_AT)
    await bot.sweep()
    topic = await emu.wait_for_bot_message(group, contains="主题党日学习")
    assert emu.bot_messages(absent) == emu.bot_messages(absent)[:1]  # not before the meeting
    emu.press_button(group, reader, topic["message_id"], text="已学习")
    await emu.settle()

    bot.clock.set(THEMED_DAY_AT)
    await bot.sweep()
    makeup = await emu.wait_for_bot_message(absent, contains="补学")
    assert makeup["text"].startswith("您请假未参加12月的主题党日，请补学以下内容")
    assert "主题党日学习：学习党章" in makeup["text"]
    # A leave answered after publishing is caught by the make-up job.
    await themed_day_leave(bot, group, admin, late)
    async with bot.db() as session:
        assert await study.sweep_makeups(session, bot.clock.now(), bot.settings.timezone) == 1
    await bot.sweep()
    assert "请补学" in (await emu.wait_for_bot_message(late, contains="补学"))["text"]
    query = emu.press_button(absent, absent, makeup["message_id"], text="已补学")
    await emu.settle()
    assert emu.callback_answers[query].text == "已记录补学，感谢！"
    assert "reply_markup" not in emu.message(absent, makeup["message_id"])

    bot.clock.set(datetime(2026, 12, 10, 10, 0, tzinfo=UTC))  # a day before the deadline
    await bot.sweep()
    reminder = await emu.wait_for_bot_message(group, contains="还没有点")
    named = reminder["text"].split("：\n", 1)[1].split("、")
    assert sorted(named) == sorted(["书记", "李四", "赵六"])
    assert {e["user"]["id"] for e in reminder["entities"] if e["type"] == "text_mention"} == {
        admin.id,
        idle.id,
        late.id,
    }
    private = await emu.wait_for_bot_message(idle, contains="提醒")
    assert "《学习党章》将于12月11日 18:00截止" in private["text"]
    await emu.settle()
    assert not any("提醒" in m.get("text", "") for m in emu.bot_messages(absent))
    assert not any("提醒" in m.get("text", "") for m in emu.bot_messages(reader))

    emu.send_text(group, admin, f"/study_stats {topic_id}")
    stats = (await emu.wait_for_bot_message(group, contains="学习情况"))["text"].splitlines()
    assert stats[1] == "第一党支部：已学习2/5人"
    assert "✅ 王五 12月4日 14:00（补学）" in stats
    assert "❌ 赵六" in stats


async def test_scope_reaches_down_never_up_or_sideways(
    bot_factory: BotFactory, emulator: BotApiEmulator
) -> None:
    county = emulator.add_user("县委组织部")
    bot = await bot_factory(superadmin_ids=str(county.id))
    emu = bot.emulator
    town_admin, secretary, member = (
        emu.add_user("镇书记"),
        emu.add_user("村书记"),
        emu.add_user("村民党员"),
    )
    town = await bot.bound_group("镇党委群", "城关镇党委", town_admin)
    village = await bot.bound_group("村支部群", "一村党支部", secretary, [county, member])
    other = await bot.bound_group("河西群", "河西镇党委", emu.add_user("河西书记"))
    assert "下级组织" in await bot.say(village, county, "/org_parent 城关镇党委")
    hello = emu.send_text(village, secretary, "我是书记")
    await emu.settle()
    assert "书记" in await bot.say(village, secretary, "/role 书记", reply_to=hello)

    private = emu.private_chat(secretary)
    emu.start_private_chat(secretary)
    await emu.wait_for_bot_message(secretary)
    plan = ONE_TOPIC.format(scope="下级组织").encode()

    async def send_plan(chat: Chat | User, user: User, caption: str = "") -> str:
        return await import_file(bot, chat, user, "p.yaml", plan, caption)

    upwards = await send_plan(private, secretary, "/study import 城关镇党委")
    assert upwards == "您不是“城关镇党委”或其上级组织的管理人员，不能代它操作。"
    sideways = await send_plan(private, secretary, "/study import 河西镇党委")
    assert sideways.startswith("您不是“河西镇党委”")
    own = await send_plan(private, secretary, "/study import")
    assert own.startswith("已导入1个学习主题（一村党支部）")
    town_reply = await send_plan(town, town_admin)
    assert town_reply.startswith("已导入1个学习主题（城关镇党委）")
    county_private = emu.private_chat(county)
    anywhere = await send_plan(county_private, county, "/study import 河西镇党委")
    assert anywhere.startswith("已导入1个学习主题（河西镇党委）")

    bot.clock.set(PUBLISH_AT)
    await bot.sweep()

    def received(chat: Chat) -> int:
        return sum("主题党日学习" in m.get("text", "") for m in emu.bot_messages(chat))

    assert (received(town), received(village), received(other)) == (1, 2, 1)
    town_topic = (await topic_ids(bot))[1]  # imported second
    village_copy = next(
        m
        for m in emu.bot_messages(village)
        if m.get("reply_markup", {}).get("inline_keyboard", [[{}]])[0][0].get("callback_data")
        == f"study:done:{town_topic}"
    )
    emu.press_button(village, member, village_copy["message_id"], text="已学习")
    await emu.settle()
    emu.send_text(town, town_admin, f"/study_stats {town_topic}")
    stats = (await emu.wait_for_bot_message(town, contains="学习情况"))["text"].splitlines()
    assert stats[1] == "城关镇党委：已学习0/1人"
    # The tap made the member known; the county's superadmin wrote there too.
    assert stats[-2:] == ["下级组织完成率：", "· 一村党支部：1/3人（33%）"]
    emu.send_text(county_private, county, "/study_stats 河西镇党委")
    anywhere_stats = await emu.wait_for_bot_message(county_private, contains="学习情况")
    assert anywhere_stats["text"].splitlines()[1] == "河西镇党委：已学习0/1人"
