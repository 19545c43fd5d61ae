"""The expectations of the permission matrix: every manager command and button, one row each.

A row arranges what the action needs (as the organisation's secretary), then returns the
action of the caller. It says what the bot answers when it does it (`done`), what it answers
a caller it refuses (`refusal`), whether doing it changes the database, and who is allowed.

Who is allowed, by default: the parent organisation's 书记 (a post above counts in every
organisation below, README "Managers of an organisation") and the superadmins; never a
plain member, never another organisation's admin. Exceptions are written on their row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete

from bot import texts
from bot.core.campaigns import DEFAULT_RULES
from bot.texts import broadcast as broadcast_texts
from bot.texts import faq as faq_texts
from bot.texts import liangshen as liangshen_texts
from bot.texts import meetings as meeting_texts
from bot.texts import minutes as minutes_texts
from bot.texts import study as study_texts
from emulator.world import User
from storage.models import StarEdit
from storage.repositories.campaigns import CampaignRepo
from storage.repositories.posts import PostRepo
from tests.e2e.permission_world import ORG, OTHER, SERIES, Caller, World

Action = Callable[[], Awaitable[list[str]]]
Arrange = Callable[[World, User], Awaitable[Action]]
MANAGERS = frozenset({Caller.PARENT, Caller.SUPERADMIN})
SUPERADMIN = frozenset({Caller.SUPERADMIN})
EVERYONE = frozenset(Caller)
NOT_MANAGER_OF = texts.NOT_MANAGER_OF.format(org=ORG)
BOUND, UNBOUND = "已将本群绑定到“第一党支部”", texts.UNBIND_DONE.format(org=ORG)
INVITED, PLACED = "“第一党支部”的邀请码", texts.ORG_PARENT_DONE.format(org=ORG, parent=OTHER)
LISTED, ASK_TITLE = study_texts.LIST_HEADER.format(org=ORG), study_texts.FLOW_ASK_TITLE
EDIT_TOPIC, IMPORTED = "/study edit {w.topic_id} 标题 新标题{n}", "已导入1个学习主题"
EDIT_ENTRY = "/faq edit {w.entry_id} 出处 本支部第{n}次委员会决定"
UNPUBLISHED = "号主题没有发给本组织或下级组织"
LEDGER = "台账"
REPORT = "2026年第4季度"
CHOOSE_SCOPE = broadcast_texts.CHOOSE_SCOPE
PLAN = """\
topics:
  - title: 重温入党誓词
    publish_at: 2026-12-04 09:00
    summary: 重温誓词，交流初心。
    questions: [誓词有哪些要求？, 你的初心是什么？]
    deadline: 发布后7天
"""
FAQ_FILE = """\
entries:
  - id: dues-when
    question: 党费什么时候交？
    phrasings: [党费每月几号交, 什么时候缴纳党费, 党费交纳时间]
    keywords: [党费]
    answer: 每月{n}日前交到支部。
    source: 本支部委员会决定
"""


@dataclass(frozen=True)
class Case:
    """One way to use a manager's command (or button) and what each caller gets."""

    label: str  # how the test names it
    arrange: Arrange
    done: str  # in what the bot says when it did it
    refusal: str = texts.MANAGERS_ONLY
    writes: bool = True  # doing it changes the database
    allowed: frozenset[Caller] = MANAGERS
    verb: str = ""  # the sub-command (/study add, /faq pending …)


def saying(
    text: str, private: bool = False, reply: Callable[[World], Any] | None = None
) -> Arrange:
    """The caller sends `text` ({n} is a fresh number) in the group, or privately; optionally
    as a reply to the message `reply(world)` arranges."""

    async def arrange(w: World, user: User) -> Action:
        chat = user if private else w.group
        replied = await reply(w) if reply is not None else None
        message = text.format(n=next(w.numbers), w=w, org=ORG)
        return lambda: w.command(chat, user, message, reply_to=replied)

    return arrange


def with_new(make: str, text: str, private: bool = False) -> Arrange:
    """Like `saying`, with {id} a thing made first: meeting, series, topic or entry."""

    async def arrange(w: World, user: User) -> Action:
        if make == "meeting":
            number = (await w.new_meeting()).id
        elif make == "series":
            number = (await w.new_meeting(SERIES)).series.id
        elif make == "topic":
            number = await w.new_topic()
        else:
            number = await w.new_entry()
        chat = user if private else w.group
        return lambda: w.command(chat, user, text.format(id=number, org=ORG))

    return arrange


# -- arrangements with more to them --------------------------------------------------------


async def bind_fresh_group(w: World, user: User) -> Action:
    """`/bind 第一党支部` in a new group where the caller is a plain member."""
    group = await w.fresh_group(user)
    w.undo.append(lambda: w.bind(group, None))
    return lambda: w.command(group, user, f"/bind {ORG}")


async def unbind(w: World, user: User) -> Action:
    """`/unbind` in the organisation's group (bound again afterwards)."""
    w.undo.append(lambda: w.bind(w.group, w.org_id))
    return lambda: w.command(w.group, user, "/unbind")


def assign(text: str) -> Arrange:
    """`/role …` or `/status …` as a reply to a plain member's message."""

    async def arrange(w: World, user: User) -> Action:
        role, status = await w.role_and_status(w.target)
        w.undo.append(lambda: w.set_member(w.target, role, status))
        spoke = w.emu.send_text(w.group, w.target, "收到")
        await w.calm()
        return lambda: w.command(w.group, user, text, reply_to=spoke)

    return arrange


async def org_parent(w: World, user: User) -> Action:
    """`/org_parent 第二党支部` (placed back afterwards)."""
    w.undo.append(lambda: w.set_parent(w.org_id, w.parent_id))
    return lambda: w.command(w.group, user, f"/org_parent {OTHER}")


async def campaign_add(w: World, user: User) -> Action:
    """`/campaign add 竞赛N <a week ahead> 30天` (a fresh name each time)."""
    start = (w.bot.clock.now() + timedelta(days=7)).astimezone(w.bot.settings.timezone)
    text = f"/campaign add 竞赛{next(w.numbers)} {start:%Y-%m-%d} 30天"
    return lambda: w.command(w.group, user, text)


def on_campaign(text: str) -> Arrange:
    """Like `saying`, with {name} a fresh campaign of the organisation, not started yet."""

    async def arrange(w: World, user: User) -> Action:
        name, now = f"活动{next(w.numbers)}", w.bot.clock.now()
        async with w.bot.db() as session:
            await CampaignRepo(session).create(
                organisation_id=w.org_id,
                name=name,
                window=(now + timedelta(days=7), now + timedelta(days=37)),
                subtree=False,
                rules=DEFAULT_RULES,
                created_by=w.secretary.id,
                now=now,
            )
        return lambda: w.command(w.group, user, text.format(name=name))

    return arrange


async def target_says(w: World) -> dict[str, Any]:
    """A message of the plain member 王五 in the group (what /award replies to)."""
    spoke: dict[str, Any] = w.emu.send_text(w.group, w.target, "收到")
    await w.calm()
    return spoke


def stars_edit(text: str) -> Arrange:
    """Like `saying`; the managers' star edits are removed afterwards."""

    async def arrange(w: World, user: User) -> Action:
        async def forget() -> None:
            async with w.bot.db() as session:
                await session.execute(delete(StarEdit))

        w.undo.append(forget)
        return lambda: w.command(w.group, user, text)

    return arrange


def plan_file(caption: str, private: bool = False) -> Arrange:
    """A study plan file with the caption `/study import …`."""

    async def arrange(w: World, user: User) -> Action:
        chat = user if private else w.group
        return lambda: w.document(chat, user, "计划.yaml", PLAN.encode(), caption)

    return arrange


async def secretary_says(w: World) -> dict[str, Any]:
    """A message of the secretary in the group (what /broadcast replies to)."""
    spoke: dict[str, Any] = w.emu.send_text(w.group, w.secretary, "请大家学习新修订的条例")
    await w.calm()
    return spoke


async def broadcast_privately(w: World, user: User) -> Action:
    """`/broadcast 第一党支部` as a reply to the caller's own private message."""
    spoke = w.emu.send_text(user, user, "请大家学习新修订的条例")
    await w.calm()
    return lambda: w.command(user, user, f"/broadcast {ORG}", reply_to=spoke)


async def study_add_privately(w: World, user: User) -> Action:
    """`/study add 第一党支部` privately (left with /cancel afterwards)."""

    async def leave() -> None:
        await w.command(user, user, "/cancel", answers=False)  # silent without a draft

    w.undo.append(leave)
    return lambda: w.command(user, user, f"/study add {ORG}")


async def faq_file_replied(w: World, user: User) -> Action:
    """`/faq import` as a reply to a base file the secretary sent."""
    content = FAQ_FILE.format(n=next(w.numbers)).encode()
    sent = w.emu.send_document(w.group, w.secretary, "faq.yaml", content)
    await w.calm()
    return lambda: w.command(w.group, user, "/faq import", reply_to=sent)


async def faq_file(w: World, user: User) -> Action:
    """A base file with the caption `/faq import`."""
    content = FAQ_FILE.format(n=next(w.numbers)).encode()
    return lambda: w.document(w.group, user, "faq.yaml", content, "/faq import")


def on_past_meeting(text: str, private: bool = False) -> Arrange:
    """Like `saying`, with {id} a meeting that ended two days ago (fresh for each case)."""

    async def arrange(w: World, user: User) -> Action:
        number = await w.past_meeting()
        chat = user if private else w.group
        return lambda: w.command(chat, user, text.format(id=number, org=ORG))

    return arrange


def on_post(verb: str, *, held: bool = False) -> Arrange:
    """`/post <verb> 岗位N 王五` on a fresh post (held by 王五 first when `held`)."""

    async def arrange(w: World, user: User) -> Action:
        name, now = f"岗位{next(w.numbers)}", w.bot.clock.now()
        async with w.bot.db() as session:
            posts = PostRepo(session)
            post = await posts.add(w.org_id, name, "负责一项工作", None, now)
            assert post is not None
            if held:
                await posts.assign(post.id, w.target.id, None, now)
        who = "" if verb == "remove" else f" {w.target.first_name}"
        return lambda: w.command(w.group, user, f"/post {verb} {name}{who}")

    return arrange


RECORD_REFUSAL = minutes_texts.ONLY_MANAGERS
CHECKUP_DONE = "【三会一课情况】第一党支部"
FLOATING = "外出的"


# fmt: off
COMMAND_CASES: dict[str, list[Case]] = {
    # /bind and /unbind are for the group's Telegram admins (README): the parent's 书记 is
    # refused, although /help lists both to them (level MANAGER) - flagged in the report.
    "bind": [Case("/bind", bind_fresh_group, BOUND, texts.ADMINS_ONLY, allowed=SUPERADMIN)],
    "unbind": [Case("/unbind", unbind, UNBOUND, texts.ADMINS_ONLY, allowed=SUPERADMIN)],
    "invite": [
        Case("/invite", saying("/invite"), INVITED),
        Case("/invite (private)", saying("/invite {org}", private=True), INVITED, NOT_MANAGER_OF),
    ],
    "role": [Case("/role", assign("/role 委员"), "已将王五的职务设为委员")],
    "status": [Case("/status", assign("/status 预备党员"), "已将王五的身份设为预备党员")],
    "org_parent": [
        Case("/org_parent", org_parent, PLACED, texts.SUPERADMINS_ONLY, allowed=SUPERADMIN)
    ],
    "meeting": [
        Case("/meeting", saying("/meeting 支委会 2026-12-05 15:00 三楼会议室"), "已发布会议通知"),
        Case("/meeting (guided)", saying("/meeting"), meeting_texts.FLOW_PICK_TYPE, writes=False),
    ],
    "meeting_edit": [
        Case("/meeting_edit", saying("/meeting_edit {w.meeting_id} 地点 {n}号室"), "已修改会议")
    ],
    "meeting_cancel": [
        Case("/meeting_cancel", with_new("meeting", "/meeting_cancel {id} 有事"), "已取消会议")
    ],
    "series_edit": [
        Case("/series_edit", saying("/series_edit {w.series_id} 地点 {n}号室"), "已修改周期")
    ],
    "series_cancel": [
        Case("/series_cancel", with_new("series", "/series_cancel {id}"), "已取消周期会议")
    ],
    # A record names who was on leave and why: in the group it is sent privately. The first
    # /record of an ended meeting drafts its record.
    "record": [
        Case("/record", on_past_meeting("/record {id}"), "已私信发给您", RECORD_REFUSAL),
        Case("/record (private)", on_past_meeting("/record {id}", True), minutes_texts.MARK,
             RECORD_REFUSAL),
    ],
    "meeting_held": [
        Case("/meeting_held", on_past_meeting("/meeting_held {id}"), "标记为已召开"),
        Case("/meeting_held (private)", on_past_meeting("/meeting_held {id}", True),
             "标记为已召开"),
    ],
    "checkup": [
        Case("/checkup", saying("/checkup"), CHECKUP_DONE, writes=False),
        Case("/checkup (private)", saying("/checkup {org}", True), CHECKUP_DONE, NOT_MANAGER_OF,
             False),
    ],
    # Campaigns, awards and 五星党员 ratings are the managers'; /rank is everyone's.
    "campaign": [
        Case("/campaign", on_campaign("/campaign"), "【第一党支部的活动】", writes=False),
        Case("/campaign add", campaign_add, "已创建活动", verb="add"),
        Case("/campaign rule", on_campaign("/campaign rule {name} 签到 7"), "的积分规则",
             verb="rule"),
    ],
    "award": [
        Case("/award", saying("/award 5 主动调解纠纷", reply=target_says), "已给王五奖励5分")
    ],
    "stars": [
        Case("/stars", saying("/stars 2026"), "2026年五星党员评比草稿", writes=False),
        Case("/stars set", stars_edit("/stars set 2026 王五 表率 5"), "已把王五的表率设为5星",
             verb="set"),
        Case("/stars publish", saying("/stars publish 2026"), "五星党员评比结果发布到本组织",
             verb="publish"),
    ],
    # Anyone lists upcoming topics with /study (README, registry, code agree); the verbs are
    # the managers'. /study template sends the example files to anyone (only examples).
    "study": [
        Case("/study", saying("/study"), LISTED, "", False, EVERYONE),
        Case("/study (private)", saying("/study {org}", True), LISTED, NOT_MANAGER_OF, False),
        Case("/study template", saying("/study template"), study_texts.TEMPLATE_DONE, "", False,
             EVERYONE, "template"),
        Case("/study add", saying("/study add"), ASK_TITLE, writes=False, verb="add"),
        Case("/study add (private)", study_add_privately, ASK_TITLE, NOT_MANAGER_OF, False,
             verb="add"),
        Case("/study edit", saying(EDIT_TOPIC), "已修改第", verb="edit"),
        Case("/study edit (private)", saying(EDIT_TOPIC, True), "已修改第", verb="edit"),
        Case("/study delete", with_new("topic", "/study delete {id}"), "已删除第", verb="delete"),
        Case("/study delete (private)", with_new("topic", "/study delete {id}", True), "已删除第",
             verb="delete"),
        Case("/study import", plan_file("/study import"), IMPORTED, verb="import"),
        Case("/study import (private)", plan_file(f"/study import {ORG}", True), IMPORTED,
             NOT_MANAGER_OF, verb="import"),
    ],
    # The world's topic is not published yet: its statistics say so, past the access check.
    "study_stats": [
        Case("/study_stats", saying("/study_stats {w.topic_id}"), UNPUBLISHED, writes=False),
        Case("/study_stats (private)", saying("/study_stats {w.topic_id} {org}", True),
             UNPUBLISHED, NOT_MANAGER_OF, False),
    ],
    # The ledger (its caption), or that the period has no meeting yet (when no case has held
    # one): both past the access check.
    "ledger": [
        Case("/ledger", saying("/ledger"), LEDGER, writes=False),
        Case("/ledger (private)", saying("/ledger 2026Q4 {org}", True), LEDGER, NOT_MANAGER_OF,
             False),
    ],
    # Likewise /report: the charts' captions, or that the period has no meeting yet; both
    # name the period, which no refusal does.
    "report": [
        Case("/report", saying("/report 2026Q4"), REPORT, writes=False),
        Case("/report (private)", saying("/report 2026Q4 {org}", True), REPORT, NOT_MANAGER_OF,
             False),
    ],
    # Floating members (流动党员) away: the list says none or names them, past the check.
    "floating": [
        Case("/floating", saying("/floating"), FLOATING, writes=False),
        Case("/floating (private)", saying("/floating {org}", True), FLOATING, NOT_MANAGER_OF,
             False),
    ],
    "broadcast": [
        Case("/broadcast", saying("/broadcast", reply=secretary_says), CHOOSE_SCOPE),
        Case("/broadcast (private)", broadcast_privately, CHOOSE_SCOPE, NOT_MANAGER_OF),
    ],
    # Anyone declares themself (双找, issue 14); each case names a new place, so the row
    # changes. /liangshen is the managers' (and the county's), sent privately (it names
    # people); privately anyone managing an organisation sees their own groups, so the other
    # organisation's admin gets an answer there.
    "iam": [
        Case("/iam", saying("/iam 党员 组织关系在 河南省第{n}村党支部"), "组织关系在河南省第", "",
             allowed=EVERYONE),
    ],
    "liangshen": [
        Case("/liangshen", saying("/liangshen"), liangshen_texts.SENT_PRIVATELY, writes=False),
        Case("/liangshen (private)", saying("/liangshen", True), "亮明身份",
             liangshen_texts.PRIVATE_NO_ORG, False, MANAGERS | {Caller.STRANGER}),
    ],
    "faq": [
        Case("/faq", saying("/faq"), "问答库管理", writes=False),
        Case("/faq pending", saying("/faq pending"), "待答复", writes=False, verb="pending"),
        Case("/faq add", saying("/faq add"), faq_texts.FLOW_TAG_NEW, writes=False, verb="add"),
        Case("/faq list", saying("/faq list"), "“第一党支部”的问答", writes=False, verb="list"),
        Case("/faq edit", saying(EDIT_ENTRY), "条问答的出处", verb="edit"),
        Case("/faq delete", with_new("entry", "/faq delete {id}"), "已删除第", verb="delete"),
        Case("/faq export", saying("/faq export"), "的问答库", writes=False, verb="export"),
        Case("/faq import (caption)", faq_file, "导入完成", verb="import"),
        Case("/faq import (reply)", faq_file_replied, "导入完成", verb="import"),
    ],
    # 设岗定责: posts are the managers'; /posts and /duty are everyone's (each member's own).
    "post": [
        Case("/post", saying("/post"), "设岗定责（", writes=False),
        Case("/post add", saying("/post add 岗{n} 负责第{n}项工作"), "已设立岗位", verb="add"),
        Case("/post remove", on_post("remove"), "已撤销岗位", verb="remove"),
        Case("/post assign", on_post("assign"), "岗位交给王五", verb="assign"),
        Case("/post unassign", on_post("unassign", held=True), "已取消王五", verb="unassign"),
    ],
}
# fmt: on
