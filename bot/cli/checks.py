"""Start-up checks that turn the usual failures into one line naming the fix.

SQLAlchemy, PTB and Alembic are imported where they are used: `python -m bot` imports
this module for every verb, and `--help` or `health` (a container healthcheck, every few
seconds) need none of them.
"""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from telegram import Bot
    from telegram.error import InvalidToken

    from bot.config import Settings

# asyncpg waits 60 s for a host that drops packets; nobody reads a silent minute as "down".
DATABASE_TIMEOUT = 10.0
_TOKEN_ANSWERS = {"Unauthorized": "401 Unauthorized", "Not Found": "404 Not Found"}


class StartupError(Exception):
    """The database or the Bot API cannot be used; the message is one line with the fix."""


async def check_database(url: str) -> None:
    """Connect once and run SELECT 1; StartupError naming the problem otherwise."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from storage.db import create_engine

    try:
        engine = create_engine(url)  # SQLite: creates the folder, which may fail too
        _open_sqlite_file(url)
    except (OSError, sqlite3.Error) as exc:
        raise StartupError(database_problem(url, exc)) from None
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (OSError, DBAPIError) as exc:
        raise StartupError(database_problem(url, exc)) from None
    finally:
        await engine.dispose()


def _open_sqlite_file(url: str) -> None:
    # aiosqlite's worker thread outlives a failed connect and may then call into a closed
    # event loop (a stray traceback at exit); opening the file directly first avoids that.
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in {None, "", ":memory:"}:
        sqlite3.connect(str(parsed.database)).close()


async def migrate_database(url: str) -> None:
    """Check the database answers, then migrate it to the newest schema."""
    from storage.migrate import upgrade

    await check_database(url)
    await upgrade(url)


def database_problem(url: str, exc: BaseException) -> str:
    """One line for a failed connection: where, why, and what to check."""
    from sqlalchemy.exc import DBAPIError

    from bot.config import redact_url

    where, sqlite = redact_url(url), url.startswith("sqlite")
    if isinstance(exc, DBAPIError | sqlite3.Error):
        cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        reason = str(cause).splitlines()[0]
        problem = "Cannot open the database" if sqlite else "Database refused the connection"
    else:
        reason = _os_reason(exc)
        problem = "Cannot open the database" if sqlite else "Database unreachable"
    return f"{problem} at {where}: {reason} — check DATABASE_URL"


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return f"no answer within {DATABASE_TIMEOUT:g} s"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "host not found"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def telegram_bot(settings: Settings) -> Bot:
    """A plain Bot for one-off calls, through TELEGRAM_PROXY like the running bot."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    return Bot(
        settings.require_token(),
        base_url=settings.telegram_base_url,
        base_file_url=settings.base_file_url,
        request=HTTPXRequest(proxy=settings.telegram_proxy),
    )


@asynccontextmanager
async def connected_bot(settings: Settings) -> AsyncIterator[Bot]:
    """An initialised Bot (its getMe has answered); StartupError if Telegram cannot be used."""
    bot = telegram_bot(settings)
    with telegram_errors(settings):
        async with bot:
            yield bot


async def check_token(settings: Settings) -> None:
    """Ask getMe once, so a wrong token stops start-up instead of retrying for ever."""
    async with connected_bot(settings):
        pass


@contextmanager
def telegram_errors(settings: Settings) -> Iterator[None]:
    """Turn a rejected token or an unreachable Bot API into a StartupError."""
    from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError

    try:
        yield
    except BadRequest:
        raise  # a bug in a request, not a deployment problem: keep the traceback
    except InvalidToken as exc:
        raise StartupError(token_problem(exc)) from None
    except NetworkError as exc:
        raise StartupError(api_problem(settings, _redacted(settings, str(exc)))) from None
    except TelegramError as exc:
        if type(exc) is not TelegramError:  # Forbidden, Conflict ...: not about reaching it
            raise
        reason = f"unexpected answer ({_redacted(settings, exc.message)})"
        raise StartupError(api_problem(settings, reason)) from None


def token_problem(exc: InvalidToken) -> str:
    """One line for a token Telegram does not accept; the token itself is never shown."""
    from telegram.error import InvalidToken

    # Bot.initialize wraps the server's answer in a message that contains the token.
    cause = exc.__cause__ if isinstance(exc.__cause__, InvalidToken) else exc
    answer = _TOKEN_ANSWERS.get(cause.message, "rejected")
    hint = " (and TELEGRAM_BASE_URL, if you changed it)" if answer.startswith("404") else ""
    return (
        f"Telegram rejected TELEGRAM_BOT_TOKEN ({answer}) — check the token from @BotFather{hint}"
    )


def api_problem(settings: Settings, reason: str) -> str:
    """One line for a Bot API that cannot be reached or answers nonsense."""
    from bot.config import redact_url

    via = f" via proxy {redact_url(settings.telegram_proxy)}" if settings.telegram_proxy else ""
    return (
        f"Bot API unreachable at {settings.telegram_base_url}{via}: {reason}"
        " — check the network or TELEGRAM_PROXY"
    )


def _redacted(settings: Settings, message: str) -> str:
    token = settings.telegram_bot_token
    secret = token.get_secret_value() if token is not None else ""
    return message.replace(secret, "<token>") if secret else message
