"""Issue 2 end to end: the bot in private, in groups, with members, over real HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot import texts
from bot.commands import COMMANDS, Who
from bot.core.domain import Domain, MemberStatus, OrgKind, Role
from emulator.emulator import BotApiEmulator
from storage.repositories import ChatRepo, MemberRepo, OrganisationRepo, UserRepo
from tests.e2e.harness import BotFactory, RunningBot


async def members_of(bot: RunningBot, org_name: str) -> dict[str, tuple[Role, MemberStatus]]:
    async with bot.db() as session:
        org = await OrganisationRepo(session).by_name(org_name)
        assert org is not None
        roster = await MemberRepo(session).of_organisation(org.id)
    return {member.user.name: (member.role, member.status) for member in roster}


async def test_start_in_private_shows_the_profile(bot: RunningBot) -> None:
    emu = bot.emulator
    user = emu.add_user("三", last_name="张", username="zhangsan")
    emu.start_private_chat(user)
    first = await emu.wait_for_bot_message(user)
    your_id = texts.START_YOUR_ID.format(id=user.id)  # what SUPERADMIN_IDS needs
    assert first["text"] == texts.START_UNKNOWN + your_id
    async with bot.db() as session:
        stored = await UserRepo(session).get(user.id)
    assert stored is not None
    assert stored.can_dm

    admin = emu.add_user("书记")
    group = await bot.bound_group("一支部群", "城关镇第一党支部", admin, [user])
    emu.send_text(group, user, "大家好")  # the bot learns the roster from who writes
    emu.send_text(emu.private_chat(user), user, "/name 张三")
    assert (await emu.wait_for_bot_message(user))["text"] == texts.NAME_DONE.format(name="张三")
    emu.send_text(emu.private_chat(user), user, "/start")
    profile = (await emu.wait_for_bot_message(user))["text"]
    assert profile.startswith("您好，张三！")
    assert "· 城关镇第一党支部：党员，正式党员" in profile
    assert profile.endswith(your_id)


async def test_bad_names_are_refused(bot: RunningBot) -> None:
    user = bot.emulator.add_user("李四")
    chat = bot.emulator.private_chat(user)
    assert await bot.say(chat, user, "/name") == texts.NAME_USAGE
    assert "2到20个汉字" in await bot.say(chat, user, "/name 123!")


async def test_blocking_the_bot_stops_private_messages(bot: RunningBot) -> None:
    user = bot.emulator.add_user("王五")
    bot.emulator.start_private_chat(user)
    await bot.emulator.wait_for_bot_message(user)
    bot.emulator.block_bot(user)
    await bot.emulator.settle()
    async with bot.db() as session:
        stored = await UserRepo(session).get(user.id)
    assert stored is not None
    assert not stored.can_dm


async def test_added_to_a_group_greets_and_removed_marks_inactive(bot: RunningBot) -> None:
    emu = bot.emulator
    admin = emu.add_user("管理员")
    group = emu.add_group("二支部", members=[admin], admins=[admin])
    emu.add_bot_to_group(group, by=admin)
    greeting = await emu.wait_for_bot_message(group)
    assert greeting["text"] == texts.GREETING
    await emu.settle()
    assert len(emu.bot_messages(group)) == 1  # the service message does not greet twice

    emu.remove_bot(group, by=admin)
    await emu.settle()
    async with bot.db() as session:
        chat = await ChatRepo(session).get(group.id)
    assert chat is not None
    assert not chat.active


async def test_bind_by_admin_and_refusal_for_others(bot: RunningBot) -> None:
    emu = bot.emulator
    admin, member = emu.add_user("书记"), emu.add_user("党员甲")
    group = emu.add_group("三支部", members=[admin, member], admins=[admin], bot_admin=True)
    refused = await bot.say(group, member, "/bind 城关镇第三党支部")
    assert refused == texts.ADMINS_ONLY
    async with bot.db() as session:
        assert await OrganisationRepo(session).by_name("城关镇第三党支部") is None

    assert await bot.say(group, admin, "/bind") == texts.BIND_USAGE
    done = await bot.say(group, admin, "/bind 城关镇第三党支部 农村")
    assert done == "已将本群绑定到“城关镇第三党支部”（党支部·农村）。这是新建的组织。"
    async with bot.db() as session:
        org = await OrganisationRepo(session).by_name("城关镇第三党支部")
        chat = await ChatRepo(session).get(group.id)
    assert org is not None
    assert (org.kind, org.domain) == (OrgKind.BRANCH, Domain.RURAL)
    assert chat is not None
    assert chat.organisation_id == org.id
    # The admins who bound the group are on the roster at once.
    assert set(await members_of(bot, "城关镇第三党支部")) == {"书记"}

    rebound = await bot.say(group, admin, "/bind 城关镇第四党支部")
    assert rebound.endswith("原来绑定的“城关镇第三党支部”已解除。")
    assert await bot.say(group, admin, "/unbind") == texts.UNBIND_DONE.format(
        org="城关镇第四党支部"
    )
    assert await bot.say(group, admin, "/unbind") == texts.NOT_BOUND


async def test_bind_in_private_is_explained(bot: RunningBot) -> None:
    user = bot.emulator.add_user("某人")
    assert await bot.say(bot.emulator.private_chat(user), user, "/bind 某支部") == texts.GROUP_ONLY


async def test_joins_leaves_and_writers_are_recorded(bot: RunningBot) -> None:
    emu = bot.emulator
    admin, quiet, talker = emu.add_user("书记"), emu.add_user("新党员"), emu.add_user("老党员")
    group = await bot.bound_group("五支部", "第五党支部", admin, [talker])
    emu.join(group, quiet)
    emu.send_text(group, talker, "大家好")
    await emu.settle()
    assert set(await members_of(bot, "第五党支部")) == {"书记", "新党员", "老党员"}
    emu.leave(group, quiet)
    await emu.settle()
    assert set(await members_of(bot, "第五党支部")) == {"书记", "老党员"}


async def test_joins_without_admin_rights_come_from_service_messages(bot: RunningBot) -> None:
    emu = bot.emulator
    admin, newcomer = emu.add_user("书记"), emu.add_user("新人")
    group = emu.add_group("六支部", members=[admin], admins=[admin], with_bot=True)
    assert "第六党支部" in await bot.say(group, admin, "/bind 第六党支部")
    emu.join(group, newcomer)
    await emu.settle()
    assert "新人" in await members_of(bot, "第六党支部")


async def test_roles_and_statuses_by_reply(bot: RunningBot) -> None:
    emu = bot.emulator
    admin, member, other = emu.add_user("书记"), emu.add_user("赵六"), emu.add_user("钱七")
    group = await bot.bound_group("七支部", "第七党支部", admin, [member, other])
    hello = emu.send_text(group, member, "报到")
    await emu.settle()
    assert (
        await bot.say(group, admin, "/role 组织委员", reply_to=hello) == "已将赵六的职务设为委员。"
    )
    assert (
        await bot.say(group, admin, "/status 预备党员", reply_to=hello)
        == "已将赵六的身份设为预备党员。"
    )
    assert await members_of(bot, "第七党支部") == {
        "书记": (Role.MEMBER, MemberStatus.FULL),
        "赵六": (Role.COMMITTEE, MemberStatus.PROBATIONARY),
    }
    # A plain member may not; a committee member (now 赵六) may.
    assert await bot.say(group, other, "/role 书记", reply_to=hello) == texts.MANAGERS_ONLY
    promoted = await bot.say(group, member, "/role 书记", reply_to=hello)
    assert promoted == "已将赵六的职务设为书记。"
    assert await bot.say(group, admin, "/role 书记") == texts.REPLY_TO_A_PERSON
    assert "职务可选" in await bot.say(group, admin, "/role 队长", reply_to=hello)


async def test_supergroup_migration_keeps_the_binding(bot: RunningBot) -> None:
    emu = bot.emulator
    admin = emu.add_user("书记")
    group = await bot.bound_group("八支部", "第八党支部", admin)
    new_id = emu.migrate_to_supergroup(group, by=admin)
    await emu.settle()
    async with bot.db() as session:
        assert await ChatRepo(session).get(group.id) is None
        moved = await ChatRepo(session).get(new_id)
    assert moved is not None
    assert moved.type == "supergroup"
    org_reply = await bot.say(new_id, admin, "/bind 第八党支部")
    assert "这是新建的组织" not in org_reply


async def test_help_lists_what_the_caller_may_use(
    emulator: BotApiEmulator, bot_factory: BotFactory
) -> None:
    county = emulator.add_user("县委组织部")
    bot = await bot_factory(superadmin_ids=str(county.id))
    emu = bot.emulator
    admin, member = emu.add_user("书记"), emu.add_user("党员")
    group = await bot.bound_group("九支部", "第九党支部", admin, [member])

    def commands(reply: str) -> list[str]:
        return [line.split()[0].removeprefix("/") for line in reply.splitlines()[1:]]

    member_help = commands(await bot.say(group, member, "/help"))
    admin_help = commands(await bot.say(group, admin, "/help"))
    private_help = commands(await bot.say(emu.private_chat(member), member, "/help"))
    assert member_help == expected(private=False, up_to=Who.EVERYONE)
    assert admin_help == expected(private=False, up_to=Who.MANAGER)
    assert private_help == expected(private=True, up_to=Who.EVERYONE)
    assert {"help", "name"} <= set(member_help)
    assert not {"bind", "unbind", "role", "status", "start"} & set(member_help)
    assert {"bind", "unbind", "role", "status"} <= set(admin_help)
    assert "org_parent" not in admin_help
    assert {"start", "help", "name"} <= set(private_help)
    emu.join(group, county)
    assert "org_parent" in commands(await bot.say(group, county, "/help"))


def expected(*, private: bool, up_to: Who) -> list[str]:
    """Names of the registered commands usable in that kind of chat at that level."""
    return [c.name for c in COMMANDS if c.usable_in(private) and c.who.value <= up_to.value]


async def test_command_menus_are_registered_per_scope(bot: RunningBot) -> None:
    def names(scope: str) -> list[str]:
        return [c["command"] for c in bot.emulator.commands({"type": scope})]

    assert names("all_private_chats") == expected(private=True, up_to=Who.EVERYONE)
    assert names("all_group_chats") == expected(private=False, up_to=Who.EVERYONE)
    assert names("all_chat_administrators") == expected(private=False, up_to=Who.MANAGER)
    assert {"bind", "role"} <= set(names("all_chat_administrators")) - set(
        names("all_group_chats")
    )


async def test_org_parent_is_for_superadmins(
    emulator: BotApiEmulator, bot_factory: BotFactory
) -> None:
    county = emulator.add_user("县委组织部")
    bot = await bot_factory(superadmin_ids=str(county.id))
    emu = bot.emulator
    admin = emu.add_user("书记")
    group = await bot.bound_group("十支部", "第十党支部", admin)
    assert await bot.say(group, admin, "/org_parent 城关镇党委") == texts.SUPERADMINS_ONLY
    emu.join(group, county)
    await emu.settle()
    missing = await bot.say(group, county, "/org_parent 城关镇党委")
    assert missing.startswith("没有找到名为“城关镇党委”的组织")
    async with bot.db() as session:
        await OrganisationRepo(session).create(
            name="城关镇党委", kind=OrgKind.COMMITTEE, domain=Domain.ORGAN, now=bot.clock.now()
        )
    done = await bot.say(group, county, "/org_parent 城关镇党委")
    assert done == texts.ORG_PARENT_DONE.format(org="第十党支部", parent="城关镇党委")
    assert "下级组织" in await bot.say(group, county, "/org_parent 第十党支部")


async def test_a_failure_gets_a_short_apology_and_is_logged(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    async with bot.db() as session:
        await session.execute(text("DROP TABLE members"))
    user = bot.emulator.add_user("某人")
    bot.emulator.start_private_chat(user)
    reply = await bot.emulator.wait_for_bot_message(user)
    assert reply["text"] == texts.ERROR_GENERIC
    [record] = [r for r in caplog.records if r.name == "handlers.errors"]
    assert "Failed to handle update" in record.getMessage()
    assert record.exc_info is not None


async def test_commands_in_the_wrong_kind_of_chat_are_explained(bot: RunningBot) -> None:
    emu = bot.emulator
    admin = emu.add_user("书记")
    group = await bot.bound_group("十一支部", "第十一党支部", admin)
    private = emu.private_chat(admin)
    for command in (
        "/bind 某支部",
        "/unbind",
        "/role 书记",
        "/status 预备党员",
        "/org_parent 某党委",
    ):
        assert await bot.say(private, admin, command) == texts.GROUP_ONLY
    assert await bot.say(group, admin, "/start") == texts.PRIVATE_ONLY
