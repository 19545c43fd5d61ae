"""Nobody takes over an organisation by naming it in /bind (issue 9, defect 1).

A stranger's group, or a sibling branch's admin, asking for an existing organisation only
sends a request to its managers; invitation codes let a manager bring a group in; look-alike
spellings name the same organisation; a new name creates an organisation above nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import texts
from bot.core.domain import Domain, Role
from bot.texts import binding as binding_texts
from emulator.emulator import BotApiEmulator
from emulator.world import Chat, User
from storage.repositories import ChatRepo, MemberRepo, OrganisationRepo
from tests.e2e.harness import BotFactory, RunningBot

ORG = "城关镇党委"


@dataclass
class Town:
    """A township committee bound to its group, with a secretary by post who started the bot."""

    group: Chat
    admin: User
    secretary: User


async def town(bot: RunningBot) -> Town:
    emu = bot.emulator
    admin, secretary = emu.add_user("群主"), emu.add_user("王书记")
    emu.start_private_chat(secretary)
    await emu.wait_for_bot_message(secretary)
    group = emu.add_group(
        "城关镇党委群", members=[admin, secretary], admins=[admin], bot_admin=True
    )
    assert ORG in await bot.say(group, admin, f"/bind {ORG} 机关")
    hello = emu.send_text(group, secretary, "大家好")
    await emu.settle()
    assert "书记" in await bot.say(group, admin, "/role 书记", reply_to=hello)
    return Town(group, admin, secretary)


async def bound_to(bot: RunningBot, chat: Chat) -> str | None:
    """The name of the organisation the group is bound to."""
    async with bot.db() as session:
        record = await ChatRepo(session).get(chat.id)
        if record is None or record.organisation_id is None:
            return None
        org = await OrganisationRepo(session).get(record.organisation_id)
    return org.name if org else None


def reply_message_id(emu: BotApiEmulator, chat: Chat) -> int:
    """The bot's last message in the chat."""
    return int(emu.bot_messages(chat)[-1]["message_id"])


def stranger_group(bot: RunningBot, title: str = "冒名群") -> tuple[Chat, User]:
    owner = bot.emulator.add_user("陌生人")
    return bot.emulator.add_group(title, members=[owner], admins=[owner], bot_admin=True), owner


async def test_a_strangers_bind_only_asks_the_managers(bot: RunningBot) -> None:
    place = await town(bot)
    emu = bot.emulator
    group, owner = stranger_group(bot)
    reply = await bot.say(group, owner, f"/bind {ORG} 农村")
    assert reply == binding_texts.REQUESTED.format(org=ORG, count=1)
    assert await bound_to(bot, group) is None
    # Nothing of the organisation's is reachable from there, and its 领域 did not change.
    assert await bot.say(group, owner, "/faq list") == texts.NOT_BOUND
    async with bot.db() as session:
        org = await OrganisationRepo(session).by_name(ORG)
    assert org is not None
    assert org.domain is Domain.ORGAN
    request = await emu.wait_for_bot_message(place.secretary, contains="绑定申请")
    assert "冒名群" in request["text"]
    assert "陌生人" in request["text"]

    # The stranger cannot approve their own request with a forged button.
    data = request["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    forged = emu.forge_button(group, owner, reply_message_id(emu, group), data)
    await emu.settle()
    assert emu.callback_answers[forged].text == texts.NOT_BOUND
    emu.start_private_chat(owner)
    await emu.wait_for_bot_message(owner)
    privately = emu.forge_button(owner, owner, reply_message_id(emu, owner), data)
    await emu.settle()
    assert emu.callback_answers[privately].text == texts.MANAGERS_ONLY
    assert await bound_to(bot, group) is None

    emu.press_button(place.secretary, place.secretary, request["message_id"], text="拒绝")
    told = await emu.wait_for_bot_message(group, contains="没有同意")
    assert told["text"] == binding_texts.REFUSED_GROUP.format(org=ORG)
    assert await bound_to(bot, group) is None
    assert emu.message(place.secretary, request["message_id"])["text"] == (
        binding_texts.DECIDED_REFUSED.format(group="冒名群", org=ORG)
    )
    again = emu.forge_button(place.secretary, place.secretary, request["message_id"], data)
    await emu.settle()
    assert emu.callback_answers[again].text == binding_texts.ALREADY_DECIDED


async def test_an_approved_request_binds_the_group(bot: RunningBot) -> None:
    place = await town(bot)
    emu = bot.emulator
    group, owner = stranger_group(bot, "城关镇机关第二群")
    await bot.say(group, owner, f"/bind {ORG}")
    request = await emu.wait_for_bot_message(place.secretary, contains="绑定申请")
    emu.press_button(place.secretary, place.secretary, request["message_id"], text="同意")
    told = await emu.wait_for_bot_message(group, contains="已同意")
    assert told["text"] == binding_texts.APPROVED_GROUP.format(org=ORG)
    assert await bound_to(bot, group) == ORG


async def test_look_alike_names_are_the_same_organisation(bot: RunningBot) -> None:
    await town(bot)
    for spelling in ("城关镇\u200b党委", "城关镇 党委", "城关镇\ufeff党委", "城关镇党委\u2060"):
        group, owner = stranger_group(bot)
        reply = await bot.say(group, owner, f"/bind {spelling}")
        assert reply == binding_texts.REQUESTED.format(org=ORG, count=1), spelling
        assert await bound_to(bot, group) is None
    async with bot.db() as session:
        names = [org.name for org in await OrganisationRepo(session).all()]
    assert names == [ORG]


async def test_an_invitation_code_binds_once(bot: RunningBot) -> None:
    place = await town(bot)
    emu = bot.emulator
    invited = await bot.say(place.group, place.admin, "/invite")
    code = invited.split("邀请码：")[1].split("\n")[0]
    assert invited == binding_texts.INVITE_DONE.format(org=ORG, code=code)
    group, owner = stranger_group(bot, "城关镇机关第三群")
    done = await bot.say(group, owner, f"/bind {ORG} {code.lower()}")
    assert done.startswith(texts.BIND_DONE.format(org=ORG, kind="党委", domain="机关"))
    assert await bound_to(bot, group) == ORG
    other, other_owner = stranger_group(bot)
    assert await bot.say(other, other_owner, f"/bind {code}") == binding_texts.INVITE_INVALID
    assert await bound_to(bot, other) is None
    # A plain member cannot make codes; privately, a secretary by post can.
    member = emu.add_user("普通党员")
    emu.join(place.group, member)
    await emu.settle()
    assert await bot.say(place.group, member, "/invite") == texts.MANAGERS_ONLY
    private = await bot.say(emu.private_chat(place.secretary), place.secretary, "/invite")
    assert private.startswith(f"“{ORG}”的邀请码：")


async def test_a_branch_admin_cannot_take_a_sibling(bot: RunningBot) -> None:
    emu = bot.emulator
    one_admin, two_admin = emu.add_user("一支部群主"), emu.add_user("二支部群主")
    one = await bot.bound_group("一支部群", "第一党支部", one_admin)
    two = await bot.bound_group("二支部群", "第二党支部", two_admin)
    meeting = await bot.say(two, two_admin, "/meeting 支委会 2026-12-05 15:00")
    assert meeting.startswith("已发布会议通知")
    reply = await bot.say(one, one_admin, "/bind 第二党支部")
    assert reply == binding_texts.REQUESTED_NOBODY.format(org="第二党支部", count=0)
    assert await bound_to(bot, one) == "第一党支部"
    refused = await bot.say(one, one_admin, "/meeting_cancel 1")
    assert refused == "编号 1 的会议不属于本群的组织。"


async def test_superadmins_and_post_holders_bind_directly(
    emulator: BotApiEmulator, bot_factory: BotFactory
) -> None:
    county = emulator.add_user("县委组织部")
    bot = await bot_factory(superadmin_ids=str(county.id))
    place = await town(bot)
    emu = bot.emulator
    group = emu.add_group("县里建的群", members=[county], admins=[county], bot_admin=True)
    assert (await bot.say(group, county, f"/bind {ORG}")).startswith("已将本群绑定到")
    # The secretary (by post) makes a group of their own and binds it at once.
    secretary = [place.secretary]
    own = emu.add_group("书记的群", members=secretary, admins=secretary, bot_admin=True)
    assert (await bot.say(own, place.secretary, f"/bind {ORG} 社区")).startswith("已将本群绑定")
    async with bot.db() as session:
        org = await OrganisationRepo(session).by_name(ORG)
        assert org is not None
        assert org.domain is Domain.COMMUNITY  # a manager may change it
        roster = await MemberRepo(session).of_organisation(org.id)
    assert Role.SECRETARY in {member.role for member in roster}


async def test_a_new_name_creates_an_organisation_above_nobody(bot: RunningBot) -> None:
    await town(bot)
    group, owner = stranger_group(bot)
    reply = await bot.say(group, owner, "/bind 新建的支部")
    assert reply.endswith(texts.BIND_CREATED)
    async with bot.db() as session:
        repo = OrganisationRepo(session)
        made = await repo.by_name("新建的支部")
        assert made is not None
        assert made.parent_id is None
        assert await repo.descendant_ids(made.id) == [made.id]
