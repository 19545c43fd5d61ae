"""The bot alone in a process of its own, for benches that measure that process.

Usage: python bench/_bot_process.py TOKEN BASE_URL BASE_FILE_URL DATABASE_URL WEB_PORT
Long-polls the given Bot API (the emulator in the bench's process) like `python -m bot run`,
but without Telegram's pacing (bot.ratelimit.Unpaced) and without migrating (the bench did):
SIGTERM stops it cleanly. It imports nothing of the emulator, so its memory is the bot's.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import load_settings
from bot.ratelimit import Unpaced


def main() -> None:
    """Run the bot until SIGTERM."""
    token, base_url, base_file_url, database_url, web_port = sys.argv[1:6]
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    settings = load_settings(
        telegram_bot_token=token,
        telegram_base_url=base_url,
        telegram_base_file_url=base_file_url,
        database_url=database_url,
        telegram_proxy=None,
        web_port=int(web_port),  # the HTTP door runs, as in production (its memory counts)
        log_level="WARNING",
    )
    application = build_application(settings, rate_limiter=Unpaced())
    application.run_polling(allowed_updates=ALLOWED_UPDATES, timeout=1)


if __name__ == "__main__":
    main()
