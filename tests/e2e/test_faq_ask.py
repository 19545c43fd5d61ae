"""Issue 3 end to end, the members' side: /ask, mentions, replies, overheard questions, inline."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.faq import render_answer
from bot.texts import faq as texts
from storage.repositories import OrganisationRepo
from storage.repositories.faq import FaqQuestionRepo
from tests.e2e.faq_world import ASSEMBLY_QUESTION, OFF_TOPIC, buttons, expect, suggest_question
from tests.e2e.harness import RunningBot

BOT = "@dangjian_test_bot"


async def org_id(session: AsyncSession, name: str) -> int:
    org = await OrganisationRepo(session).by_name(name)
    assert org is not None
    return org.id


def assembly_answer() -> str:
    expected = expect(ASSEMBLY_QUESTION)
    assert expected.answered, "precondition: the shipped base answers ASSEMBLY_QUESTION"
    assert expected.confident
    assert expected.entry is not None
    return render_answer(expected.entry)


async def test_ask_answers_with_its_source(bot: RunningBot) -> None:
    emu = bot.emulator
    admin, member = emu.add_user("书记"), emu.add_user("党员")
    group = await bot.bound_group("一支部", "第一党支部", admin, [member])
    entry = expect(ASSEMBLY_QUESTION).entry
    assert entry is not None
    reply = await bot.say(group, member, f"/ask {ASSEMBLY_QUESTION}")
    assert reply == assembly_answer()
    assert reply.endswith(f"\n——{entry.source}")
    assert reply.rsplit("——", 1)[1].startswith("《")  # a regulation, by name

    private = emu.private_chat(member)
    assert await bot.say(private, member, f"/ask {ASSEMBLY_QUESTION}") == reply
    assert await bot.say(private, member, "/ask") == texts.ASK_USAGE
    assert await bot.say(group, member, "/ask") == texts.ASK_USAGE


async def test_suggestions_answer_in_place(bot: RunningBot) -> None:
    emu = bot.emulator
    admin, member = emu.add_user("书记"), emu.add_user("党员")
    group = await bot.bound_group("一支部", "第一党支部", admin, [member])
    question, expected = suggest_question()
    emu.send_text(group, member, f"/ask {question}")
    offer = await emu.wait_for_bot_message(group)
    assert offer["text"].startswith(texts.SUGGEST)
    offered = buttons(offer)
    assert [label for label, _ in offered] == [e.question for e, _ in expected.candidates]
    assert all(len(data.encode()) <= 64 for _, data in offered)

    other = emu.add_user("另一位党员")
    emu.join(group, other)
    emu.press_button(group, other, offer["message_id"], offered[1][1])  # anyone may pick
    await emu.settle()
    edited = emu.message(group, offer["message_id"])
    chosen = expected.candidates[1][0]
    assert edited["text"] == render_answer(chosen)
    related = buttons(edited)  # the answer now offers questions next to it
    assert 0 < len(related) <= 2
    assert chosen.question not in [label for label, _ in related]
    assert all(data.startswith("faqr:") for _, data in related)


async def test_answer_names_its_question_and_offers_related_ones(bot: RunningBot) -> None:
    emu = bot.emulator
    admin, member = emu.add_user("书记"), emu.add_user("党员")
    group = await bot.bound_group("一支部", "第一党支部", admin, [member])
    expected = expect(ASSEMBLY_QUESTION)
    assert expected.entry is not None
    emu.send_text(group, member, f"/ask {ASSEMBLY_QUESTION}")
    answer = await emu.wait_for_bot_message(group)
    assert answer["text"].startswith(f"问：{expected.entry.question}\n")
    related = buttons(answer)
    others = [e.question for e, _ in expected.candidates if e != expected.entry][:2]
    assert [label for label, _ in related] == others
    assert all(data.startswith("faqr:") and len(data.encode()) <= 64 for _, data in related)

    press = emu.press_button(group, member, answer["message_id"], related[0][1])
    follow = await emu.wait_for_bot_message(group)
    assert emu.callback_answers[press].text is None  # answered, silently
    assert follow["reply_to_message"]["message_id"] == answer["message_id"]
    assert follow["text"].startswith(f"问：{related[0][0]}\n")
    assert emu.message(group, answer["message_id"])["text"] == answer["text"]  # kept
    assert related[0][0] not in [label for label, _ in buttons(follow)]

    forged = emu.forge_button(group, member, answer["message_id"], "faqr:s0000000000")
    assert (await emu.wait_for_bot_message(group))["text"] == texts.ENTRY_GONE
    assert forged in emu.callback_answers


async def test_yes_no_and_word_for_word_questions(bot: RunningBot) -> None:
    emu = bot.emulator
    member = emu.add_user("党员")
    private = emu.private_chat(member)
    vote = await bot.say(private, member, "/ask 预备党员能投票吗")
    assert vote.startswith("问：预备党员有表决权、选举权和被选举权吗？\n没有。")
    dues = expect("党费怎么交")  # a phrasing of dues.yaml, word for word
    assert dues.entry is not None
    assert await bot.say(private, member, "/ask 党费怎么交") == render_answer(dues.entry)

    # In private, plain text is a question too (no /ask needed); chatter gets no reply.
    assert await bot.say(private, member, "预备党员能投票吗") == vote
    before = len(emu.bot_messages(private))
    emu.send_text(private, member, "谢谢")
    await emu.settle()
    assert len(emu.bot_messages(private)) == before


async def test_off_topic_gets_a_short_no_when_asked_and_silence_otherwise(
    bot: RunningBot,
) -> None:
    emu = bot.emulator
    admin, member = emu.add_user("书记"), emu.add_user("党员")
    group = await bot.bound_group("一支部", "第一党支部", admin, [member])
    assert expect(OFF_TOPIC).outcome == "none"
    assert await bot.say(group, member, f"/ask {OFF_TOPIC}") == texts.NOT_FOUND_KEPT
    before = len(emu.bot_messages(group))
    emu.send_text(group, member, OFF_TOPIC)  # the bot reads it (admin) and says nothing
    emu.send_text(group, member, "今天中午一起吃饭吗？")
    await emu.settle()
    assert len(emu.bot_messages(group)) == before
    async with bot.db() as session:
        kept = await FaqQuestionRepo(session).pending_of(await org_id(session, "第一党支部"), 10)
    assert [(q.question, q.asker_name) for q in kept] == [(OFF_TOPIC, "党员")]

    loner = emu.add_user("路人")
    assert await bot.say(emu.private_chat(loner), loner, f"/ask {OFF_TOPIC}") == texts.NOT_FOUND


async def test_mentions_and_replies_reach_the_bot_with_privacy_on(bot: RunningBot) -> None:
    emu = bot.emulator
    admin, member = emu.add_user("书记"), emu.add_user("党员")
    group = emu.add_group("隐私群", members=[admin, member], admins=[admin], with_bot=True)
    assert "第二党支部" in await bot.say(group, admin, "/bind 第二党支部")
    answer = assembly_answer()

    assert await bot.say(group, member, f"{BOT} {ASSEMBLY_QUESTION}") == answer
    assert await bot.say(group, member, BOT) == texts.ASK_USAGE
    assert await bot.say(group, member, f"{BOT} {OFF_TOPIC}") == texts.NOT_FOUND_KEPT
    assert await bot.say(group, member, f"{BOT} 谢谢") == texts.NOT_FOUND  # answered, not kept

    emu.send_text(group, member, ASSEMBLY_QUESTION)  # privacy mode: the bot never sees it
    await emu.settle()
    last = emu.bot_messages(group)[-1]
    assert last["text"] == texts.NOT_FOUND
    assert await bot.say(group, member, ASSEMBLY_QUESTION, reply_to=last) == answer
    emu.send_text(group, member, "收到，谢谢", reply_to=last)  # not a question: no reply
    await emu.settle()
    assert emu.bot_messages(group)[-1]["text"] == answer
    assert await bot.say(group, member, OFF_TOPIC, reply_to=last) == texts.NOT_FOUND_KEPT


async def test_overheard_questions_only_with_a_confident_answer(bot: RunningBot) -> None:
    emu = bot.emulator
    admin, member = emu.add_user("书记"), emu.add_user("党员")
    group = await bot.bound_group("一支部", "第一党支部", admin, [member])  # bot is admin
    answer = assembly_answer()
    asked = emu.send_text(group, member, ASSEMBLY_QUESTION)
    reply = await emu.wait_for_bot_message(group)
    assert reply["text"] == answer
    assert reply["reply_to_message"]["message_id"] == asked["message_id"]

    suggest_only, _ = suggest_question()
    for text in (ASSEMBLY_QUESTION, suggest_only, OFF_TOPIC, "大家好", "收到"):
        emu.send_text(group, member, text)  # the repeat is within the cooldown
    await emu.settle()
    assert len(emu.bot_messages(group)) == 2  # the /bind reply and the one answer

    bot.clock.advance(timedelta(minutes=11))
    emu.send_text(group, member, ASSEMBLY_QUESTION)
    assert (await emu.wait_for_bot_message(group))["text"] == answer
    async with bot.db() as session:  # chatter is not kept as unanswered
        org = await org_id(session, "第一党支部")
        assert await FaqQuestionRepo(session).count_pending(org) == 0


async def test_privacy_off_without_admin_rights(bot: RunningBot) -> None:
    emu = bot.emulator
    emu.privacy_mode = False
    admin, member = emu.add_user("书记"), emu.add_user("党员")
    group = emu.add_group("普通群", members=[admin, member], admins=[admin], with_bot=True)
    emu.send_text(group, member, ASSEMBLY_QUESTION)  # not even bound: the shipped base
    assert (await emu.wait_for_bot_message(group))["text"] == assembly_answer()


async def test_inline_mode_lists_the_best_matches(bot: RunningBot) -> None:
    emu = bot.emulator
    member = emu.add_user("党员")
    query = emu.inline_query(member, ASSEMBLY_QUESTION)
    answer = await emu.wait_for(lambda: emu.inline_answers.get(query))
    results = answer["results"]
    expected = expect(ASSEMBLY_QUESTION)
    assert [r["title"] for r in results] == [e.question for e, _ in expected.candidates]
    assert results[0]["input_message_content"]["message_text"] == assembly_answer()
    assert all(len(r["id"].encode()) <= 64 for r in results)
    assert answer["is_personal"] in (True, "true")  # org entries differ per person

    suggest, expected_suggest = suggest_question()
    query = emu.inline_query(member, suggest)
    results = (await emu.wait_for(lambda: emu.inline_answers.get(query)))["results"]
    assert [r["title"] for r in results] == [e.question for e, _ in expected_suggest.candidates]
    for text in (OFF_TOPIC, ""):
        query = emu.inline_query(member, text)
        answered = await emu.wait_for(lambda q=query: emu.inline_answers.get(q))  # type: ignore[misc]
        assert answered["results"] == []


async def test_a_question_about_the_branch_own_data_points_to_the_commands(
    bot: RunningBot,
) -> None:
    emu = bot.emulator
    admin, member = emu.add_user("书记"), emu.add_user("党员")
    group = await bot.bound_group("一支部", "第一党支部", admin, [member])
    question = "这个月主题党日定在哪天，通知发了没"
    assert expect(question).local
    assert await bot.say(group, member, f"/ask {question}") == texts.OWN_DATA
    async with bot.db() as session:  # a fact of the day: not kept for the managers
        kept = await FaqQuestionRepo(session).pending_of(await org_id(session, "第一党支部"), 10)
    assert kept == []
