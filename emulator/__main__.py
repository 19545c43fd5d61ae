"""Standalone emulator for manual checks: python -m emulator --port 8081."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from .emulator import DEFAULT_TOKEN, BotApiEmulator


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Telegram Bot API emulator (manual mode)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--privacy-off", action="store_true", help="bot sees every group message")
    return parser.parse_args()


async def _serve(args: argparse.Namespace) -> None:
    emu = BotApiEmulator(
        args.token,
        host=args.host,
        port=args.port,
        control_api=True,
        privacy_mode=not args.privacy_off,
    )
    await emu.start()
    user = emu.add_user("张三", username="zhangsan")
    group = emu.add_group("第一党支部", admins=[user], with_bot=True)
    base = f"http://{emu.host}:{emu.port}"
    print(
        f"Bot API emulator on {base}\n"
        f"  run the bot with TELEGRAM_BASE_URL={emu.base_url} TELEGRAM_BOT_TOKEN={emu.token}\n"
        f"  demo user {user.id} (张三), demo group {group.id} (第一党支部, bot is a member)\n"
        f"  curl -s {base}/_emulator/send_text -d "
        f'\'{{"user_id": {user.id}, "text": "/start"}}\'\n'
        f"  curl -s '{base}/_emulator/messages?chat_id={user.id}'",
        flush=True,
    )
    try:
        await asyncio.Event().wait()
    finally:
        await emu.stop()


def main() -> None:
    """Run until interrupted."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(_parse_args()))


if __name__ == "__main__":
    main()
