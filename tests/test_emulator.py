"""The Bot API emulator, exercised with the real python-telegram-bot client over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import Application, CommandHandler, ContextTypes

from emulator import BotApiEmulator, RateLimits, SpecMissingError
from emulator import spec as spec_module
from emulator.markdown_entities import parse_markdown_v2
from emulator.textutil import EntityParseError
from tests import emulator_fixtures


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# Checks that only make sense with the Bot API spec file (absent on some machines; CI has it).
needs_spec = pytest.mark.skipif(
    not spec_module.spec_path_from_env().is_file(), reason="Bot API spec file not found"
)


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator
        assert emulator.violations == []


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as client:
        yield client


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])


async def test_get_me_and_tokens(emu: BotApiEmulator, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (emu.bot.id, "dangjian_test_bot", True)
    assert me.can_read_all_group_messages is False  # privacy mode is on by default
    for token in ("999:WRONG", "not-a-token"):
        wrong = Bot(token, base_url=emu.base_url)
        with pytest.raises(InvalidToken):
            await wrong.initialize()
        await wrong.shutdown()
    async with httpx.AsyncClient() as http:
        unauthorized = await http.get(f"{emu.base_url}999:WRONG/getMe")
        not_found = await http.get(f"{emu.base_url}garbage/getMe")
    assert (unauthorized.status_code, unauthorized.json()["description"]) == (401, "Unauthorized")
    assert (not_found.status_code, not_found.json()["error_code"]) == (404, 404)


async def test_send_edit_not_modified_and_deleted(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user("张三")
    emu.start_private_chat(user)
    sent = await bot.send_message(user.id, "<b>会议</b> 5 &lt; 6", parse_mode="HTML")
    assert sent.text == "会议 5 < 6"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 2)]
    edited = await bot.edit_message_text("会议改期", chat_id=user.id, message_id=sent.message_id)
    assert isinstance(edited, type(sent))
    assert edited.edit_date is not None
    assert emu.message(user.id, sent.message_id)["text"] == "会议改期"
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("会议改期", chat_id=user.id, message_id=sent.message_id)
    await bot.delete_message(user.id, sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("再改", chat_id=user.id, message_id=sent.message_id)
    assert emu.bot_messages(user.id) == []
    assert emu.deleted == [(user.id, sent.message_id)]


async def test_bad_html_is_rejected_and_recorded(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user("张三")
    emu.start_private_chat(user)
    with pytest.raises(BadRequest, match="parse entities"):
        await bot.send_message(user.id, "得分 5<6", parse_mode="HTML")
    assert [v.kind for v in emu.violations] == ["entities"]
    emu.violations.clear()


def test_markdown_v2_rules() -> None:
    text, entities = parse_markdown_v2("*会议* 2026\\-12\\-05 [链接](https://t.me/x)")
    assert text == "会议 2026-12-05 链接"
    assert [e["type"] for e in entities] == ["bold", "text_link"]
    with pytest.raises(EntityParseError, match="reserved"):
        parse_markdown_v2("时间 2026-12-05")


async def test_keyboard_and_callback_answered_once(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user("张三")
    group = emu.add_group("第一支部", [user], with_bot=True)
    sent = await bot.send_message(group.id, "参加吗？", reply_markup=keyboard(("参加", "rsvp:y")))
    assert emu.message(group, sent.message_id)["reply_markup"]["inline_keyboard"][0][0] == {
        "text": "参加",
        "callback_data": "rsvp:y",
    }
    query_id = emu.press_button(group, user, sent.message_id, text="参加")
    [update] = await bot.get_updates(timeout=0)
    assert update.callback_query is not None
    assert update.callback_query.data == "rsvp:y"
    assert update.callback_query.message.message_id == sent.message_id
    await bot.answer_callback_query(query_id, text="已登记")
    assert emu.callback_answers[query_id].text == "已登记"
    for again in (query_id, "404"):
        with pytest.raises(BadRequest, match="Query is too old"):
            await bot.answer_callback_query(again)
    with pytest.raises(ValueError, match="no callback button"):
        emu.press_button(group, user, sent.message_id, "rsvp:n")


async def test_edit_without_markup_drops_keyboard(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user("张三")
    emu.start_private_chat(user)
    sent = await bot.send_message(user.id, "签到", reply_markup=keyboard(("签到", "in")))
    await bot.edit_message_text("已签到", chat_id=user.id, message_id=sent.message_id)
    assert "reply_markup" not in emu.message(user.id, sent.message_id)
    await bot.edit_message_reply_markup(
        user.id, sent.message_id, reply_markup=keyboard(("x", "x"))
    )
    assert emu.message(user.id, sent.message_id)["reply_markup"]["inline_keyboard"]


async def test_get_updates_offsets_and_allowed_updates(emu: BotApiEmulator, bot: Bot) -> None:
    admin, newcomer, late = (emu.add_user(n) for n in ("书记", "新党员", "后来者"))
    group = emu.add_group("第一支部", admins=[admin], bot_admin=True)
    emu.join(group, newcomer)
    updates = await bot.get_updates(timeout=0)
    # chat_member is not in the default allowed_updates: only the service message arrives.
    assert [u.message.new_chat_members[0].id for u in updates if u.message] == [newcomer.id]
    assert all(u.chat_member is None for u in updates)
    assert len(await bot.get_updates(timeout=0)) == len(updates)  # not confirmed yet
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()
    emu.join(group, late)
    kinds = [Update.CHAT_MEMBER, Update.MESSAGE]
    updates = await bot.get_updates(timeout=0, allowed_updates=kinds)
    member = next(u.chat_member for u in updates if u.chat_member)
    assert (member.old_chat_member.status, member.new_chat_member.status) == ("left", "member")
    assert member.new_chat_member.user.id == late.id


async def test_long_poll_returns_when_update_arrives(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user("张三")
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await emu.wait_for(lambda: emu.requests_for("getUpdates"))
    emu.start_private_chat(user)
    updates = await poll
    assert updates[0].message.text == "/start"
    assert loop.time() - started < 1.0


async def test_second_poll_conflicts(emu: BotApiEmulator, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await emu.wait_for(lambda: emu.requests_for("getUpdates"))
    async with Bot(emu.token, base_url=emu.base_url) as second_instance:
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await first


async def test_webhook_info_reports_the_last_delivery_error(emu: BotApiEmulator, bot: Bot) -> None:
    assert (await bot.get_webhook_info()).url == ""
    with pytest.raises(ValueError, match="no webhook"):
        emu.webhook_failed("Connection refused")
    await bot.set_webhook("https://example.org/hook")
    emu.webhook_failed("Connection refused")
    info = await bot.get_webhook_info()  # the emulator checks its answer against the spec
    assert (info.url, info.last_error_message) == (
        "https://example.org/hook",
        "Connection refused",
    )
    assert info.last_error_date is not None
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    assert (await bot.get_webhook_info()).last_error_message is None


async def test_file_upload_get_file_and_download(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user("张三")
    group = emu.add_group("第一支部", [user], with_bot=True)
    sent = await bot.send_document(
        group.id, b"%PDF-1.4 agenda", filename="议程.pdf", caption="议程"
    )
    assert (sent.document.file_name, sent.caption) == ("议程.pdf", "议程")
    received = emu.send_document(group, user, "名单.txt", "张三\n李四".encode(), caption="/import")
    for file_id, expected in (
        (sent.document.file_id, b"%PDF-1.4 agenda"),
        (received["document"]["file_id"], "张三\n李四".encode()),
    ):
        remote = await bot.get_file(file_id)
        assert bytes(await remote.download_as_bytearray()) == expected
    with pytest.raises(BadRequest, match="Wrong file_id"):
        await bot.get_file("nope")


async def test_chat_errors(emu: BotApiEmulator, bot: Bot) -> None:
    admin, stranger = emu.add_user("书记"), emu.add_user("陌生人")
    group = emu.add_group("第一支部", admins=[admin])
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(stranger.id, "你好")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(-42, "你好")
    emu.add_bot_to_group(group, admin)
    emu.remove_bot(group, admin)
    updates = await bot.get_updates(timeout=0)
    statuses = [u.my_chat_member.new_chat_member.status for u in updates if u.my_chat_member]
    assert statuses == ["member", "kicked"]
    with pytest.raises(Forbidden, match="bot was kicked from the group chat"):
        await bot.send_message(group.id, "你好")
    emu.start_private_chat(stranger)
    emu.block_bot(stranger)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(stranger.id, "你好")


async def test_migration_to_supergroup(emu: BotApiEmulator, bot: Bot) -> None:
    admin = emu.add_user("书记")
    group = emu.add_group("第一支部", admins=[admin], with_bot=True)
    new_id = emu.migrate_to_supergroup(group)
    messages = [u.message for u in await bot.get_updates(timeout=0)]
    assert [(m.chat.id, m.migrate_to_chat_id, m.migrate_from_chat_id) for m in messages] == [
        (group.id, new_id, None),
        (new_id, None, group.id),
    ]
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(group.id, "通知")
    assert caught.value.new_chat_id == new_id
    assert (await bot.send_message(new_id, "通知")).chat.type == "supergroup"


async def test_rate_limit_per_group_with_fake_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # else PTB warns when it builds RetryAfter
    clock = FakeClock()
    limits = RateLimits(group_per_minute=3, global_per_second=None)
    async with BotApiEmulator(rate_limits=limits, clock=clock) as emu:
        group = emu.add_group("第一支部", [emu.add_user("书记")], with_bot=True)
        async with Bot(emu.token, base_url=emu.base_url) as bot:
            first = await bot.send_message(group.id, "1")
            await bot.send_message(group.id, "2")
            clock.now += 10
            await bot.edit_message_text("1'", chat_id=group.id, message_id=first.message_id)
            with pytest.raises(RetryAfter):
                await bot.send_message(group.id, "4")
            assert emu.requests[-1].response == {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 50",
                "parameters": {"retry_after": 50},
            }
            clock.now += 50
            await bot.send_message(group.id, "4")
        assert emu.stats.rate_limited == 1
        assert emu.violations == []


@needs_spec
async def test_spec_violations_with_raw_http(emu: BotApiEmulator) -> None:
    user = emu.add_user("张三")
    emu.start_private_chat(user)
    url = f"{emu.base_url}{emu.token}/sendMessage"
    too_long = {"inline_keyboard": [[{"text": "参加", "callback_data": "会" * 22}]]}
    async with httpx.AsyncClient() as http:
        unknown = await http.post(url, data={"chat_id": user.id, "text": "x", "colour": "red"})
        untyped = await http.post(
            url, data={"chat_id": "1", "text": "x", "disable_notification": "y"}
        )
        button = await http.post(
            url, json={"chat_id": user.id, "text": "x", "reply_markup": too_long}
        )
        method = await http.post(f"{emu.base_url}{emu.token}/sendTelepathy", data={})
    assert unknown.status_code == 400
    assert "unknown parameter" in unknown.json()["description"]
    assert "must be a Boolean" in untyped.json()["description"]
    assert button.json()["description"] == "Bad Request: BUTTON_DATA_INVALID"
    assert method.status_code == 404
    kinds = [v.kind for v in emu.violations]
    assert kinds == ["spec", "spec", "limit", "unknown_method"]
    emu.violations.clear()


async def test_nested_objects_are_checked_against_the_spec(emu: BotApiEmulator) -> None:
    user = emu.add_user("张三")
    emu.start_private_chat(user)
    markup = {"inline_keyboard": [[{"text": "参加", "callback_data": "y", "colour": "red"}]]}
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{emu.base_url}{emu.token}/sendMessage",
            data={"chat_id": str(user.id), "text": "x", "reply_markup": str(markup)},
        )
        ok = await http.get(f"{emu.base_url}{emu.token}/getChat", params={"chat_id": user.id})
    assert answer.status_code == 400
    assert "reply_markup" in answer.json()["description"]
    assert ok.json()["result"]["id"] == user.id
    emu.violations.clear()


async def test_privacy_mode_and_commands(emu: BotApiEmulator, bot: Bot) -> None:
    member = emu.add_user("党员")
    group = emu.add_group("第一支部", [member], with_bot=True)
    for text in ("大家好", "/ask 党费怎么交", "/help@other_bot", "@dangjian_test_bot 在吗"):
        emu.send_text(group, member, text)
    texts = [u.message.text for u in await bot.get_updates(timeout=0)]
    assert texts == ["/ask 党费怎么交", "@dangjian_test_bot 在吗"]
    assert len(emu.messages(group)) == 4
    commands = [BotCommand("ask", "提问"), BotCommand("meeting", "会议")]
    await bot.set_my_commands(commands, scope=BotCommandScopeChat(group.id))
    await bot.set_my_commands(commands[:1])
    assert [c["command"] for c in emu.commands({"type": "chat", "chat_id": group.id})] == [
        "ask",
        "meeting",
    ]
    assert emu.commands() == [{"command": "ask", "description": "提问"}]
    assert await bot.get_my_commands(scope=BotCommandScopeChat(group.id)) == tuple(commands)


async def test_quiz_poll_answers_and_stop(emu: BotApiEmulator, bot: Bot) -> None:
    member = emu.add_user("党员")
    group = emu.add_group("第一支部", [member], with_bot=True)
    sent = await bot.send_poll(
        group.id,
        "党的最高理想?",
        ["共产主义", "小康"],
        type="quiz",
        correct_option_ids=[0],
        is_anonymous=False,
    )
    emu.answer_poll(member, sent.poll.id, [0])
    updates = await bot.get_updates(timeout=0)
    assert updates[0].poll_answer.option_ids == (0,)
    assert updates[0].poll_answer.user.id == member.id
    assert updates[1].poll.options[0].voter_count == 1
    stopped = await bot.stop_poll(group.id, sent.message_id)
    assert stopped.is_closed
    assert stopped.total_voter_count == 1
    with pytest.raises(BadRequest, match="already been closed"):
        await bot.stop_poll(group.id, sent.message_id)


@needs_spec
async def test_updates_and_results_match_the_spec(emu: BotApiEmulator, bot: Bot) -> None:
    admin, member = emu.add_user("书记", username="shuji"), emu.add_user("党员")
    group = emu.add_group("第一支部", admins=[admin])
    emu.add_bot_to_group(group, admin, as_admin=True)
    emu.join(group, member, invited_by=admin)
    sent = await bot.send_message(group.id, "会议", reply_markup=keyboard(("参加", "y")))
    emu.send_text(group, member, "@shuji 收到", reply_to=sent.message_id)
    emu.press_button(group, member, sent.message_id, "y")
    emu.inline_query(member, "党费")
    emu.promote(group, member)
    emu.leave(group, member)
    assert emu.spec is not None
    for update in emu.updates.pending:
        assert emu.spec.check_object(update, "Update") == [], update
    admins = await bot.get_chat_administrators(group.id)
    assert {a.status for a in admins} == {"creator", "administrator"}
    assert await bot.get_chat_member_count(group.id) == 2  # the creator and the bot
    assert (await bot.get_chat(group.id)).title == "第一支部"
    assert (await bot.get_chat_member(group.id, member.id)).status == "left"
    assert emu.violations == []  # every result was self-checked against the spec


async def test_application_round_trip_with_waits(emu: BotApiEmulator) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("欢迎使用党建助手")

    app = (
        Application.builder()
        .token(emu.token)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    user = emu.add_user("张三")
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=1)
        emu.start_private_chat(user)
        reply = await emu.wait_for_bot_message(user.id, contains="欢迎")
        await emu.settle(quiet=0.05)
        assert reply["text"] == "欢迎使用党建助手"
        with pytest.raises(TimeoutError, match="a bot message"):
            await emu.wait_for_bot_message(user.id, timeout=0.05)  # each reply is handed out once
        await app.updater.stop()
        await app.stop()


@needs_spec
async def test_emulator_fixture_fails_on_violations() -> None:
    fixture = emulator_fixtures.emulator.__wrapped__()
    emu = await fixture.__anext__()
    async with httpx.AsyncClient() as http:
        await http.post(f"{emu.base_url}{emu.token}/getMe", data={"bogus": "1"})
    with pytest.raises(pytest.fail.Exception, match="unknown parameter"):
        await fixture.__anext__()


async def test_make_emulator_fixture_takes_options() -> None:
    fixture = emulator_fixtures.make_emulator.__wrapped__()
    make = await fixture.__anext__()
    emu = await make(privacy_mode=False)
    async with Bot(emu.token, base_url=emu.base_url) as bot:
        assert (await bot.get_me()).can_read_all_group_messages is True
    with pytest.raises(StopAsyncIteration):
        await fixture.__anext__()  # stops it; no violations, so no failure


async def test_control_api() -> None:
    async with BotApiEmulator(control_api=True) as emu:
        base = f"http://{emu.host}:{emu.port}/_emulator"
        async with httpx.AsyncClient() as http:
            sent = await http.post(f"{base}/send_text", json={"user_id": 7, "text": "/start"})
            listed = await http.get(f"{base}/messages", params={"chat_id": 7})
        assert sent.json()["text"] == "/start"
        assert [m["text"] for m in listed.json()] == ["/start"]
        assert emu.updates.pending[0]["message"]["from"]["id"] == 7


def test_spec_missing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TELEGRAM_API_SPEC", "/nonexistent/api.json")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(SpecMissingError, match="TELEGRAM_API_SPEC"):
        BotApiEmulator()
    monkeypatch.setenv("CI", "false")
    monkeypatch.setattr(spec_module, "_missing_announced", False)
    assert BotApiEmulator().spec is None
    assert BotApiEmulator().spec is None
    assert capsys.readouterr().err.count("WITHOUT spec checks") == 1


def test_the_sandbox_never_requires_the_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_API_SPEC", "/nonexistent/api.json")
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(spec_module, "_missing_announced", True)  # said once already
    assert BotApiEmulator(spec_required=False).spec is None


async def test_extra_routes_share_the_server() -> None:
    async def hello(_request: web.Request) -> web.Response:
        return web.Response(text="页面")

    emu = BotApiEmulator(extra_routes=lambda app: app.router.add_get("/", hello))
    async with emu, httpx.AsyncClient() as http:
        page = await http.get(f"http://{emu.host}:{emu.port}/")
        api = await http.get(f"{emu.base_url}{emu.token}/getMe")
        missing = await http.get(f"http://{emu.host}:{emu.port}/nothing")
    assert page.text == "页面"
    assert api.json()["result"]["is_bot"]
    assert missing.status_code == 404


async def test_copy_forward_photo_inline_and_leave(emu: BotApiEmulator, bot: Bot) -> None:
    admin = emu.add_user("书记")
    group = emu.add_group("第一支部", admins=[admin], with_bot=True)
    emu.start_private_chat(admin)
    original = emu.send_text(group, admin, "/notice 周五开会")
    copied = await bot.copy_message(admin.id, group.id, original["message_id"])
    forwarded = await bot.forward_message(admin.id, group.id, original["message_id"])
    assert emu.message(admin, copied.message_id)["text"] == "/notice 周五开会"
    assert forwarded.forward_origin.sender_user.id == admin.id
    photo = await bot.send_photo(group.id, b"\x89PNG fake", caption="合影")
    assert photo.photo[-1].file_id in emu.world.files
    assert await bot.send_chat_action(group.id, "typing")
    query_id = emu.inline_query(admin, "党费")
    await bot.answer_inline_query(query_id, [])
    assert emu.inline_answers[query_id] == {"results": []}
    assert await bot.leave_chat(group.id)
    with pytest.raises(Forbidden, match="bot is not a member of the group chat"):
        await bot.send_message(group.id, "还在吗")
    left = [u.my_chat_member for u in await bot.get_updates(timeout=0) if u.my_chat_member]
    assert left[-1].new_chat_member.status == "left"


async def test_multipart_attach_reference(emu: BotApiEmulator) -> None:
    user = emu.add_user("张三")
    emu.start_private_chat(user)
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{emu.base_url}{emu.token}/sendDocument",
            data={"chat_id": str(user.id), "document": "attach://agenda"},
            files={"agenda": ("议程.txt", "一、学习".encode(), "text/plain")},
        )
    document = answer.json()["result"]["document"]
    assert (document["file_name"], document["mime_type"]) == ("议程.txt", "text/plain")
    assert emu.world.files[document["file_id"]].content == "一、学习".encode()
