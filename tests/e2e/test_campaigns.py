"""Issue 14, part 3: campaigns with points, end to end over the emulator.

Points follow the recorded facts (check-ins, studies, correct quiz answers, duty reports,
awards) within the campaign's window and scope, and the leaderboards order them; the weekly
post and the summary go out through the outbox as the clock moves; 五星党员 drafts are
edited and published; bad input and other people's campaigns are refused in Chinese.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot import texts as common
from bot.texts import campaigns as texts
from emulator.world import Chat
from storage.models.campaigns import Award
from storage.repositories import DeliveryRepo
from tests.e2e.campaign_world import PUBLISH_AT, QUIZ_PLAN, County, make_county
from tests.e2e.harness import BotFactory, RunningBot
from tests.e2e.meetings_world import beijing
from tests.e2e.test_study_plans import import_file
from tests.e2e.worlds import (  # noqa: F401 - the fixture: these tests say a lot in one group
    fast_emulator as emulator,
)
from tests.e2e.worlds import sped_up_bot

CAMPAIGN = "百日学习竞赛"


@pytest.fixture
async def bot(bot_factory: BotFactory) -> RunningBot:
    """The bot with its rate limiter on the emulator's fast clock."""
    return await sped_up_bot(bot_factory)


def posts(bot: RunningBot, chat: Chat, part: str) -> list[str]:
    return [m["text"] for m in bot.emulator.bot_messages(chat) if part in m.get("text", "")]


async def sweep_until_quiet(bot: RunningBot) -> None:
    """Runs queue posts: sweep until a sweep sends nothing more."""
    for _ in range(20):
        report = await bot.sweep()
        await bot.emulator.settle()
        if not report.sent and not report.expired:
            return


async def at(bot: RunningBot, moment: datetime) -> None:
    bot.clock.set(moment)
    await sweep_until_quiet(bot)


def lines_after(text: str, title: str) -> list[str]:
    return text.split(title, 1)[1].strip().splitlines()


async def facts(county: County) -> None:
    """In December: 张三 and 李四 check in, 张三 studies and answers right, 李四 wrong; 王五
    reports a duty (and one before the start) and gets 6 points from the secretary; 孙七 of
    第二党支部 10 from theirs."""
    bot, first = county.bot, county.first
    emu = bot.emulator
    await county.say(first.group, first.secretary, "/post add 纠纷调解 负责调解邻里纠纷")
    spoke = await county.said_by(first.group, first.wang, "收到")
    await county.say(first.group, first.secretary, "/post assign 纠纷调解", spoke)
    early = await county.say(first.group, first.wang, "/duty 走访了三户")
    assert early.startswith("已记录您的履职")
    reply = await import_file(bot, first.group, first.secretary, "计划.yaml", QUIZ_PLAN.encode())
    assert reply.startswith("已导入1个学习主题")
    await first.announce("主题党日 2026-12-05 15:00 会议室")
    await at(bot, PUBLISH_AT)
    topic = await emu.wait_for_bot_message(first.group, contains="主题党日学习")
    first.press(first.zhang, topic, "已学习")
    (poll,) = [m for m in emu.bot_messages(first.group) if "poll" in m]
    emu.answer_poll(first.zhang, poll["poll"]["id"], [0])
    emu.answer_poll(first.li, poll["poll"]["id"], [1])
    await emu.settle()
    await at(bot, beijing(12, 5, 15))
    start = await emu.wait_for_bot_message(first.group, contains="现在开始")
    for person in (first.zhang, first.li):
        first.press(person, start, "签到")
    await emu.settle()
    reported = await county.say(first.group, first.wang, "/duty 调解了两户邻里宅基地纠纷")
    assert reported.startswith("已记录您的履职（纠纷调解")
    spoke = await county.said_by(first.group, first.wang, "我调解了邻里纠纷")
    reply = await county.say(first.group, first.secretary, "/award 6 主动调解纠纷", spoke)
    assert reply == "已给王五奖励6分：主动调解纠纷（第一党支部）"
    spoke = await county.said_by(county.second_group, county.sun, "我帮助了困难群众")
    said = await county.say(
        county.second_group, county.second_secretary, "/award 10 扶贫济困", spoke
    )
    assert said.startswith("已给孙七奖励10分")


async def test_points_follow_the_facts_and_the_boards_order_them(bot: RunningBot) -> None:
    county = await make_county(bot)
    first, committee = county.first, county.committee_group
    above = county.committee_secretary
    # An award before the campaign is a fact, but outside its window.
    spoke = await county.said_by(first.group, first.zhao, "收到")
    await county.say(first.group, first.secretary, "/award 3 积极发言", spoke)

    added = await county.say(
        committee, above, f"/campaign add {CAMPAIGN} 2026-12-01 100天 下级组织"
    )
    assert added.startswith(
        f"已创建活动“{CAMPAIGN}”（本组织及下级组织）：2026-12-01至2027-03-10，共100天。"
    )
    assert "签到3分/次" in added
    async with bot.db() as session:
        runs = await DeliveryRepo(session).with_prefix("campaign:")
    assert len(runs) == 14 + 1  # the weekly runs of 100 days, and the summary
    assert await bot.runtime.services.campaigns.plan_posts() == 0  # the job adds none again
    changed = await county.say(committee, above, f"/campaign rule {CAMPAIGN} 签到 4")
    assert changed.startswith(f"已修改活动“{CAMPAIGN}”的积分规则：签到4分/次")
    listing = await county.say(first.group, first.secretary, "/campaign")
    assert f"· {CAMPAIGN}（本组织及下级组织，2026-12-01至2027-03-10，未开始）" in listing

    await facts(county)
    refused = await county.say(committee, above, f"/campaign rule {CAMPAIGN} 签到 9")
    assert refused == texts.ERRORS["campaign_started"].format(name=CAMPAIGN)

    # 王五 6 (奖励) + 2 (履职, the report before the start does not count) = 8, 张三 4 (签到)
    # + 2 (学习) + 1 (答对) = 7, 李四 4; 赵六's award was before the start.
    board = await county.say(first.group, first.zhang, "/rank")
    assert board.startswith(f"【{CAMPAIGN}·积分排行榜】截至2026-12-05 15:")
    assert lines_after(board, texts.RANK_MEMBERS_TITLE)[:3] == [
        "1. 王五 8分",
        "2. 张三 7分",
        "3. 李四 4分",
    ]
    assert "赵六 0分" in board
    assert "孙七" not in board  # nothing from another branch
    # Branches by average: 第二党支部 10 / 2 = 5.0, 第一党支部 19 / 5 = 3.8.
    branches = await county.say(committee, above, "/rank")
    assert lines_after(branches, texts.RANK_ORGS_TITLE) == [
        "1. 第二党支部 人均5.0分（2人）",
        "2. 第一党支部 人均3.8分（5人）",
    ]

    await at(bot, beijing(12, 8, 9))  # the first week's post in every group of the campaign
    (week,) = posts(bot, first.group, "第1周积分排行榜")
    assert "1. 王五 8分" in week
    (week,) = posts(bot, committee, "第1周积分排行榜")
    assert "1. 第二党支部 人均5.0分（2人）" in week
    assert len(posts(bot, county.second_group, "第1周积分排行榜")) == 1

    await at(bot, datetime(2027, 3, 11, 9, 0, tzinfo=beijing(1, 1, 0).tzinfo))
    (summary,) = posts(bot, first.group, "活动总结")
    assert summary.startswith(f"【{CAMPAIGN}·活动总结】2026-12-01至2027-03-10")
    top = lines_after(summary, texts.TOP_MEMBERS.format(count=10))
    assert top[:4] == [
        "1. 孙七（第二党支部） 10分",
        "2. 王五（第一党支部） 8分",
        "3. 张三（第一党支部） 7分",
        "4. 李四（第一党支部） 4分",
    ]
    assert "1. 第二党支部 人均5.0分（2人）" in summary
    assert posts(bot, committee, "活动总结") == [summary]
    assert len(posts(bot, first.group, "第2周积分排行榜")) == 0  # long expired, never late


async def test_star_rating_is_drafted_edited_and_published(bot: RunningBot) -> None:
    county = await make_county(bot)
    first, secretary = county.first, county.first.secretary
    reply = await county.say(first.group, secretary, f"/campaign add {CAMPAIGN} 2026-12-01 30天")
    assert reply.startswith("已创建活动")
    await facts(county)
    await at(bot, beijing(12, 31, 12))

    draft = await county.say(first.group, secretary, f"/stars {CAMPAIGN}")
    assert draft.startswith(f"【第一党支部·{CAMPAIGN}五星党员评比草稿】")
    # 张三: studied 1/1 (5), checked in 1/1 (5), no duty report in December (1), no award
    # (3), 表率 3; 王五 reported once in the one month (5) and has 6 award points (4).
    assert "★★★☆☆ 张三（学习5 参会5 履职1 奉献3 表率3）" in draft
    assert "王五（学习1 参会1 履职5 奉献4 表率3）" in draft
    edited = await county.say(first.group, secretary, f"/stars set {CAMPAIGN} 张三 表率 5")
    assert edited == "已把张三的表率设为5星，综合4星。"
    spoke = await county.said_by(first.group, first.wang, "收到")
    edited = await county.say(first.group, secretary, f"/stars set {CAMPAIGN} 履职 4", spoke)
    assert edited.startswith("已把王五的履职设为4星")
    refused = await county.say(first.group, first.zhang, f"/stars set {CAMPAIGN} 张三 表率 5")
    assert refused == common.MANAGERS_ONLY

    done = await county.say(first.group, secretary, f"/stars publish {CAMPAIGN}")
    assert done == f"已把{CAMPAIGN}五星党员评比结果发布到本组织的1个群。"
    # Published through the outbox: wait for the post itself (a quiet spell can come first).
    await bot.emulator.wait_for(lambda: posts(bot, first.group, "五星党员评比结果】"))
    (published,) = posts(bot, first.group, "五星党员评比结果】")
    assert published.splitlines()[1] == "★★★★☆ 张三（学习5 参会5 履职1 奉献3 表率5）"
    assert "王五（学习1 参会1 履职4 奉献4 表率3）" in published
    assert not posts(bot, county.second_group, "五星党员评比")

    year = await county.say(first.group, secretary, "/stars 2026")
    assert year.startswith("【第一党支部·2026年五星党员评比草稿】")


REFUSALS: list[tuple[str, str, dict[str, Any]]] = [
    ("/campaign add 竞赛 2026-11-20 30天", "campaign_past_date", {"text": "2026-11-20"}),
    ("/campaign add 竞赛 2030-01-01 30天", "campaign_far_date", {"text": "2030-01-01"}),
    ("/campaign add 竞赛 2026-02-30 30天", "campaign_bad_date", {"text": "2026-02-30"}),
    ("/campaign add 竞赛 2026-12-01 0天", "campaign_bad_days", {"text": "0天", "most": 366}),
    ("/campaign add 竞赛 2026-12-01 9999天", "campaign_bad_days", {"text": "9999天", "most": 366}),
    ("/campaign add 竞赛 2026-12-01", "campaign_add_usage", {}),
    (f"/campaign add {'长' * 31} 2026-12-01 30天", "campaign_bad_name", {"most": 30}),
    ("/campaign rule 没有的活动 签到 2", "campaign_unknown", {"name": "没有的活动"}),
    (
        f"/campaign rule {CAMPAIGN} 签到 很多",
        "campaign_bad_points",
        {"text": "很多", "lowest": 0, "most": 100},
    ),
    (f"/campaign rule {CAMPAIGN} 唱歌 2", "campaign_rule_usage", {}),
    ("/rank 没有的活动", "campaign_unknown", {"name": "没有的活动"}),
    ("/award 5 主动调解纠纷", "award_no_target", {}),
    ("/stars 1999", "stars_bad_year", {"text": "1999"}),
    ("/stars 没有的活动", "campaign_unknown", {"name": "没有的活动"}),
    (f"/stars set {CAMPAIGN} 无名氏 表率 5", "stars_unknown_member", {"name": "无名氏"}),
    (f"/stars set {CAMPAIGN} 张三 表率 6", "stars_bad_value", {"text": "6"}),
]


async def test_bad_input_and_other_peoples_campaigns_are_refused(bot: RunningBot) -> None:
    county = await make_county(bot)
    first, secretary = county.first, county.first.secretary
    assert await county.say(first.group, first.zhang, "/campaign add 竞赛 2026-12-01 30天") == (
        common.MANAGERS_ONLY
    )
    await county.say(first.group, secretary, f"/campaign add {CAMPAIGN} 2026-12-01 30天")
    for text, code, values in REFUSALS:
        reply = await county.say(first.group, secretary, text)
        assert reply == texts.ERRORS[code].format(**values), text
    again = await county.say(first.group, secretary, f"/campaign add {CAMPAIGN} 2026-12-02 9天")
    assert again == texts.ERRORS["campaign_duplicate"].format(name=CAMPAIGN)

    spoke = await county.said_by(first.group, first.zhang, "收到")
    for text, code, values in [
        ("/award 五 理由", "campaign_bad_points", {"text": "五", "lowest": 1, "most": 100}),
        ("/award 0 理由", "campaign_bad_points", {"text": "0", "lowest": 1, "most": 100}),
        ("/award 5", "award_no_reason", {}),
        ("/award 5 " + "好" * 101, "award_long_reason", {"most": 100}),
    ]:
        assert await county.say(first.group, secretary, text, spoke) == texts.ERRORS[code].format(
            **values
        )
    # 王五 left the branch: an old message of theirs cannot earn points here.
    spoke = await county.said_by(first.group, first.wang, "再见")
    first.bot.emulator.leave(first.group, first.wang)
    await first.bot.emulator.settle()
    left = await county.say(first.group, secretary, "/award 5 理由", spoke)
    assert left == texts.ERRORS["award_not_member"].format(name="王五")
    left = await county.say(first.group, secretary, f"/stars set {CAMPAIGN} 表率 5", spoke)
    assert left == texts.ERRORS["stars_not_member"].format(name="王五")

    # The committee's campaign covering the branch is changed only by the committee.
    above = county.committee_secretary
    await county.say(
        county.committee_group, above, "/campaign add 全镇竞赛 2026-12-01 30天 下级组织"
    )
    refused = await county.say(first.group, secretary, "/campaign rule 全镇竞赛 签到 1")
    assert refused == texts.ERRORS["campaign_not_own"].format(name="全镇竞赛", org="城关镇党委")
    # A branch's own campaign is not the other branch's.
    other = await county.say(county.second_group, county.second_secretary, f"/rank {CAMPAIGN}")
    assert other == texts.ERRORS["campaign_unknown"].format(name=CAMPAIGN)
    private = await bot.say(secretary, secretary, "/rank")
    assert private == common.GROUP_ONLY


async def test_an_edited_award_is_not_a_second_award(bot: RunningBot) -> None:
    county = await make_county(bot)
    first, emu = county.first, bot.emulator
    spoke = await county.said_by(first.group, first.wang, "我调解了邻里纠纷")
    reply = await county.say(first.group, first.secretary, "/award 6 主动调解纠纷", spoke)
    assert reply.startswith("已给王五奖励6分")
    [sent] = [m for m in emu.messages(first.group) if m.get("text") == "/award 6 主动调解纠纷"]
    answers = len(emu.bot_messages(first.group))
    edited = sent | {"text": "/award 6 主动调解邻里纠纷", "edit_date": sent["date"] + 60}
    emu.push_update("edited_message", edited)
    await emu.settle()
    async with bot.db() as session:
        awards = (await session.scalars(select(Award))).all()
    assert [(a.points, a.reason) for a in awards] == [(6, "主动调解纠纷")]
    assert len(emu.bot_messages(first.group)) == answers
