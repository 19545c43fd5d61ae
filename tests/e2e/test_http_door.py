"""The HTTP door of a polling bot: /healthz and /metrics of the real running Application.

Time-dependent answers come from moving the injected clock; the sweep's repeating job is
removed first where a test wants the sweep to stand still (as in a process whose sweep
died).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.cli import main
from bot.core.clock import FakeClock
from emulator.ratelimit import RateLimits
from schedules.sweep import JOB_NAME
from storage.db import create_engine, create_sessionmaker
from storage.repositories import DeliveryRepo
from tests.e2e.harness import BotFactory, RunningBot, free_port, start_bot, stop_bot
from tests.emulator_fixtures import EmulatorFactory
from tests.test_startup import closed_port


@pytest.fixture
async def bot(bot_factory: BotFactory) -> RunningBot:
    """A polling bot with its HTTP door on a free port."""
    return await bot_factory(web_port=free_port())


async def get(bot: RunningBot, path: str) -> httpx.Response:
    """GET a path of the bot's HTTP door."""
    async with httpx.AsyncClient(base_url=bot.web_url) as client:
        return await client.get(path)


async def stop_the_sweep_job(bot: RunningBot) -> None:
    """Remove the repeating sweep and let a running sweep end: the sweep stands still."""
    job_queue = bot.application.job_queue
    assert job_queue is not None
    for job in job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    await bot.sweep()  # waits for a sweep the job may have started


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus text page: (name, sorted labels) -> value."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_healthy_then_a_stale_sweep_then_healthy_again(bot: RunningBot) -> None:
    await stop_the_sweep_job(bot)
    answer = await get(bot, "/healthz")
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "database": "ok",
        "last_sweep": bot.clock.now().isoformat(),
    }

    swept_at = bot.clock.now()
    bot.clock.advance(timedelta(minutes=3, seconds=1))
    answer = await get(bot, "/healthz")
    assert answer.status_code == 503
    assert answer.json() == {
        "status": "unavailable",
        "database": "ok",
        "last_sweep": swept_at.isoformat(),
        "problems": ["sweep: last pass 181 s ago (more than 180 s)"],
    }

    await bot.sweep()
    assert (await get(bot, "/healthz")).status_code == 200


async def test_a_database_that_is_gone_is_unhealthy(bot: RunningBot) -> None:
    await stop_the_sweep_job(bot)
    database = bot.runtime.database
    working = database.sessions
    gone = create_engine(f"postgresql+asyncpg://bot:s3cret@127.0.0.1:{closed_port()}/bot")
    database.sessions = create_sessionmaker(gone)
    try:
        answer = await get(bot, "/healthz")
        metrics = samples((await get(bot, "/metrics")).text)
    finally:
        database.sessions = working
        await gone.dispose()
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "unavailable"
    assert body["database"].startswith("ConnectionRefusedError: "), body
    assert "s3cret" not in answer.text
    assert body["problems"] == [f"database: {body['database']}"]  # the sweep is fine
    # /metrics still answers, says so, and shows no stale outbox counts.
    assert metrics[("dangjian_database_up", ())] == 0
    assert not any(name == "dangjian_deliveries" for name, _ in metrics)

    assert (await get(bot, "/healthz")).status_code == 200


@pytest.fixture
def emulator_time() -> list[float]:
    """Seconds on the strict emulator's rate-limit clock; the test moves it."""
    return [1000.0]


@pytest.fixture
async def strict_bot(
    make_emulator: EmulatorFactory,
    database_url: str,
    clock: FakeClock,
    emulator_time: list[float],
) -> AsyncIterator[RunningBot]:
    """A bot with its door, against an emulator that allows one message a second in a private
    chat (Telegram's guidance) while the bot's limiter lets three go in three seconds. The
    emulator's window clock stands still until the test moves it (`emulator_time`)."""
    emulator = await make_emulator(
        rate_limits=RateLimits(private_per_second=1), clock=lambda: emulator_time[0]
    )
    running = await start_bot(emulator, database_url, clock, web_port=free_port())
    try:
        yield running
    finally:
        await stop_bot(running)


async def test_metrics_after_some_traffic(
    strict_bot: RunningBot, emulator_time: list[float]
) -> None:
    bot, emulator = strict_bot, strict_bot.emulator
    await stop_the_sweep_job(bot)
    user = emulator.add_user("张三")
    emulator.start_private_chat(user)
    emulator.send_text(user, user, "/help")
    await emulator.wait_for_bot_message(user)
    await emulator.wait_for(lambda: emulator.stats.rate_limited == 1, what="a 429")
    emulator_time[0] += 1  # the bot retries after retry_after (1 s): now it fits
    await emulator.wait_for_bot_message(user)
    assert emulator.stats.rate_limited == 1

    now = bot.clock.now()
    async with bot.db() as session:
        repo = DeliveryRepo(session)
        await repo.enqueue(
            key="test:late",
            kind="test",
            chat_id=user.id,
            due_at=now - timedelta(seconds=90),
            now=now,
        )
        await repo.enqueue(
            key="test:later",
            kind="test",
            chat_id=user.id,
            due_at=now + timedelta(hours=1),
            now=now,
        )
    answer = await get(bot, "/metrics")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain")
    metrics = samples(answer.text)
    assert metrics[("dangjian_updates_total", (("type", "message"),))] == 2
    assert metrics[("dangjian_telegram_messages_sent_total", (("method", "sendMessage"),))] == 2
    assert metrics[("dangjian_telegram_429_total", (("method", "sendMessage"),))] == 1
    # The two above and the runs stored at start: the coming 三会一课 warning (checkup_run)
    # and the monthly 设岗定责 reminder (duty_run).
    assert metrics[("dangjian_deliveries", (("status", "pending"),))] == 4
    assert metrics[("dangjian_deliveries", (("status", "sent"),))] == 0
    assert metrics[("dangjian_sweep_lag_seconds", ())] == 90
    assert metrics[("dangjian_database_up", ())] == 1
    assert metrics[("dangjian_last_sweep_timestamp_seconds", ())] == now.timestamp()
    assert ("process_resident_memory_bytes", ()) in metrics

    await bot.sweep()  # "test" has no composer: the due one fails, the later one waits
    metrics = samples((await get(bot, "/metrics")).text)
    assert metrics[("dangjian_deliveries", (("status", "failed"),))] == 1
    assert (
        metrics[("dangjian_deliveries", (("status", "pending"),))] == 3
    )  # the later one and the two runs
    assert metrics[("dangjian_sweep_lag_seconds", ())] == 0


async def test_health_cli_asks_the_running_bot(
    bot: RunningBot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await stop_the_sweep_job(bot)
    monkeypatch.setenv("WEB_PORT", str(bot.settings.web_port))
    monkeypatch.setenv("WEB_HOST", "0.0.0.0")  # listening everywhere: asked over loopback
    assert await asyncio.to_thread(main, ["health"]) == 0
    assert capsys.readouterr().out.startswith(
        f'OK    http://127.0.0.1:{bot.settings.web_port}/healthz: {{"status": "ok"'
    )
    bot.clock.advance(timedelta(minutes=10))
    assert await asyncio.to_thread(main, ["health"]) == 1
    assert "sweep: last pass 600 s ago" in capsys.readouterr().out

    monkeypatch.setenv("WEB_PORT", str(closed_port()))
    assert await asyncio.to_thread(main, ["health"]) == 1
    assert "no answer (ConnectError) — is the bot running?" in capsys.readouterr().out
