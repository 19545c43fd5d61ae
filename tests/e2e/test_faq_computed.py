"""Computed answers end to end: /ask, private /ask, mentions, overheard questions and inline
mode answer a sum with the figure and the rule, before the FAQ matcher is asked."""

from __future__ import annotations

from datetime import date

from bot.core.computed import compute_answer
from bot.texts import faq as texts
from storage.repositories import OrganisationRepo
from storage.repositories.faq import FaqQuestionRepo
from tests.e2e.harness import RunningBot

BOT = "@dangjian_test_bot"
TODAY = date(2026, 11, 26)  # the clock fixture, in Beijing
DUES = "月工资4000元交多少党费"
DUES_SOURCE = "《关于中国共产党党费收缴、使用和管理的规定》第一条、第二条"


def rendered(question: str) -> str:
    """The reply the bot must give: the question it answers, the computed answer, its source."""
    computed = compute_answer(question, TODAY)
    assert computed is not None
    return texts.ANSWER.format(
        question=question.strip(), answer=computed.answer, source=computed.source
    )


async def test_ask_answers_dues_with_the_amount_and_the_rule(bot: RunningBot) -> None:
    emu = bot.emulator
    admin, member = emu.add_user("书记"), emu.add_user("党员")
    group = await bot.bound_group("一支部", "第一党支部", admin, [member])
    reply = await bot.say(group, member, f"/ask {DUES}")
    assert reply == rendered(DUES)
    assert "每月党费40元" in reply
    assert "3000元以上至5000元（含5000元）的交1%" in reply  # the bracket rule it comes from
    assert reply.endswith(f"\n——{DUES_SOURCE}")
    async with bot.db() as session:  # answered: nothing kept for the managers
        org = await OrganisationRepo(session).by_name("第一党支部")
        assert org is not None
        assert await FaqQuestionRepo(session).count_pending(org.id) == 0

    private = emu.private_chat(member)
    asked = await bot.say(private, member, "/ask 我每月该交多少党费")
    assert "请告诉我您每月的工资收入（税后），我帮您算" in asked
    assert await bot.say(private, member, "/ask 工资２８００ 党费交多少") == rendered(
        "工资２８００ 党费交多少"
    )


async def test_dates_are_read_against_the_bots_clock(bot: RunningBot) -> None:
    emu = bot.emulator
    admin, member = emu.add_user("书记"), emu.add_user("党员")
    group = await bot.bound_group("一支部", "第一党支部", admin, [member])
    question = "去年3月1日入的党预备期哪天满"
    reply = await bot.say(group, member, f"{BOT} {question}")
    assert reply == rendered(question)
    assert "到2026年3月1日期满" in reply  # 去年 is 2025 on the bot's clock
    assert reply.endswith("——《中国共产党章程》第七条")

    # Overheard (the bot is admin): a sum with its figure is volunteered; a request for the
    # figures is not.
    emu.send_text(group, member, "我每月该交多少党费？")
    overheard = "退休金3500党费多少？"
    emu.send_text(group, member, overheard)
    assert (await emu.wait_for_bot_message(group))["text"] == rendered(overheard)
    await emu.settle()
    assert emu.bot_messages(group)[-1]["text"] == rendered(overheard)


async def test_inline_mode_gives_the_computed_answer(bot: RunningBot) -> None:
    emu = bot.emulator
    member = emu.add_user("党员")
    query = emu.inline_query(member, DUES)
    results = (await emu.wait_for(lambda: emu.inline_answers.get(query)))["results"]
    assert len(results) == 1
    assert results[0]["input_message_content"]["message_text"] == rendered(DUES)
    assert len(results[0]["id"].encode()) <= 64


async def test_other_subjects_go_to_the_matcher_and_new_sums_are_computed(
    bot: RunningBot,
) -> None:
    emu = bot.emulator
    admin, member = emu.add_user("书记"), emu.add_user("党员")
    group = await bot.bound_group("一支部", "第一党支部", admin, [member])
    # A date and 入党, or 党费 and a figure, on another subject: the matcher answers, not a sum.
    for question in ("2019年被开除党籍的人，最快什么时候能重新申请入党", "党费余额还有多少"):
        assert compute_answer(question, TODAY) is None
        reply = await bot.say(group, member, f"/ask {question}")
        assert "规定：" not in reply  # the computed answers' rule line
        assert not reply.startswith(("从递交入党申请", "在职党员每月收入"))

    yearly = "我工资4000，一年交多少党费"
    reply = await bot.say(group, member, f"/ask {yearly}")
    assert reply == rendered(yearly)
    assert "一年（12个月）共480元（40元×12）" in reply
