"""Start-up failures are one line on stderr naming the problem and the fix, never a traceback.

Each case runs `python -m bot` as a real process (logging, warnings and all), in an empty
folder so that no stray .env is read.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.cli import checks, main
from bot.cli.run import _stopped_job_in_one_line
from emulator.emulator import BotApiEmulator
from tests.conftest import POSTGRES_URL

ONLY_SUPPORTED = "only sqlite+aiosqlite:// and postgresql+asyncpg:// are supported"
VARIABLES = (
    "TELEGRAM_",
    "DATABASE_URL",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "WEB_",
    "WEBHOOK_",
)


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def run_cli(tmp_path: Path, *args: str, **env: str) -> tuple[int, str, str]:
    """`python -m bot ARGS` with only `env` configured; (exit code, stdout, stderr)."""
    clean = {k: v for k, v in os.environ.items() if not k.upper().startswith(VARIABLES)}
    clean.setdefault("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=tmp_path,
        env=clean | env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.mark.parametrize("verb", ["run", "migrate"])
async def test_unsupported_database_url(tmp_path: Path, verb: str) -> None:
    code, _, err = await run_cli(
        tmp_path, verb, DATABASE_URL="mysql://bot:s3cret@db/bot", TELEGRAM_BOT_TOKEN="1:x"
    )
    assert code == 2
    assert err == (
        "Configuration error: DATABASE_URL is invalid: mysql:// is not supported:"
        f" {ONLY_SUPPORTED}\n"
    )


@pytest.mark.parametrize("verb", ["run", "migrate"])
async def test_unreachable_database_hides_the_password(tmp_path: Path, verb: str) -> None:
    port = closed_port()
    url = f"postgresql+asyncpg://bot:s3cret@127.0.0.1:{port}/bot"
    code, out, err = await run_cli(tmp_path, verb, DATABASE_URL=url, TELEGRAM_BOT_TOKEN="1:x")
    assert (code, out) == (1, "")
    assert err == (
        f"Database unreachable at postgresql+asyncpg://bot:***@127.0.0.1:{port}/bot:"
        " connection refused — check DATABASE_URL\n"
    )


async def test_wrong_token_stops_before_polling(tmp_path: Path, emulator: BotApiEmulator) -> None:
    code, _, err = await run_cli(
        tmp_path, "run", TELEGRAM_BASE_URL=emulator.base_url, TELEGRAM_BOT_TOKEN="123456:WRONG"
    )
    assert code == 1
    assert err == (
        "Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized)"
        " — check the token from @BotFather\n"
    )
    assert emulator.stats.requests == {}  # a 401 is answered before any method runs


async def test_unreachable_bot_api(tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{closed_port()}/bot"
    code, _, err = await run_cli(
        tmp_path, "run", TELEGRAM_BASE_URL=base, TELEGRAM_BOT_TOKEN="123456:TEST"
    )
    assert code == 1
    assert err == (
        f"Bot API unreachable at {base}: httpx.ConnectError: All connection attempts failed"
        " — check the network or TELEGRAM_PROXY\n"
    )


async def test_unreachable_proxy(tmp_path: Path, emulator: BotApiEmulator) -> None:
    proxy = f"http://me:s3cret@127.0.0.1:{closed_port()}"
    code, _, err = await run_cli(
        tmp_path,
        "run",
        TELEGRAM_BASE_URL=emulator.base_url,
        TELEGRAM_BOT_TOKEN=emulator.token,
        TELEGRAM_PROXY=proxy,
    )
    assert code == 1
    assert err.startswith(f"Bot API unreachable at {emulator.base_url} via proxy http://me:***@")
    assert err.endswith(" — check the network or TELEGRAM_PROXY\n")
    assert "s3cret" not in err
    assert err.count("\n") == 1


@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_DATABASE_URL is not set")
def test_missing_postgres_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = make_url(POSTGRES_URL).set(database="no_such_database_here")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url.render_as_string(hide_password=False))
    assert main(["migrate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"Database refused the connection at {url.render_as_string(hide_password=True)}: "
    )
    assert err.endswith(': database "no_such_database_here" does not exist — check DATABASE_URL\n')


async def test_a_database_that_never_answers_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    handlers: list[asyncio.Task[None]] = []
    writers: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Accept, never answer: roughly a firewall that swallows packets.
        handlers.append(asyncio.current_task())  # type: ignore[arg-type]
        writers.append(writer)
        await reader.read()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    monkeypatch.setattr(checks, "DATABASE_TIMEOUT", 0.3)
    try:
        with pytest.raises(checks.StartupError) as error:
            await checks.check_database(f"postgresql+asyncpg://bot:s3cret@127.0.0.1:{port}/bot")
    finally:
        for writer in writers:
            writer.close()
            await writer.wait_closed()
        await asyncio.gather(*handlers)
        server.close()
        await server.wait_closed()
    assert str(error.value) == (
        f"Database unreachable at postgresql+asyncpg://bot:***@127.0.0.1:{port}/bot:"
        " no answer within 0.3 s — check DATABASE_URL"
    )


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/proc/no-such-folder/bot.db", "no such file or directory"),
        ("/proc/bot.db", "unable to open database file"),
    ],
)
async def test_a_sqlite_file_that_cannot_be_opened(path: str, reason: str) -> None:
    with pytest.raises(checks.StartupError) as error:
        await checks.check_database(f"sqlite+aiosqlite:///{path}")
    assert str(error.value) == (
        f"Cannot open the database at sqlite+aiosqlite:///{path}: {reason} — check DATABASE_URL"
    )


async def test_a_port_in_use_stops_start_up(tmp_path: Path, emulator: BotApiEmulator) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = await run_cli(
            tmp_path,
            "run",
            TELEGRAM_BASE_URL=emulator.base_url,
            TELEGRAM_BOT_TOKEN=emulator.token,
            WEB_PORT=str(port),
        )
    assert code == 2, err
    assert err == (
        f"Configuration error: WEB_HOST/WEB_PORT: cannot listen on 127.0.0.1:{port} (address"
        " already in use) — choose a free port, or WEB_PORT=0 to turn the HTTP door off"
        " (polling only)\n"
    )


def test_a_job_cancelled_by_the_stop_is_one_line(caplog: pytest.LogCaptureFixture) -> None:
    """APScheduler reports a job cancelled by the shutdown as an error with a traceback."""
    logger = logging.getLogger("apscheduler.executors.default")
    logger.addFilter(_stopped_job_in_one_line)
    try:
        with caplog.at_level(logging.INFO, logger="apscheduler"):
            cancelled = asyncio.CancelledError()
            logger.error('Job "sweep" raised an exception', exc_info=cancelled)
    finally:
        logger.removeFilter(_stopped_job_in_one_line)
    (record,) = caplog.records
    assert record.levelname == "INFO"
    assert "sweep" in record.getMessage()
    assert "Traceback" not in caplog.text
