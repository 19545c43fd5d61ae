"""`python -m bot doctor` end to end: the real CLI against the emulator and a real database.

The CLI runs in a worker thread (it has its own event loop, as from a shell) while the
emulator, and in some tests the running bot, serve in the test's loop.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from telegram import Bot

from bot.cli import main
from emulator.emulator import BotApiEmulator
from storage.migrate import head_revisions, upgrade
from tests.e2e.harness import BotFactory, RunningBot, free_port, stop_bot

MAKE_ADMIN = "请群管理员把机器人设为管理员（无需任何权限）"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No stray .env or proxy; each test sets what it configures."""
    for name in (
        "TELEGRAM_BASE_FILE_URL",
        "TELEGRAM_PROXY",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "WEB_PORT",
        "WEBHOOK_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def configure(env: pytest.MonkeyPatch, emulator: BotApiEmulator, database_url: str) -> None:
    """Point the CLI at the emulator and the database."""
    env.setenv("TELEGRAM_BOT_TOKEN", emulator.token)
    env.setenv("TELEGRAM_BASE_URL", emulator.base_url)
    env.setenv("DATABASE_URL", database_url)


async def doctor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    """Run `python -m bot doctor ARGS`; (exit code, printed lines)."""
    code = await asyncio.to_thread(main, ["doctor", *args])
    captured = capsys.readouterr()
    assert captured.err == ""
    return code, captured.out.splitlines()


def statuses(lines: list[str]) -> list[str]:
    """`OK name` / `FAIL name` for each line, to compare the shape of a report."""
    return [" ".join(line.split(":", 1)[0].split()) for line in lines]


async def test_healthy_bot_then_groups_that_need_a_secretary(
    bot: RunningBot, environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = bot.emulator
    configure(environment, emu, bot.settings.database_url)
    admin = emu.add_user("书记")
    await bot.bound_group("一支部群", "第一党支部", admin)

    code, lines = await doctor(capsys)
    assert code == 0, lines
    assert statuses(lines) == [
        "OK configuration",
        "OK database",
        "OK schema",
        "OK telegram",
        "OK webhook",
        "OK groups",
    ]
    assert lines[3].endswith(
        "token of @dangjian_test_bot (id 123456); privacy mode on: reads all group messages"
        " only where it is an admin"
    )
    assert lines[5] == "OK    groups: the bot is an admin in 1 of 1"

    member_only = emu.add_group("二支部群", members=[admin], admins=[admin], with_bot=True)
    await bot.say(member_only, admin, "/bind 第二党支部")
    kicked = await bot.bound_group("三支部群", "第三党支部", admin)
    emu.chat(kicked).bot_status = "kicked"  # removed while the bot was down: it never heard

    code, lines = await doctor(capsys)
    assert code == 1
    assert lines[5:] == [
        "FAIL  groups: the bot is an admin in 1 of 3",
        f"FAIL  group 二支部群 (第二党支部, id {member_only.id}): the bot is not an admin:"
        " misses silent members, sees only commands, replies and mentions (privacy mode on)"
        f" — {MAKE_ADMIN}",
        f"FAIL  group 三支部群 (第三党支部, id {kicked.id}): Forbidden: bot was kicked from the"
        " group chat — 请把机器人拉回群里，再由群管理员 /bind 第三党支部",
    ]


async def test_webhook_token_schema_and_quick(
    emulator: BotApiEmulator,
    environment: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    configure(environment, emulator, url)

    code, lines = await doctor(capsys, "--quick")
    assert code == 1
    assert lines[1] == (
        f"FAIL  database: {tmp_path / 'bot.db'} does not exist yet — run: python -m bot migrate"
    )
    assert not (tmp_path / "bot.db").exists()  # doctor looks, it does not create
    assert statuses(lines) == ["OK configuration", "FAIL database", "OK telegram"]

    await upgrade(url, "0001")
    code, lines = await doctor(capsys, "--quick")
    newest = ", ".join(sorted(head_revisions()))  # one head per feature's branch
    assert lines[2] == f"FAIL  schema: at 0001, newest is {newest} — run: python -m bot migrate"
    await upgrade(url)
    code, lines = await doctor(capsys, "--quick")
    assert (code, statuses(lines)) == (
        0,
        ["OK configuration", "OK database", "OK schema", "OK telegram"],
    )
    assert set(emulator.stats.requests) == {"getMe"}  # quick: no webhook or group checks

    async with Bot(emulator.token, base_url=emulator.base_url) as client:
        await client.set_webhook("https://old-server.example/hook")
    emulator.webhook_failed("Connection refused")
    code, lines = await doctor(capsys)
    assert code == 1
    assert re.fullmatch(
        r"FAIL  webhook: set to https://old-server\.example/hook; last delivery error at"
        r" \d{4}-\d\d-\d\d \d\d:\d\d UTC: Connection refused — this bot polls, and"
        r" `python -m bot run` deletes the webhook when it starts; if another server receives"
        r" it, stop that one first",
        lines[4],
    ), lines[4]
    assert lines[5].startswith("OK    groups: none bound yet")

    environment.setenv("TELEGRAM_BOT_TOKEN", "123456:WRONG")
    code, lines = await doctor(capsys)
    assert code == 1
    assert lines[3:] == [
        "FAIL  telegram: Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized)"
        " — check the token from @BotFather"
    ]


async def test_configuration_problems(
    environment: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    environment.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    code, lines = await doctor(capsys)
    assert code == 1
    assert lines[0].startswith("FAIL  configuration: TELEGRAM_BOT_TOKEN is not set: get a token")
    assert statuses(lines) == ["FAIL configuration", "FAIL database"]  # no Telegram checks

    environment.setenv("DATABASE_URL", "mysql://bot:s3cret@db/bot")
    code, lines = await doctor(capsys)
    assert (code, len(lines)) == (1, 1)
    assert lines[0].startswith("FAIL  configuration: DATABASE_URL is invalid: mysql://")


async def test_webhook_mode_must_be_set_and_delivering(
    bot_factory: BotFactory,
    emulator: BotApiEmulator,
    environment: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    bot = await bot_factory(web_port=port, webhook_url=url)
    configure(environment, emulator, bot.settings.database_url)
    environment.setenv("WEB_PORT", str(port))
    environment.setenv("WEBHOOK_URL", url)

    code, lines = await doctor(capsys)
    assert code == 0, lines
    assert lines[0].endswith(f", updates by webhook {url}, HTTP door 127.0.0.1:{port}")
    assert lines[4] == f"OK    webhook: set to {url}, Telegram delivers (0 updates waiting)"

    await stop_bot(bot)  # Telegram keeps the webhook and cannot deliver meanwhile
    user = emulator.add_user("周八")
    emulator.start_private_chat(user)
    await emulator.wait_for(lambda: emulator.webhook and "last_error_message" in emulator.webhook)
    code, lines = await doctor(capsys)
    assert code == 1
    assert re.fullmatch(
        rf"FAIL  webhook: set to {re.escape(url)} \(1 updates waiting\); last delivery error at"
        r" \d{4}-\d\d-\d\d \d\d:\d\d UTC: Connection refused — check that the reverse proxy"
        r" forwards WEBHOOK_URL to WEB_HOST:WEB_PORT and that the bot runs",
        lines[4],
    ), lines[4]

    environment.setenv("WEBHOOK_URL", "https://new-server.example/telegram")
    code, lines = await doctor(capsys)
    assert lines[4] == (
        f"FAIL  webhook: set to {url}, not WEBHOOK_URL https://new-server.example/telegram"
        " — another deployment receives the updates, or this one has not been started since"
        " WEBHOOK_URL changed"
    )
    async with Bot(emulator.token, base_url=emulator.base_url) as client:
        await client.delete_webhook()
    code, lines = await doctor(capsys)
    assert lines[4] == (
        "FAIL  webhook: none set (1 updates waiting) — `python -m bot run` sets WEBHOOK_URL when"
        " it starts"
    )
