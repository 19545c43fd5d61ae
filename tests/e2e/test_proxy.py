"""TELEGRAM_PROXY: every request, getUpdates included, goes through the proxy.

The bot's base URL names a host that does not resolve (`.invalid` is reserved for that), and
the proxy sends whatever it is asked for to the emulator: the bot can only work through it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import texts
from bot.cli import main
from emulator.emulator import BotApiEmulator
from storage.migrate import upgrade
from tests.e2e.harness import BotFactory
from tests.e2e.proxies import HttpProxy, Socks5Proxy

UNRESOLVABLE = "http://api.telegram.invalid/bot"


@pytest.fixture
async def http_proxy(emulator: BotApiEmulator) -> AsyncIterator[HttpProxy]:
    proxy = await HttpProxy(f"http://127.0.0.1:{emulator.port}").start()
    yield proxy
    await proxy.stop()


@pytest.fixture
async def socks_proxy(emulator: BotApiEmulator) -> AsyncIterator[Socks5Proxy]:
    proxy = await Socks5Proxy(emulator.port).start()
    yield proxy
    await proxy.stop()


async def test_the_running_bot_polls_and_replies_through_an_http_proxy(
    emulator: BotApiEmulator, http_proxy: HttpProxy, bot_factory: BotFactory
) -> None:
    await bot_factory(telegram_base_url=UNRESOLVABLE, telegram_proxy=http_proxy.url)
    user = emulator.add_user("张三")
    emulator.start_private_chat(user)
    reply = await emulator.wait_for_bot_message(user)
    assert reply["text"].startswith(texts.START_UNKNOWN)
    # getUpdates has its own HTTP client in PTB: it went through the proxy too.
    assert {"getMe", "setMyCommands", "getUpdates", "sendMessage"} <= http_proxy.methods()
    assert {line.split()[0] for line in http_proxy.requests} == {"api.telegram.invalid"}


async def test_doctor_reaches_telegram_through_a_socks5_proxy(
    emulator: BotApiEmulator,
    socks_proxy: Socks5Proxy,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await upgrade(url)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", emulator.token)
    monkeypatch.setenv("TELEGRAM_BASE_URL", UNRESOLVABLE)
    monkeypatch.setenv("TELEGRAM_PROXY", socks_proxy.url)
    assert await asyncio.to_thread(main, ["doctor", "--quick"]) == 0
    assert "OK    telegram: token of @dangjian_test_bot" in capsys.readouterr().out
    # The client left resolving the name to the proxy (what a proxy abroad is for).
    assert socks_proxy.connects == ["api.telegram.invalid:80"]
