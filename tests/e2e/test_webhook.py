"""Webhook mode end to end: the emulator POSTs updates to the bot's HTTP door with the secret.

The bot is the real Application run by `bot.app.run_webhook` (as `python -m bot run` with
WEBHOOK_URL); the emulator plays Telegram, including the requests of someone who found the
URL but not the secret.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import texts
from bot.app import ALLOWED_UPDATES
from emulator.emulator import BotApiEmulator
from emulator.world import User
from tests.e2e.harness import BotFactory, RunningBot, free_port, stop_bot
from tests.test_startup import VARIABLES


async def webhook_bot(bot_factory: BotFactory, **overrides: Any) -> RunningBot:
    """A bot in webhook mode on a free local port (http is allowed for loopback only)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    return await bot_factory(web_port=port, webhook_url=url, **overrides)


def forged_help(user: User, update_id: int = 1) -> dict[str, Any]:
    """A /help from `user` in their private chat, built by hand as a forger would."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": 9000 + update_id,
            "date": 1_795_000_000,
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.to_dict(),
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }


async def test_updates_arrive_by_webhook_and_start_gets_its_reply(
    bot_factory: BotFactory, emulator: BotApiEmulator
) -> None:
    bot = await webhook_bot(bot_factory)
    hook = emulator.webhook
    assert hook is not None
    assert hook["url"] == bot.settings.webhook_url
    assert hook["secret_token"] == bot.settings.webhook_secret_token()
    assert set(hook["allowed_updates"]) == set(ALLOWED_UPDATES)  # chat_member included
    set_webhook = emulator.requests_for("setWebhook")[0]
    assert set_webhook.get("drop_pending_updates") in {None, False, "false"}

    user = emulator.add_user("三", last_name="张")
    emulator.start_private_chat(user)
    reply = await emulator.wait_for_bot_message(user)
    assert reply["text"].startswith(texts.START_UNKNOWN)
    assert [(post.status, post.secret_token) for post in emulator.webhooks.posts] == [
        (200, bot.settings.webhook_secret_token())
    ]
    assert emulator.requests_for("getUpdates") == []  # nothing polls

    async with httpx.AsyncClient() as client:  # the same door serves health and metrics
        assert (await client.get(f"{bot.web_url}/healthz")).status_code in {200, 503}
        assert (await client.get(f"{bot.web_url}/metrics")).status_code == 200


async def test_without_the_secret_nothing_is_read_or_handled(
    bot_factory: BotFactory, emulator: BotApiEmulator
) -> None:
    bot = await webhook_bot(bot_factory)
    secret = bot.settings.webhook_secret_token()
    user = emulator.add_user("李四")
    emulator.start_private_chat(user)
    await emulator.wait_for_bot_message(user)
    await emulator.settle()
    requests_before = len(emulator.requests)

    for wrong in (None, "", "wrong", secret[:-1], secret + "x"):
        post = await emulator.post_to_webhook(forged_help(user), secret_token=wrong)
        assert post.status == 403, wrong
    # Refused before parsing: a body that is not even JSON gets the same 403, not a 400.
    assert (await emulator.post_to_webhook(b"{not json", secret_token="wrong")).status == 403
    await emulator.settle()
    assert len(emulator.requests) == requests_before  # not handled: the bot said nothing
    assert len(emulator.bot_messages(user)) == 1

    # The very same update with the secret is handled: the refusals were the secret's.
    assert (await emulator.post_to_webhook(forged_help(user), secret_token=secret)).status == 200
    assert "/help" in (await emulator.wait_for_bot_message(user))["text"]
    assert (await emulator.post_to_webhook(b"{not json", secret_token=secret)).status == 400


async def test_an_explicit_secret_is_used(
    bot_factory: BotFactory, emulator: BotApiEmulator
) -> None:
    await webhook_bot(bot_factory, webhook_secret="county-bot_2026")
    assert emulator.webhook is not None
    assert emulator.webhook["secret_token"] == "county-bot_2026"
    user = emulator.add_user("王五")
    emulator.start_private_chat(user)
    await emulator.wait_for_bot_message(user)


async def test_updates_wait_for_a_restart_and_polling_takes_them_over(
    bot_factory: BotFactory, emulator: BotApiEmulator
) -> None:
    """Stopping keeps the webhook (Telegram holds the updates); polling deletes it, keeping
    what is pending."""
    bot = await webhook_bot(bot_factory)
    user = emulator.add_user("赵六")
    emulator.start_private_chat(user)
    await emulator.wait_for_bot_message(user)
    await stop_bot(bot)
    assert emulator.webhook is not None
    assert emulator.requests_for("deleteWebhook") == []

    emulator.send_text(user, user, "/help")  # while the bot is down
    await emulator.wait_for(lambda: emulator.webhook and "last_error_message" in emulator.webhook)
    assert emulator.webhook is not None
    assert emulator.webhook["last_error_message"] == "Connection refused"

    await bot_factory()  # polling mode
    [delete] = emulator.requests_for("deleteWebhook")
    assert delete.get("drop_pending_updates") in {None, False, "false"}
    assert "/help" in (await emulator.wait_for_bot_message(user))["text"]


@pytest.mark.parametrize("mode", ["webhook", "polling"])
async def test_python_m_bot_run_picks_the_mode_from_the_settings(
    emulator: BotApiEmulator, tmp_path: Path, mode: str
) -> None:
    """The real command in a real process: WEBHOOK_URL set -> setWebhook and replies by POST,
    unset -> getUpdates; the door answers /healthz in both; SIGTERM stops it cleanly and
    leaves a webhook set."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(VARIABLES)}
    env |= {
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_BASE_URL": emulator.base_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "WEB_PORT": str(port),
    }
    if mode == "webhook":
        env["WEBHOOK_URL"] = f"http://127.0.0.1:{port}/telegram"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        await emulator.wait_for(lambda: emulator.requests_for("setMyCommands"), timeout=60)
        user = emulator.add_user("孙七")
        emulator.start_private_chat(user)
        reply = await emulator.wait_for_bot_message(user, timeout=30)
        assert reply["text"].startswith(texts.START_UNKNOWN)
        assert await healthy(f"http://127.0.0.1:{port}/healthz")
    finally:
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            _, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()
    polled = bool(emulator.requests_for("getUpdates"))
    assert polled == (mode == "polling")
    assert (emulator.webhook is not None) == (mode == "webhook")


async def healthy(url: str, seconds: float = 15) -> bool:
    """Whether /healthz says 200 within `seconds` (the first sweep comes a second after start)."""
    async with httpx.AsyncClient() as client:
        for _ in range(int(seconds * 10)):
            if (await client.get(url)).status_code == 200:
                return True
            await asyncio.sleep(0.1)
    return False
