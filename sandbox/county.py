"""The demo county: people, groups, and the setup a real county would do through the bot.

The emulator's world lives in memory, its ids are handed out in order: building the same
people and groups in the same order gives them the same ids after a restart, so a kept
database (organisations, bindings, meetings) still fits. Only a fresh database is set up
through the bot (binding, posts, standings, a meeting, a study plan), by sending the
commands a county's people would send.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from emulator.emulator import BotApiEmulator
from emulator.world import Chat, User

log = logging.getLogger(__name__)

COUNTY_ORG, TOWN_ORG = "县委组织部", "城关镇党委"
COUNTY_ADMIN = "张部长"


@dataclass(frozen=True)
class Person:
    """A demo person: name, the branch they belong to (None: the county), post, standing."""

    name: str
    org: str | None
    post: str = "党员"
    standing: str = "正式党员"
    title: str = ""  # what the page says about them


@dataclass(frozen=True)
class Branch:
    """A demo organisation with its group; `domain` as /bind takes it."""

    name: str
    domain: str
    parent: str | None


BRANCHES = (
    Branch(COUNTY_ORG, "机关", None),
    Branch(TOWN_ORG, "机关", COUNTY_ORG),
    Branch("机关党支部", "机关", TOWN_ORG),
    Branch("农村党支部", "农村", TOWN_ORG),
    Branch("社区党支部", "社区", TOWN_ORG),
    Branch("流动党员党支部", "其他", TOWN_ORG),
)

PEOPLE = (
    Person(COUNTY_ADMIN, COUNTY_ORG, "书记", title="县委组织部（全县管理员）"),
    Person("赵书记", TOWN_ORG, "书记", title="城关镇党委书记"),
    Person("王书记", "机关党支部", "书记", title="机关党支部书记"),
    Person("陈静", "机关党支部", "委员", title="机关党支部组织委员"),
    Person("李明", "机关党支部", "委员", title="机关党支部宣传委员"),
    Person("刘洋", "机关党支部", standing="预备党员", title="机关党支部预备党员"),
    Person("周敏", "机关党支部", standing="入党积极分子", title="机关党支部入党积极分子"),
    Person("孙书记", "农村党支部", "书记", title="农村党支部书记"),
    Person("吴强", "农村党支部", title="农村党支部党员（在东莞务工的流动党员）"),
    Person("郑书记", "社区党支部", "书记", title="社区党支部书记"),
    Person("钱芳", "社区党支部", standing="预备党员", title="社区党支部预备党员"),
    Person("冯书记", "流动党员党支部", "书记", title="流动党员党支部书记"),
    Person("何军", "流动党员党支部", title="流动党员（在外务工）"),
)

# A floating member (流动党员): 吴强 of 农村党支部 works in Dongguan and takes part in the
# 流动党员党支部's group; he records it with /away (issue 14).
AWAY = ("吴强", "流动党员党支部", "/away 广东省东莞市 流动党员党支部")

PLAN = """\
topics:
  - title: 学习新修订的《中国共产党纪律处分条例》
    publish_at: {publish_at}
    summary: 逐章学习条例，结合岗位谈体会。
    materials: [条例全文, https://www.12371.cn/]
    questions: [条例对党员提出了哪些新要求？, 结合本职工作谈一点体会。]
    deadline: 发布后3天
    quiz:
      - question: 党的根本宗旨是什么？
        options: [全心全意为人民服务, 发展经济]
        answer: A
"""


@dataclass
class County:
    """The demo world as the page shows it: people (with what they are) and groups."""

    people: dict[int, Person] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    groups: dict[str, Chat] = field(default_factory=dict)

    @property
    def admin(self) -> User:
        """The county superadmin."""
        return self.users[COUNTY_ADMIN]

    def secretary_of(self, org: str) -> User:
        """The 书记 of an organisation (its group's Telegram admin)."""
        return next(self.users[p.name] for p in PEOPLE if p.org == org and p.post == "书记")

    def members_of(self, org: str) -> list[User]:
        """Everyone in an organisation's group: its people and the secretaries of the ones
        below (a 党委's group holds its branches' secretaries)."""
        below = {b.name for b in BRANCHES if b.parent == org}
        return [
            self.users[p.name]
            for p in PEOPLE
            if p.org == org or (p.org in below and p.post == "书记") or (p.name, org) == AWAY[:2]
        ]


def build_world(emu: BotApiEmulator) -> County:
    """Create the people and groups in the emulator (same ids every time)."""
    county = County()
    for person in PEOPLE:
        user = emu.add_user(person.name)
        county.users[person.name] = user
        county.people[user.id] = person
    for branch in BRANCHES:
        secretary = county.secretary_of(branch.name)
        county.groups[branch.name] = emu.add_group(
            f"{branch.name}群",
            members=county.members_of(branch.name),
            admins=[secretary],
            bot_admin=True,  # the bot sees every message (README: why it should be admin)
        )
    return county


async def set_up(emu: BotApiEmulator, county: County, tz: ZoneInfo, now: datetime) -> None:
    """Set the county up through the bot, as its people would: start the bot, bind each
    group, place it in the tree, set posts and standings, announce a meeting, load a plan."""
    for user in county.users.values():
        emu.start_private_chat(user)
    await _calm(emu)
    for branch in BRANCHES:
        group = county.groups[branch.name]
        secretary = county.secretary_of(branch.name)
        await _say(emu, group, secretary, f"/bind {branch.name} {branch.domain}")
        if branch.parent is not None:
            # Only the county admin places an organisation in the tree: they join the group
            # for it and leave again (they are no member of the branch).
            emu.join(group, county.admin)
            await _say(emu, group, county.admin, f"/org_parent {branch.parent}")
            emu.leave(group, county.admin)
        for user in county.members_of(branch.name):
            if user is not secretary:
                emu.send_text(group, user, "到")  # the bot learns the roster from who writes
        await _calm(emu)
        for person in PEOPLE:
            if person.org == branch.name:
                await _post_and_standing(emu, county, group, person)
    await _plan_and_meeting(emu, county, tz, now)
    away = county.users[AWAY[0]]
    await _say(emu, county.groups[county.people[away.id].org or ""], away, AWAY[2])


async def _post_and_standing(emu: BotApiEmulator, county: County, group: Chat, p: Person) -> None:
    """The group's admin (the secretary) sets a member's post and standing by replying."""
    user, secretary = county.users[p.name], county.secretary_of(p.org or COUNTY_ORG)
    spoke = emu.send_text(group, user, "收到")
    await _calm(emu)
    if p.post != "党员":
        await _say(emu, group, secretary, f"/role {p.post}", reply_to=spoke["message_id"])
    if p.standing != "正式党员":
        await _say(emu, group, secretary, f"/status {p.standing}", reply_to=spoke["message_id"])


async def _plan_and_meeting(
    emu: BotApiEmulator, county: County, tz: ZoneInfo, now: datetime
) -> None:
    group = county.groups["机关党支部"]
    secretary = county.secretary_of("机关党支部")
    await _say(emu, group, secretary, "/meeting 党员大会 明天上午9点 三楼会议室 学习条例")
    publish = (now.astimezone(tz) + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    plan = PLAN.format(publish_at=publish).encode()
    emu.send_document(group, secretary, "学习计划.yaml", plan, caption="/study import")
    await _calm(emu)


async def _say(
    emu: BotApiEmulator, chat: Chat, user: User, text: str, reply_to: int | None = None
) -> None:
    """Send a command and wait until the bot is done with it (its answer goes to the log)."""
    before = len(emu.sent)
    emu.send_text(chat, user, text, reply_to=reply_to)
    await _calm(emu)
    for chat_id, message_id in emu.sent[before:]:
        if chat_id == chat.id:
            said = emu.world.chats[chat_id].messages.get(message_id, {}).get("text", "")
            log.info("demo county: %s → %s", text, said.splitlines()[0] if said else "")


async def _calm(emu: BotApiEmulator) -> None:
    await emu.settle(quiet=0.05, timeout=30.0)
