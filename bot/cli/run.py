"""`run` (the default) and `migrate`."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Callable

from bot.config import Settings, load_settings
from storage.migrate import upgrade


def configure_logging(settings: Settings) -> None:
    """Plain logs at LOG_LEVEL; per-request and per-tick lines only when debugging."""
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if settings.log_level != "DEBUG":
        for chatty in ("httpx", "apscheduler", "alembic.runtime.migration"):
            logging.getLogger(chatty).setLevel(logging.WARNING)


# Builds and runs the bot until it stops (bot.app.run_bot; bot/__main__ passes it, since
# only the entry point loads the composition root).
RunApplication = Callable[[Settings], None]


def run_bot(args: argparse.Namespace) -> int:
    """Migrate to head, then long-poll until SIGINT or SIGTERM."""
    settings = load_settings()
    settings.require_token()
    configure_logging(settings)
    asyncio.run(upgrade(settings.database_url))
    args.run_application(settings)
    return 0


def migrate(_args: argparse.Namespace) -> int:
    """Bring the database schema up to date."""
    settings = load_settings()
    configure_logging(settings)
    asyncio.run(upgrade(settings.database_url))
    print("Database is up to date.")
    return 0


def register(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `run` and `migrate`."""
    run = verbs.add_parser("run", help="migrate the database, then run the bot (long polling)")
    run.set_defaults(func=run_bot)
    migrate_parser = verbs.add_parser("migrate", help="migrate the database to the newest schema")
    migrate_parser.set_defaults(func=migrate)
