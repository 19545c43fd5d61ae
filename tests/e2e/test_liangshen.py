"""Issue 14, part 4: 双找 in non-public enterprises, over the emulator.

县非公企业党委 (a 非公 党委) has two enterprise branches below it, 科技公司党支部 and its
neighbour 物流公司党支部, each with its group; 建材公司群 is an enterprise group the bot is
in that no organisation has yet. Members declare themselves with /iam; the enterprise's
managers, the 党委 above and the county (a superadmin) see them in /liangshen, the
neighbouring branch does not; 3 or more 正式党员 without an organisation are flagged 应建尽建.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import pytest_asyncio
from openpyxl import load_workbook

from bot import texts
from bot.core.domain import Domain, OrgKind, Role
from bot.core.ledger_rows import LedgerFile
from bot.core.meetings import MeetingType
from bot.services.access import Actor, Place
from bot.services.liangshen_render import transfer_entry
from bot.services.members import Person
from bot.texts import ledger as ledger_texts
from bot.texts import liangshen as ls
from emulator.emulator import BotApiEmulator
from emulator.world import Chat, User
from storage.repositories import ChatRepo, MemberRepo, OrganisationRepo
from storage.repositories.meetings import MeetingRepo
from storage.repositories.minutes import MinutesRepo
from tests.e2e.harness import ModuleEnv, RunningBot
from tests.e2e.meetings_world import beijing
from tests.e2e.worlds import place_below, started

pytestmark = pytest.mark.asyncio(loop_scope="module")

COMMITTEE, COMPANY, NEIGHBOUR = "县非公企业党委", "科技公司党支部", "物流公司党支部"
PLACE = "河南省周口市某村党支部"


@dataclass
class County:
    """The bot, the county's superadmin, the 党委, the two branches and the unbound group."""

    bot: RunningBot
    county: User
    committee_group: Chat
    committee_secretary: User
    company: Chat
    company_secretary: User
    neighbour: Chat
    neighbour_secretary: User
    members: dict[str, User]  # 科技公司群's plain members, by name
    building: Chat  # 建材公司群: no organisation
    boss: User  # its Telegram admin
    workers: list[User]

    @property
    def emu(self) -> BotApiEmulator:
        """The emulator."""
        return self.bot.emulator

    async def say(self, chat: Chat | User, user: User, text: str, **kwargs: Any) -> str:
        """`user` writes `text` in `chat`; the bot's answer there."""
        return await self.bot.say(chat, user, text, **kwargs)

    async def liangshen(self, chat: Chat | User, user: User) -> str:
        """`/liangshen` in `chat`: the list, which in a group is sent privately."""
        said = await self.say(chat, user, "/liangshen")
        if chat is user or said != ls.SENT_PRIVATELY:
            return said
        return str((await self.emu.wait_for_bot_message(user))["text"])


async def build_county(env: ModuleEnv) -> County:
    """Start the bot with a superadmin and build the county."""
    emu = env.emulator
    county = emu.add_user("县委组织部")
    bot = await env.start(superadmin_ids=str(county.id))
    secretaries = [emu.add_user(n) for n in ("非公党委书记", "科技书记", "物流书记")]
    members = {name: emu.add_user(name) for name in ("张伟", "李娜", "王强")}
    boss, workers = emu.add_user("建材老板"), [emu.add_user(f"工人{n}") for n in range(1, 5)]
    await started(emu, county, *secretaries)
    committee = await bot.bound_group("非公党委群", COMMITTEE, secretaries[0], domain="非公")
    company = await bot.bound_group(
        "科技公司群", COMPANY, secretaries[1], list(members.values()), domain="非公"
    )
    neighbour = await bot.bound_group("物流公司群", NEIGHBOUR, secretaries[2], domain="非公")
    building = emu.add_group("建材公司群", members=workers, admins=[boss], bot_admin=True)
    await place_below(bot, COMMITTEE, [COMPANY, NEIGHBOUR])
    async with bot.db() as session:
        above = await OrganisationRepo(session).by_name(COMMITTEE)
        assert above is not None
        roster = MemberRepo(session)
        await roster.join(above.id, secretaries[0].id, bot.clock.now())
        await roster.set_role(above.id, secretaries[0].id, Role.SECRETARY)
    return County(
        bot, county, committee, secretaries[0], company, secretaries[1], neighbour,
        secretaries[2], members, building, boss, workers,
    )  # fmt: skip


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(module_env: ModuleEnv) -> AsyncIterator[County]:
    """The county, built once per backend."""
    yield await build_county(module_env)


async def test_a_declaration_reaches_the_managers_and_the_county_not_the_neighbour(
    world: County,
) -> None:
    zhang = world.members["张伟"]
    said = await world.say(world.company, zhang, f"/iam 党员 组织关系在 {PLACE}")
    assert said.startswith(f"谢谢张伟亮明身份：正式党员，组织关系在{PLACE}。")
    entry = transfer_entry()  # the FAQ's 组织关系转接 entry, quoted with its source
    assert entry.answer in said
    assert f"——{entry.source}" in said
    line = f"张伟，正式党员，组织关系：{PLACE}（待转接），11月26日亮明身份"

    for chat, user in (
        (world.company, world.company_secretary),  # the enterprise's managers
        (world.committee_group, world.committee_secretary),  # the 党委 above, in its group
        (world.committee_secretary, world.committee_secretary),  # ... and privately
        (world.county, world.county),  # the county
    ):
        listing = await world.liangshen(chat, user)
        assert line in listing, listing
        assert (
            "▪ 科技公司群（科技公司党支部）：正式党员1人，预备党员0人，组织关系在外1人" in listing
        )

    for chat in (world.neighbour, world.neighbour_secretary):  # the neighbour sees nothing
        listing = await world.liangshen(chat, world.neighbour_secretary)
        assert "张伟" not in listing
    refused = await world.say(world.company, world.members["李娜"], "/liangshen")
    assert refused == texts.MANAGERS_ONLY


async def test_declaring_again_updates_the_record(world: County) -> None:
    wang = world.members["王强"]
    first = await world.say(world.company, wang, f"/iam 预备党员 组织关系在 {PLACE}")
    assert first.startswith("谢谢王强亮明身份：预备党员")
    again = await world.say(world.company, wang, "/iam 党员 组织关系在本单位")
    assert again == "已更新王强的身份信息：正式党员，组织关系在本单位（科技公司党支部）。"
    listing = await world.liangshen(world.company, world.company_secretary)
    (line,) = [row for row in listing.splitlines() if "王强" in row]
    assert line == "  · 王强，正式党员，组织关系：本单位，11月26日亮明身份"


async def test_three_full_members_without_an_organisation_are_flagged(world: County) -> None:
    building, workers = world.building, world.workers
    refused = await world.say(building, workers[0], "/iam 党员 本单位")
    assert refused == ls.IAM_NO_ORG_HERE  # nothing here to hold the 组织关系
    for number, worker in enumerate(workers[:2], start=1):
        said = await world.say(building, worker, f"/iam 党员 组织关系在 湖北省第{number}村党支部")
        assert ls.DONE_NO_ORG in said
    said = await world.say(building, workers[3], "/iam 预备党员 组织关系在 湖北省某村党支部")
    assert ls.DONE_NO_ORG in said
    county = await world.liangshen(world.county, world.county)
    assert "▪ 建材公司群（未建立党组织）：正式党员2人，预备党员1人" in county
    assert ls.FLAG_BUILD not in county  # two 正式党员 and a 预备党员 are not three

    await world.say(building, workers[2], "/iam 党员 组织关系在 湖北省第3村党支部")
    county = await world.liangshen(world.county, world.county)
    assert (
        "▪ 建材公司群（未建立党组织）：正式党员3人，预备党员1人，组织关系在外4人【应建尽建】"
        in county
    )
    assert "其中1个群有3名以上正式党员却还没有党组织，应建尽建。" in county
    # Listed first, before the groups that have an organisation.
    assert county.index("建材公司群") < county.index("科技公司群")
    # The group's own admin sees it (privately, once they started the bot); the 党委 above
    # the other enterprises does not.
    assert await world.say(building, world.boss, "/liangshen") == ls.START_FIRST
    await started(world.emu, world.boss)
    assert "工人3" in await world.liangshen(building, world.boss)
    assert "建材" not in await world.liangshen(
        world.committee_secretary, world.committee_secretary
    )
    assert await world.say(building, workers[0], "/liangshen") == texts.MANAGERS_ONLY


async def test_buttons_ask_what_the_command_left_out(world: County) -> None:
    li, emu = world.members["李娜"], world.emu
    asked = await world.say(world.company, li, "/iam")
    assert asked.startswith(ls.IAM_PICK_STATUS.format(name="李娜")[:8])
    prompt = emu.bot_messages(world.company)[-1]["message_id"]
    # Someone else's press declares nobody.
    other = emu.press_button(world.company, world.members["王强"], prompt, text="正式党员")
    await emu.settle()
    assert emu.callback_answers[other].text == ls.IAM_NOT_YOURS
    emu.press_button(world.company, li, prompt, text="正式党员")
    await emu.settle()
    assert ls.BUTTON_HERE in str(emu.message(world.company, prompt)["reply_markup"])
    emu.press_button(world.company, li, prompt, text=ls.BUTTON_HERE)
    await emu.settle()
    done = emu.message(world.company, prompt)["text"]
    assert done == "谢谢李娜亮明身份：正式党员，组织关系在本单位（科技公司党支部）。"

    # /iam 党员 without the place, in a group with no organisation: only 在外地.
    asked = await world.say(world.building, world.boss, "/iam 党员")
    prompt = emu.bot_messages(world.building)[-1]
    labels = [b["text"] for b in prompt["reply_markup"]["inline_keyboard"][0]]
    assert labels == [ls.BUTTON_ELSEWHERE]
    emu.press_button(world.building, world.boss, prompt["message_id"], text=ls.BUTTON_ELSEWHERE)
    await emu.settle()
    done = emu.message(world.building, prompt["message_id"])["text"]
    assert ls.DONE_ELSEWHERE_UNKNOWN in done
    assert transfer_entry().answer in done


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("/iam 群众", ls.IAM_STATUS.format(word="群众")),
        ("/iam 积极分子", ls.IAM_ACTIVIST),
        ("/iam 党员 组织关系在 " + "某" * 51, ls.IAM_PLACE_LONG.format(length=51, limit=50)),
        ("/iam @zhangwei 党员", ls.IAM_NOT_FOR_OTHERS),
    ],
)
async def test_bad_input_gets_a_clear_reply(world: County, text: str, reply: str) -> None:
    assert await world.say(world.company, world.members["李娜"], text) == reply


async def test_declaring_for_someone_else_or_privately_is_refused(world: County) -> None:
    li, zhang = world.members["李娜"], world.members["张伟"]
    spoke = world.emu.send_text(world.company, zhang, "我也是党员")
    said = await world.say(world.company, li, "/iam 党员 本单位", reply_to=spoke)
    assert said == ls.IAM_NOT_FOR_OTHERS
    await started(world.emu, li)
    assert await world.say(li, li, "/iam 党员 本单位") == texts.GROUP_ONLY
    assert await world.say(li, li, "/liangshen") == ls.PRIVATE_NO_ORG


async def test_the_committee_holds_its_monthly_regular_meeting(world: County) -> None:
    """The 非公 党委's 党建例会 is required monthly: /checkup says so until one is held, and the
    county's ledger counts it on the 下级组织 sheet."""
    secretary, bot = world.committee_secretary, world.bot
    checkup = await world.say(world.committee_group, secretary, "/checkup")
    assert "❌ 本月党建例会：还没有召开，距月末还有5天" in checkup
    now = bot.clock.now()
    async with bot.db() as session:
        orgs = OrganisationRepo(session)
        committee = await orgs.by_name(COMMITTEE)
        chat = await ChatRepo(session).get(world.committee_group.id)
        assert committee is not None
        assert chat is not None
        root = await orgs.create(name="县委组织部", kind=OrgKind.COMMITTEE, domain=Domain.ORGAN,
                                 now=now)  # fmt: skip
        await orgs.set_parent(committee.id, root.id)
        meeting = await MeetingRepo(session).create(
            now=now,
            organisation_id=committee.id,
            chat_id=chat.id,
            kind=MeetingType.REGULAR,
            starts_at=now - timedelta(days=6),
            organiser_id=secretary.id,
        )
        await MinutesRepo(session).mark_held(meeting.id, secretary.id, now)
    checkup = await world.say(world.committee_group, secretary, "/checkup")
    assert "✅ 本月党建例会：已召开1次" in checkup

    ledger = await bot.runtime.services.ledger.export(
        Actor(Person(world.county.id, None, "县委组织部"), Place(world.county.id)),
        "2026年11月 县委组织部",
    )
    assert isinstance(ledger, LedgerFile)
    below = load_workbook(io.BytesIO(ledger.content))["下级组织"]
    header = [cell.value for cell in below[2]]
    rows = {row[0]: row for row in below.iter_rows(min_row=3, values_only=True)}
    column = header.index("党建例会（召开/应开）")
    assert rows[COMMITTEE][column] == "1/1"
    assert rows[COMPANY][column] == ledger_texts.NOT_REQUIRED  # a branch holds no 党建例会


async def test_the_county_is_told_of_groups_to_build_on_the_warning_day(world: County) -> None:
    """With the monthly 三会一课 warnings (seven days before the month ends) the county's
    superadmin hears of the groups flagged 应建尽建; last in the module: it moves the clock."""
    bot = world.bot
    await bot.runtime.services.checkup.plan_alerts()
    bot.clock.set(beijing(12, 25, 9))
    for _ in range(3):  # the run, then what it queued
        await bot.sweep()
    told = await world.emu.wait_for_bot_message(world.county, contains="【应建尽建】")
    assert "· 建材公司群：正式党员4人，预备党员1人" in told["text"]  # with its admin
    assert "科技公司群" not in told["text"]  # it has its organisation
    for user in (world.company_secretary, world.neighbour_secretary):
        assert not [m for m in world.emu.bot_messages(user) if "应建尽建" in m.get("text", "")]
