"""The dashboard over HTTP against the running bot's door: the initData gate on every /api/
request, what each kind of viewer may see (filtered on the server), the page, /dashboard."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.core.domain import Role
from bot.core.webapp_auth import init_data_for, sign_init_data
from bot.texts import dashboard as texts
from storage.models import User
from storage.models.meetings import Meeting, MeetingAnswer
from tests.e2e.dashboard_world import (
    NOW,
    PUBLIC_URL,
    SUPERADMIN,
    one_member,
    org_ids,
    signed,
    start_county,
    token,
)
from tests.e2e.harness import BotFactory, RunningBot, free_port
from tests.e2e.meetings_world import ORG, beijing, make_branch
from tests.e2e.test_ledger import hold


@pytest.fixture
async def county(bot_factory: BotFactory) -> RunningBot:
    """A bot with its door open over a seeded county, on 20 November 2026."""
    return await start_county(bot_factory)


async def call(bot: RunningBot, path: str, init_data: str | None) -> httpx.Response:
    """GET a path of the door with `Authorization: tma <initData>` (none for None)."""
    headers = {} if init_data is None else {"Authorization": f"tma {init_data}".strip()}
    # Charts are drawn in a child process: seconds on a loaded machine, past httpx's 5 s.
    async with httpx.AsyncClient(base_url=bot.web_url, timeout=60) as client:
        return await client.get(path, headers=headers)


def names(body: dict[str, Any]) -> set[str]:
    """The names of the organisations in an answer."""
    return {org["name"] for org in body["organisations"]}


async def test_only_valid_init_data_is_served(county: RunningBot) -> None:
    bot = county
    secretary = await one_member(bot, "第1党支部", Role.SECRETARY)
    valid = signed(bot, secretary)
    served = await call(bot, "/api/me", valid)
    assert served.status_code == 200
    assert served.headers["Cache-Control"] == "no-store"

    user = json.dumps({"id": SUPERADMIN, "first_name": "同志"})  # another user, not re-signed
    fields = dict(httpx.QueryParams(valid))
    tampered = str(httpx.QueryParams({**fields, "user": user}))
    wrong_token = init_data_for(secretary, "同志", "123:WRONG", bot.clock.now())
    expired = signed(bot, secretary, age=timedelta(hours=24, seconds=1))
    for refused in (tampered, wrong_token, expired, "", "hash=abc"):
        answer = await call(bot, "/api/me", refused)
        assert answer.status_code == 401, refused
        assert answer.json()["message"] == "请从 Telegram 中打开党建看板"
    paths = ("/api/me", "/api/overview", "/api/my", "/api/orgs/1", "/api/nothing", "/%61pi/me")
    for path in paths:
        assert (await call(bot, path, None)).status_code == 401, path
    async with httpx.AsyncClient(base_url=bot.web_url) as client:
        bearer = await client.get("/api/me", headers={"Authorization": f"Bearer {valid}"})
    assert bearer.status_code == 401


async def test_fields_signed_in_any_order_and_a_day_old_are_accepted(county: RunningBot) -> None:
    bot = county
    user = json.dumps({"id": SUPERADMIN, "first_name": "管理员", "username": "county"})
    auth = str(int((bot.clock.now() - timedelta(hours=23, minutes=59)).timestamp()))
    data = sign_init_data({"user": user, "auth_date": auth, "chat_type": "sender"}, token(bot))
    answer = await call(bot, "/api/me", data)
    assert answer.status_code == 200
    assert answer.json()["user"] == {"id": SUPERADMIN, "name": "管理员", "username": "county"}


async def test_the_superadmin_sees_the_whole_county(county: RunningBot) -> None:
    bot = county
    me = (await call(bot, "/api/me", signed(bot, SUPERADMIN))).json()
    everything = set(await org_ids(bot))
    assert me["superadmin"] is True
    assert me["manager"] is True
    assert names(me) == everything
    overview = (await call(bot, "/api/overview", signed(bot, SUPERADMIN))).json()
    assert names(overview) == everything
    assert overview["period"]["label"] == "2026年第4季度"
    top = overview["organisations"][0]
    assert (top["name"], top["depth"], top["parent_id"]) == ("县委", 0, None)


async def test_a_secretary_sees_their_branch_and_not_the_neighbours(county: RunningBot) -> None:
    bot = county
    ids = await org_ids(bot)
    secretary = await one_member(bot, "第1党支部", Role.SECRETARY)
    mine = {"第1党支部", "第1党支部第1党小组", "第1党支部第2党小组"}
    data = signed(bot, secretary)

    me = (await call(bot, "/api/me", data)).json()
    assert (me["superadmin"], me["manager"]) == (False, True)
    assert names(me) == mine
    overview = (await call(bot, "/api/overview", data)).json()
    assert names(overview) == mine
    branch = next(o for o in overview["organisations"] if o["name"] == "第1党支部")
    assert branch["required"] > 0
    assert 0 <= branch["held"] <= branch["required"]
    assert 0 < branch["attendance"] <= 1
    assert branch["status"] in {"green", "amber", "red"}

    page = await call(bot, f"/api/orgs/{ids['第1党支部']}", data)
    assert page.status_code == 200
    assert page.json()["organisation"]["name"] == "第1党支部"
    assert page.json()["meetings"]
    assert {m["org"] for m in page.json()["members"]} <= mine
    assert page.json()["upcoming"] == []  # the seed has no meetings to come
    assert (page.json()["faq"], page.json()["unanswered"]) == ([], 0)

    member = page.json()["members"][-1]
    one = await call(bot, f"/api/orgs/{ids['第1党支部']}/members/{member['user_id']}", data)
    assert one.status_code == 200
    assert one.json()["user_id"] == member["user_id"]
    assert {m["state"] for m in one.json()["meetings"]} <= {"签到", "请假", "缺席"}
    assert all(m["reason"] == "" for m in one.json()["meetings"] if m["state"] != "请假")
    assert one.json()["studies"]
    neighbour = await one_member(bot, "第2党支部", Role.MEMBER)
    stranger = await call(bot, f"/api/orgs/{ids['第1党支部']}/members/{neighbour}", data)
    assert stranger.status_code == 404
    theirs = await call(bot, f"/api/orgs/{ids['第2党支部']}/members/{neighbour}", data)
    assert theirs.status_code == 403

    # Their valid initData replayed for the neighbouring branch, the township, the county.
    for other in ("第2党支部", "第1镇党委", "县委"):
        refused = await call(bot, f"/api/orgs/{ids[other]}", data)
        assert refused.status_code == 403, other
        assert "第2党支部" not in refused.text


async def test_a_member_sees_only_their_own_record(county: RunningBot) -> None:
    bot = county
    ids = await org_ids(bot)
    member = await one_member(bot, "第2党支部", Role.MEMBER)
    data = signed(bot, member)

    me = (await call(bot, "/api/me", data)).json()
    assert (me["superadmin"], me["manager"]) == (False, False)
    assert names(me) == {"第2党支部"}
    assert {o["access"] for o in me["organisations"]} == {"self"}
    assert (await call(bot, "/api/overview", data)).status_code == 403
    assert (await call(bot, f"/api/orgs/{ids['第2党支部']}", data)).status_code == 403
    mine = (await call(bot, "/api/my", data)).json()
    assert [r["user_id"] for r in mine["records"]] == [member]
    assert mine["records"][0]["org"] == "第2党支部"
    assert mine["records"][0]["meetings"]
    own = await call(bot, f"/api/orgs/{ids['第2党支部']}/members/{member}", data)
    assert own.status_code == 403  # their record comes from /api/my only


async def test_a_bad_period_is_answered_in_chinese(county: RunningBot) -> None:
    bot = county
    answer = await call(bot, "/api/overview?period=明年春天", signed(bot, SUPERADMIN))
    assert answer.status_code == 400
    assert answer.json()["message"]
    long = await call(bot, "/api/overview?period=" + "年" * 100, signed(bot, SUPERADMIN))
    assert long.status_code == 400
    year = await call(bot, "/api/overview?period=2026年", signed(bot, SUPERADMIN))
    assert year.json()["period"]["span"] == "2026-01-01至2026-12-31"


async def test_the_page_is_served_without_data(county: RunningBot) -> None:
    bot = county
    async with httpx.AsyncClient(base_url=bot.web_url) as client:
        page = await client.get("/app/")
        script = await client.get("/app/app.js")
        moved = await client.get("/app")
        missing = await client.get("/app/../bot/config.py")
    assert page.status_code == 200
    assert "党建看板" in page.text
    assert "script-src 'self' https://telegram.org;" in page.headers["Content-Security-Policy"]
    assert "telegram.org" not in page.text  # loaded by app.js only inside Telegram
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert moved.status_code == 302
    assert missing.status_code == 404


async def test_dashboard_command(bot_factory: BotFactory) -> None:
    bot = await bot_factory(superadmin_ids=str(SUPERADMIN), public_url=PUBLIC_URL)
    emu = bot.emulator
    admin = emu.world.add_user("管理员", id=SUPERADMIN)
    member = emu.add_user("党员")
    emu.start_private_chat(admin)
    await emu.wait_for_bot_message(admin)
    emu.send_text(admin, admin, "/dashboard")
    reply = await emu.wait_for_bot_message(admin, contains="党建看板")
    button = reply["reply_markup"]["inline_keyboard"][0][0]
    assert button == {"text": texts.MANAGER_BUTTON, "web_app": {"url": f"{PUBLIC_URL}/app/"}}
    await emu.settle()  # the menu button is set after the reply
    assert emu.requests_for("setChatMenuButton")

    emu.start_private_chat(member)
    await emu.wait_for_bot_message(member)
    emu.send_text(member, member, "/dashboard")
    reply = await emu.wait_for_bot_message(member)
    assert reply["reply_markup"]["inline_keyboard"][0][0]["text"] == texts.MEMBER_BUTTON

    group = emu.add_group("支部群", members=[admin], admins=[admin], bot_admin=True)
    emu.send_text(group, admin, "/dashboard")
    reply = await emu.wait_for_bot_message(group)
    assert reply["text"] == texts.IN_GROUP
    link = reply["reply_markup"]["inline_keyboard"][0][0]["url"]
    assert link == f"https://t.me/{emu.bot.username}?start=dashboard"


async def test_the_groups_deep_link_opens_the_dashboard_privately(
    bot_factory: BotFactory,
) -> None:
    bot = await bot_factory(superadmin_ids=str(SUPERADMIN), public_url=PUBLIC_URL)
    emu = bot.emulator
    admin = emu.world.add_user("管理员", id=SUPERADMIN)
    member = emu.add_user("党员")
    # Tapping 开始 under t.me/<bot>?start=dashboard sends `/start dashboard`, also as the
    # very first message to the bot.
    emu.private_chat(member)
    emu.send_text(member, member, "/start dashboard")
    reply = await emu.wait_for_bot_message(member, contains="记录")
    assert reply["reply_markup"]["inline_keyboard"][0][0] == {
        "text": texts.MEMBER_BUTTON,
        "web_app": {"url": f"{PUBLIC_URL}/app/"},
    }
    async with bot.db() as session:  # a /start like any other: the bot may message them now
        assert (await session.get(User, member.id)).can_dm  # type: ignore[union-attr]
    emu.private_chat(admin)
    emu.send_text(admin, admin, f"/start@{emu.bot.username} dashboard")
    reply = await emu.wait_for_bot_message(admin, contains="党建看板")
    assert reply["reply_markup"]["inline_keyboard"][0][0]["text"] == texts.MANAGER_BUTTON
    emu.send_text(admin, admin, "/start")  # without the link: the profile, as before
    assert "党建看板" not in (await emu.wait_for_bot_message(admin))["text"]


async def test_dashboard_without_public_url_says_what_to_set(bot: RunningBot) -> None:
    emu = bot.emulator
    user = emu.add_user("书记")
    emu.start_private_chat(user)
    await emu.wait_for_bot_message(user)
    assert await bot.say(user, user, "/dashboard") == texts.NO_PUBLIC_URL


async def test_downloads_for_managers_only(county: RunningBot) -> None:
    bot = county
    ids = await org_ids(bot)
    secretary = await one_member(bot, "第1党支部", Role.SECRETARY)
    data = signed(bot, secretary)
    ledger = await call(bot, f"/api/orgs/{ids['第1党支部']}/ledger.xlsx?period=本季度", data)
    assert ledger.status_code == 200
    assert ledger.content.startswith(b"PK")  # a zip: the XLSX /ledger sends
    assert "filename*=UTF-8''" in ledger.headers["Content-Disposition"]
    calendar = await call(bot, f"/api/orgs/{ids['第1党支部']}/calendar.ics", data)
    assert calendar.status_code == 404  # the seeded county has no meetings to come
    assert "没有" in calendar.json()["message"]
    charts = await call(bot, f"/api/orgs/{ids['第1党支部第1党小组']}/charts.zip", data)
    assert charts.status_code == 200
    with zipfile.ZipFile(io.BytesIO(charts.content)) as archive:
        assert archive.namelist()
        assert all(name.endswith(".png") for name in archive.namelist())
    for path in (
        f"/api/orgs/{ids['第2党支部']}/ledger.xlsx",
        f"/api/orgs/{ids['县委']}/calendar.ics",
        f"/api/orgs/{ids['第2党支部']}/charts.zip",
    ):
        assert (await call(bot, path, data)).status_code == 403
        assert (await call(bot, path, None)).status_code == 401
    member = signed(bot, await one_member(bot, "第1党支部", Role.MEMBER))
    refused = await call(bot, f"/api/orgs/{ids['第1党支部']}/ledger.xlsx", member)
    assert refused.status_code == 403


async def test_charts_are_drawn_again_only_when_their_data_changes(county: RunningBot) -> None:
    bot = county
    ids = await org_ids(bot)
    group = ids["第1党支部第1党小组"]
    data = signed(bot, await one_member(bot, "第1党支部", Role.SECRETARY))
    reports = bot.runtime.services.reports
    path = f"/api/orgs/{group}/charts.zip"
    first = await call(bot, path, data)
    assert (first.status_code, reports.drawn) == (200, 1)
    again = await call(bot, path, data)
    assert (again.content, reports.drawn) == (first.content, 1)
    year = await call(bot, f"{path}?period=2026年", data)  # another period: its own charts
    assert (year.status_code, reports.drawn) == (200, 2)
    async with bot.db() as session:  # someone who had not checked in is checked in
        answer = await session.scalar(
            select(MeetingAnswer)
            .join(Meeting, Meeting.id == MeetingAnswer.meeting_id)
            .where(
                Meeting.organisation_id == group,
                Meeting.starts_at >= NOW - timedelta(days=40),
                MeetingAnswer.checked_in_at.is_(None),
            )
            .limit(1)
        )
        assert answer is not None
        answer.checked_in_at = NOW - timedelta(days=1)
    changed = await call(bot, path, data)
    assert (changed.status_code, reports.drawn) == (200, 3)
    assert changed.content != first.content


async def test_a_group_admin_sees_live_answers_to_a_meeting_to_come(
    bot_factory: BotFactory,
) -> None:
    bot = await bot_factory(web_port=free_port(), public_url=PUBLIC_URL)
    bot.clock.set(beijing(11, 20, 9))
    branch = await make_branch(bot)  # its secretary is the group's admin, with no post
    number, notice = await branch.announce("支委会 2026-11-27 15:00 党员活动室 研究发展党员")
    branch.press(branch.zhang, notice, "参加")
    await bot.emulator.settle()
    org_id = (await org_ids(bot))[ORG]

    page = await call(bot, f"/api/orgs/{org_id}", signed(bot, branch.secretary.id))
    assert page.status_code == 200
    [meeting] = page.json()["upcoming"]
    assert (meeting["id"], meeting["kind"], meeting["starts"]) == (
        number,
        "支委会",
        "2026-11-27 15:00",
    )
    assert (meeting["yes"], meeting["leave"]) == (1, 0)
    assert meeting["none"] >= 1
    zhang = await call(bot, "/api/me", signed(bot, branch.zhang.id))
    assert (zhang.json()["manager"], names(zhang.json())) == (False, {ORG})
    assert (
        await call(bot, f"/api/orgs/{org_id}", signed(bot, branch.zhang.id))
    ).status_code == 403


async def test_the_organisation_page_lists_members_away(bot_factory: BotFactory) -> None:
    """A member away (流动党员) is listed as 外出 with the place, as the notice lists them, at
    a meeting held and at one to come; never as 缺席 or 未回复."""
    bot = await bot_factory(web_port=free_port(), public_url=PUBLIC_URL)
    bot.clock.set(beijing(12, 1, 9))
    branch = await make_branch(bot)
    await branch.command(branch.wang, "/away 浙江省杭州市")
    await hold(branch, beijing(12, 5, 15), "支部党员大会 三楼会议室 研究工作", {"书记": "签到"})
    bot.clock.set(beijing(12, 6, 9))
    await branch.announce("支部党员大会 2026-12-19 15:00 三楼会议室 年终总结")
    org_id = (await org_ids(bot))[ORG]

    page = (await call(bot, f"/api/orgs/{org_id}", signed(bot, branch.secretary.id))).json()
    [held] = page["meetings"]
    assert held["away"] == [{"name": "王五", "state": "外出", "where": "浙江省杭州市"}]
    assert "王五" not in held["absent"]
    [coming] = page["upcoming"]
    assert coming["away"] == [{"name": "王五", "place": "浙江省杭州市"}]
    assert coming["none"] == 4  # 书记, 张三, 李四, 赵六: 王五 is not asked to come
