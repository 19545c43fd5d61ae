"""Issue 14, part 2 (设岗定责) over the emulator, on SQLite and PostgreSQL: managers set up
posts and give them to members, members report their duties (text or a photo), the board,
the monthly reminder only to holders without a report (privately, else a group mention), the
ledger's 设岗定责 sheet, the dashboard's panel, and the refusals."""

from __future__ import annotations

import io
from datetime import timedelta

import httpx
from openpyxl import load_workbook
from sqlalchemy import select

from bot import texts as common
from bot.core.periods import parse_period
from bot.services.ledger_build import build_from
from bot.texts import posts as texts
from emulator.world import Chat, User
from storage.models import DutyReport
from tests.e2e.dashboard_world import PUBLIC_URL, org_ids, signed
from tests.e2e.harness import BotFactory, RunningBot, free_port
from tests.e2e.meetings_world import ORG, SHANGHAI, Branch, beijing, make_branch
from tests.e2e.worlds import (  # noqa: F401 - the fixture: these tests say a lot in one group
    fast_emulator as emulator,
)
from tests.e2e.worlds import sped_up_bot

MEDIATION = "/post add 纠纷调解 负责调解邻里纠纷，每月至少走访一次"
REMINDER = "【设岗定责提醒】"


async def setup_posts(branch: Branch) -> None:
    """纠纷调解 for 张三 (by reply) and 李四 (by name); 政策宣传 for 张三 and 王五."""
    bot, say = branch.bot, branch.command
    assert (await say(branch.secretary, MEDIATION)).startswith("已设立岗位“纠纷调解”")
    added = await say(branch.secretary, "/post add 政策宣传")
    assert "向群众宣传党的路线方针政策" in added  # the county's suggested duty
    spoke = bot.emulator.send_text(branch.group, branch.zhang, "我来负责调解")
    reply = await bot.say(branch.group, branch.secretary, "/post assign 纠纷调解", reply_to=spoke)
    assert reply.startswith("已把“纠纷调解”岗位交给张三")
    assert (await say(branch.secretary, "/post assign 纠纷调解 李四")).startswith("已把")
    assert (await say(branch.secretary, "/post assign 政策宣传 @zhangsan")).startswith("已把")
    assert (await say(branch.secretary, "/post assign 政策宣传 王五")).startswith("已把")


async def reports(bot: RunningBot) -> list[tuple[int, str, str, str | None]]:
    async with bot.db() as session:
        rows = await session.scalars(select(DutyReport).order_by(DutyReport.id))
        return [(r.user_id, r.post_name, r.text, r.photo_file_id) for r in rows]


def reminders(bot: RunningBot, chat: User | Chat) -> list[str]:
    return [m["text"] for m in bot.emulator.bot_messages(chat) if REMINDER in m.get("text", "")]


async def test_posts_reports_board_and_one_reminder_per_member(bot_factory: BotFactory) -> None:
    bot = await sped_up_bot(bot_factory)
    branch = await make_branch(bot)
    emu = bot.emulator
    await setup_posts(branch)
    bot.clock.set(beijing(12, 3, 10))

    # 张三 holds two posts: naming one files it there; otherwise a button asks.
    said = await branch.command(branch.zhang, "/duty 政策宣传 在村口宣讲了医保政策")
    assert said == texts.DUTY_DONE.format(
        post="政策宣传", when="12-03 10:00", text="在村口宣讲了医保政策"
    )
    emu.send_text(branch.group, branch.zhang, "/duty 调解了两户邻里宅基地纠纷")
    asked = await emu.wait_for_bot_message(branch.group, contains="请选择")
    query = branch.press(branch.zhang, asked, "纠纷调解")
    assert await branch.answer_of(query) == texts.DUTY_PICKED.format(post="纠纷调解")
    emu.send_photo(branch.group, branch.zhang, b"\xff\xd8jpeg", caption="/duty 纠纷调解 走访记录")
    photo = await emu.wait_for_bot_message(branch.group, contains="附照片")
    assert "纠纷调解" in photo["text"]
    stored = await reports(bot)
    assert [(p, t) for _, p, t, _ in stored] == [
        ("政策宣传", "在村口宣讲了医保政策"),
        ("纠纷调解", "调解了两户邻里宅基地纠纷"),
        ("纠纷调解", "走访记录"),
    ]
    assert {u for u, *_ in stored} == {branch.zhang.id}
    assert stored[2][3] is not None

    board = await branch.command(branch.li, "/posts")
    assert board.startswith(f"【设岗定责】{ORG}·2026年12月")
    assert "1. 纠纷调解：负责调解邻里纠纷，每月至少走访一次" in board
    assert "　· 张三：本月履职2次" in board
    assert "　· 李四：本月还没有履职记录" in board
    assert "　· 王五：本月还没有履职记录" in board

    # The reminder day: 李四 (reachable) privately, 王五 (not) in the group; 张三 reported,
    # 赵六 holds no post: neither hears anything. Once a month, whatever the sweeps.
    bot.clock.set(beijing(12, 25, 9))  # seven days before the month ends
    await bot.runtime.services.posts.plan_reminders()
    for _ in range(3):
        await bot.sweep()
    assert reminders(bot, branch.zhang) == []
    (li,) = reminders(bot, branch.li)
    assert "“纠纷调解”" in li
    (group,) = reminders(bot, branch.group)
    assert "王五" in group
    assert "张三" not in group
    assert "李四" not in group
    assert not reminders(bot, branch.zhao)
    bot.clock.set(beijing(12, 26, 9, 1))
    for _ in range(3):
        await bot.sweep()
    bot.clock.advance(timedelta(days=2))
    await bot.runtime.services.posts.plan_reminders()
    for _ in range(3):
        await bot.sweep()
    assert len(reminders(bot, branch.li)) == 1
    assert len(reminders(bot, branch.group)) == 1

    # The ledger's 设岗定责 sheet: post, holder, duties, reports with their dates and text.
    org_id = (await org_ids(bot))[ORG]
    period = parse_period("2026年12月", beijing(12, 28, 9).date())
    url = bot.runtime.database.engine.url.render_as_string(hide_password=False)
    ledger = await build_from(url, org_id, period, SHANGHAI, bot.clock.now())
    sheet = load_workbook(io.BytesIO(ledger.content))["设岗定责"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    by_holder = {(row[0], row[2]): row for row in rows if row[0]}
    assert by_holder[("纠纷调解", "张三")][3:] == [
        2,
        "2026-12-03：调解了两户邻里宅基地纠纷\n2026-12-03：走访记录",
    ]
    assert by_holder[("纠纷调解", "张三")][1] == "负责调解邻里纠纷，每月至少走访一次"
    assert by_holder[("纠纷调解", "李四")][3] == 0
    assert by_holder[("政策宣传", "张三")][4] == "2026-12-03：在村口宣讲了医保政策"


async def test_refusals_in_chinese(bot_factory: BotFactory) -> None:
    bot = await sped_up_bot(bot_factory)
    branch = await make_branch(bot)
    say, secretary = branch.command, branch.secretary
    assert await say(branch.zhang, MEDIATION) == common.MANAGERS_ONLY
    assert await say(branch.zhang, "/post assign 纠纷调解 张三") == common.MANAGERS_ONLY
    assert await say(branch.zhang, "/duty 调解了纠纷") == texts.DUTY_NO_POST
    await setup_posts(branch)
    assert await say(secretary, MEDIATION) == texts.DUPLICATE.format(name="纠纷调解")
    unknown = await say(secretary, "/post assign 不存在 张三")
    assert unknown == texts.UNKNOWN_POST.format(name="不存在", names="纠纷调解、政策宣传")
    assert await say(secretary, "/post assign 纠纷调解 路人甲") == texts.NOT_A_MEMBER.format(
        who="路人甲", verb="分配岗位"
    )
    assert await say(secretary, "/post assign 纠纷调解 张三") == texts.ALREADY_HOLDS.format(
        name="张三", post="纠纷调解"
    )
    assert await say(secretary, "/post assign 纠纷调解") == texts.WHO_USAGE.format(
        verb="assign", name="纠纷调解"
    )
    long_name = await say(secretary, "/post add " + "岗" * 21 + " 职责")
    assert long_name.startswith("岗位名称“")
    long_duties = await say(secretary, "/post add 新岗位 " + "很" * 101)
    assert long_duties == texts.DUTIES_TOO_LONG.format(limit=100, length=101)
    assert await say(secretary, "/post add 自定岗位") == texts.DUTIES_MISSING.format(
        name="自定岗位"
    )
    assert (await say(secretary, "/post frobnicate")).startswith("设岗定责（")
    assert await say(branch.li, "/duty") == texts.DUTY_USAGE
    assert await say(branch.li, "/duty " + "字" * 501) == texts.DUTY_TOO_LONG.format(
        limit=500, length=501
    )
    assert await say(branch.zhao, "/duty 做了好事") == texts.DUTY_NO_POST
    assert await bot.say(branch.zhao, branch.zhao, "/duty 做了好事") == (
        texts.DUTY_PRIVATE_NO_POST
    )
    # Privately, a member reports for the organisation where they hold their posts.
    said = await bot.say(branch.li, branch.li, "/duty 在家里接待了来访群众")
    assert said.startswith("已记录您的履职（纠纷调解，")
    # The pick button is the reporter's own.
    emu = bot.emulator
    emu.send_text(branch.group, branch.zhang, "/duty 走访了三户")
    asked = await emu.wait_for_bot_message(branch.group, contains="请选择")
    query = branch.press(branch.li, asked, "纠纷调解")
    assert await branch.answer_of(query) == texts.DUTY_NOT_YOURS
    # Removing a post keeps its reports; unassigning takes the post away.
    said = await say(secretary, "/post unassign 纠纷调解 李四")
    assert said == texts.UNASSIGNED.format(name="李四", post="纠纷调解")
    assert await say(branch.li, "/duty 调解了") == texts.DUTY_NO_POST
    assert await say(secretary, "/post remove 纠纷调解") == texts.REMOVED.format(name="纠纷调解")
    assert [text for _, _, text, _ in await reports(bot)] == ["在家里接待了来访群众", "走访了三户"]


async def test_the_dashboard_shows_the_board_to_managers_only(bot_factory: BotFactory) -> None:
    bot = await sped_up_bot(bot_factory, web_port=free_port(), public_url=PUBLIC_URL)
    bot.clock.set(beijing(11, 27, 9))
    branch = await make_branch(bot)
    await setup_posts(branch)
    await branch.command(branch.li, "/duty 调解了两户纠纷")
    org_id = (await org_ids(bot))[ORG]

    async def get(user: User, query: str = "") -> httpx.Response:
        headers = {"Authorization": f"tma {signed(bot, user.id)}"}
        async with httpx.AsyncClient(base_url=bot.web_url, timeout=60) as client:
            return await client.get(f"/api/orgs/{org_id}/posts{query}", headers=headers)

    answer = await get(branch.secretary)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["period"] == "2026年11月"
    posts = {p["name"]: p for p in body["posts"]}
    assert posts["纠纷调解"]["duties"] == "负责调解邻里纠纷，每月至少走访一次"
    holders = {h["name"]: h["reports"] for h in posts["纠纷调解"]["holders"]}
    assert holders == {"张三": 0, "李四": 1}
    [report] = body["reports"]
    assert (report["name"], report["post"], report["text"]) == (
        "李四",
        "纠纷调解",
        "调解了两户纠纷",
    )
    assert (await get(branch.secretary, "?period=2026年10月")).json()["reports"] == []
    refused = await get(branch.zhang)
    assert refused.status_code == 403
    assert refused.json()["message"] == common.NOT_YOUR_ORGANISATION
