"""Issue 11: overdue 三会一课 warnings. Seven days before the quarter ends, a branch that has
not held its 支部党员大会 is warned once (also across a restart); a branch that held one is
never warned about it; the committee above gets a summary; /checkup and /meeting_held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.core.domain import Domain, OrgKind, Role
from bot.texts import minutes as texts
from emulator.world import Chat, User
from storage.repositories import MemberRepo, OrganisationRepo
from tests.e2e.harness import BotFactory, RunningBot, stop_bot
from tests.e2e.meetings_world import Branch, beijing, make_branch

MISSING_ASSEMBLY = "本季度还没有召开支部党员大会，距季度末还有7天"


@dataclass
class County:
    """第一党支部 (the meetings world's branch) and 第二党支部 under 城关镇党委, each with a
    secretary who started the bot."""

    first: Branch
    second_group: Chat
    second_secretary: User
    committee_secretary: User


async def make_county(bot: RunningBot) -> County:
    first = await make_branch(bot)
    emu = bot.emulator
    second, above = emu.add_user("二支书记"), emu.add_user("党委书记")
    for person in (second, above):
        emu.start_private_chat(person)
        await emu.wait_for_bot_message(person)
    group = await bot.bound_group("二支部群", "第二党支部", second)
    now = bot.clock.now()
    async with bot.db() as session:
        orgs, members = OrganisationRepo(session), MemberRepo(session)
        committee = await orgs.create(
            name="城关镇党委", kind=OrgKind.COMMITTEE, domain=Domain.ORGAN, now=now
        )
        for name, secretary in (("第一党支部", first.secretary), ("第二党支部", second)):
            org = await orgs.by_name(name)
            assert org is not None
            await orgs.set_parent(org.id, committee.id)
            await members.join(org.id, secretary.id, now)
            await members.set_role(org.id, secretary.id, Role.SECRETARY)
        await members.join(committee.id, above.id, now)
        await members.set_role(committee.id, above.id, Role.SECRETARY)
    return County(first, group, second, above)


def texts_to(bot: RunningBot, user: User, part: str) -> list[str]:
    return [m["text"] for m in bot.emulator.bot_messages(user) if part in m.get("text", "")]


async def checkup(bot: RunningBot, user: User) -> str:
    """`/checkup` privately; the answer."""
    bot.emulator.send_text(user, user, "/checkup")
    return str(
        (await bot.emulator.wait_for_bot_message(user, contains="【三会一课情况】"))["text"]
    )


async def sweep_all(bot: RunningBot) -> None:
    for _ in range(3):  # the run, then the warnings it queued
        await bot.sweep()


async def test_a_missing_assembly_is_warned_once_and_a_held_one_never(
    bot_factory: BotFactory,
) -> None:
    bot = await bot_factory()
    county = await make_county(bot)
    first = county.first
    emu, second = bot.emulator, county.second_secretary

    said = await bot.say(county.second_group, second, "/meeting 党课 2026-12-08 15:00")
    lecture = int(said.split("编号 ")[1].split("）")[0])
    # 第一党支部 holds its 支部党员大会 on 5 December: one member checks in.
    number, _ = await first.announce("支部党员大会 2026-12-05 15:00 会议室")
    bot.clock.set(beijing(12, 5, 15))
    await bot.sweep()
    post = await emu.wait_for_bot_message(first.group, contains="现在开始")
    first.press(first.zhang, post, "签到")
    await emu.settle()
    # 第二党支部 gives a 党课 nobody checked in to, and marks it held.
    bot.clock.set(beijing(12, 9, 10))
    reply = await bot.say(second, second, f"/meeting_held {lecture}")
    assert reply == texts.HELD_DONE.format(id=lecture, kind="党课")
    reply = await bot.say(second, second, f"/meeting_held {lecture}")
    assert reply == texts.HELD_ALREADY.format(id=lecture)
    reply = await bot.say(first.zhang, first.zhang, f"/meeting_held {number}")
    assert reply == "抱歉，只有本组织的书记、副书记、委员或群管理员可以这样做。"

    bot.clock.set(beijing(12, 25, 9))  # seven days before the quarter (and year) ends
    await sweep_all(bot)
    (warned,) = texts_to(bot, second, "【三会一课提醒】")
    assert warned.startswith("【三会一课提醒】第二党支部")
    assert MISSING_ASSEMBLY in warned
    assert "本月还没有召开支委会，距月末还有7天" in warned
    assert "本年度还没有召开组织生活会，距年末还有7天" in warned
    (held_one,) = texts_to(bot, first.secretary, "【三会一课提醒】")
    assert "支部党员大会" not in held_one
    assert "本季度还没有召开党课" in held_one
    (summary,) = texts_to(bot, county.committee_secretary, "【下级组织三会一课情况】")
    assert "· 第二党支部：" in summary
    assert "本季度支部党员大会" in summary.split("· 第二党支部：")[1]
    assert not texts_to(bot, first.zhang, "三会一课")  # plain members are not warned

    # A restart on the warning day sends nothing again.
    await stop_bot(bot)
    again = await bot_factory()
    again.hold_sweeps()
    await again.runtime.services.checkup.plan_alerts()
    await sweep_all(again)
    again.clock.advance(timedelta(days=1))
    await sweep_all(again)
    assert len(texts_to(again, second, "【三会一课提醒】")) == 1
    assert len(texts_to(again, first.secretary, "【三会一课提醒】")) == 1
    assert len(texts_to(again, county.committee_secretary, "【下级组织")) == 1

    state = await checkup(again, second)
    assert state.startswith("【三会一课情况】第二党支部")
    assert "❌ 本季度支部党员大会：还没有召开，距季度末还有6天" in state
    assert "✅ 本季度党课：已召开1次" in state
    state = await checkup(again, first.secretary)
    assert "✅ 本季度支部党员大会：已召开1次" in state
    above = await checkup(again, county.committee_secretary)
    assert texts.CHECKUP_NONE.format(kind="党委") in above
    assert "下级组织（2/2个未按要求召开）" in above
