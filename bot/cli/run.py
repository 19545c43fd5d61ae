"""`run` (the default) and `migrate`."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.cli.checks import check_token, migrate_database, telegram_errors

if TYPE_CHECKING:
    from bot.config import Settings


def configure_logging(settings: Settings) -> None:
    """Plain logs at LOG_LEVEL; per-request and per-tick lines only when debugging."""
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if settings.log_level != "DEBUG":
        # aiohttp.access: a line per health probe, scrape and webhook delivery.
        # alembic.runtime.plugins: a line per plugin as Alembic is imported, which is now
        # after this (the verbs import it where they migrate).
        for chatty in (
            "httpx",
            "apscheduler",
            "alembic.runtime.migration",
            "alembic.runtime.plugins",
            "aiohttp.access",
        ):
            logging.getLogger(chatty).setLevel(logging.WARNING)
    logging.getLogger("apscheduler.executors.default").addFilter(_stopped_job_in_one_line)


def _stopped_job_in_one_line(record: logging.LogRecord) -> bool:
    """A stop cancels a job that is running (a sweep, a heartbeat); APScheduler reports that
    as a failure with a traceback. It is an orderly stop: say it in one line."""
    if record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError):
        record.msg, record.args, record.exc_info, record.exc_text = (
            "A running job was stopped by the shutdown: %s",
            (record.getMessage(),),
            None,
            None,
        )
        record.levelno, record.levelname = logging.INFO, "INFO"
    return True


# Builds the bot and runs it, by webhook or long polling, until it stops (bot.app.run;
# bot/__main__ passes it, since only the entry point loads the composition root).
RunApplication = Callable[["Settings"], None]


async def _prepare(settings: Settings) -> None:
    await migrate_database(settings.database_url)
    # PTB's own getMe comes later, inside the Application's start, where a failure is a log
    # line plus a traceback; asking first makes a wrong token or an unreachable API one line.
    await check_token(settings)


def run_bot(args: argparse.Namespace) -> int:
    """Migrate to head, check the token, then run (webhook mode when WEBHOOK_URL is set, long
    polling otherwise) until SIGINT or SIGTERM."""
    from bot.config import load_settings  # pydantic: only for a verb that reads settings

    settings = load_settings()
    settings.require_token()
    configure_logging(settings)
    asyncio.run(_prepare(settings))
    with telegram_errors(settings):
        args.run_application(settings)
    return 0


def migrate(_args: argparse.Namespace) -> int:
    """Bring the database schema up to date."""
    from bot.config import load_settings

    settings = load_settings()
    configure_logging(settings)
    asyncio.run(migrate_database(settings.database_url))
    print("Database is up to date.")
    return 0


def register(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `run` and `migrate`."""
    run = verbs.add_parser(
        "run", help="migrate the database, then run the bot (webhook if WEBHOOK_URL, else polling)"
    )
    run.set_defaults(func=run_bot)
    migrate_parser = verbs.add_parser("migrate", help="migrate the database to the newest schema")
    migrate_parser.set_defaults(func=migrate)
