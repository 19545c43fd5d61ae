"""The HTTP door's parts on their own: health verdicts, metric registries, the listener."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web
from prometheus_client import generate_latest
from telegram import Chat, Message, Update
from telegram.constants import ChatType

from bot.cli.health import healthz_url
from bot.config import ConfigError
from web.door import HttpDoor
from web.health import SWEEP_STALE_AFTER, judge
from web.metrics import Metrics, update_type

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def test_healthy_when_the_database_answers_and_the_sweep_ran() -> None:
    assert judge(None, NOW - SWEEP_STALE_AFTER, NOW) == {
        "status": "ok",
        "database": "ok",
        "last_sweep": (NOW - SWEEP_STALE_AFTER).isoformat(),
    }


def test_every_problem_is_named() -> None:
    body = judge("ConnectionRefusedError: connect failed", None, NOW)
    assert body["status"] == "unavailable"
    assert body["database"] == "ConnectionRefusedError: connect failed"
    assert body["last_sweep"] is None
    assert body["problems"] == [
        "database: ConnectionRefusedError: connect failed",
        "sweep: no pass has completed since the start",
    ]
    stale = judge(None, NOW - SWEEP_STALE_AFTER - timedelta(seconds=1), NOW)
    assert stale["problems"] == ["sweep: last pass 181 s ago (more than 180 s)"]


def test_each_application_counts_in_its_own_registry() -> None:
    first, second = Metrics(), Metrics()  # the global registry would refuse the second
    first.count_sent("sendMessage")
    first.count_retry_after("sendMessage")
    assert b'dangjian_telegram_messages_sent_total{method="sendMessage"} 1.0' in generate_latest(
        first.registry
    )
    assert b"dangjian_telegram_messages_sent_total{" not in generate_latest(second.registry)


def test_update_type() -> None:
    message = Message(1, NOW, chat=Chat(1, ChatType.PRIVATE), text="/start")
    assert update_type(Update(1, message=message)) == "message"
    assert update_type(Update(2, edited_message=message)) == "edited_message"
    assert update_type(Update(3)) == "other"


async def test_a_port_in_use_is_a_configuration_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        door = HttpDoor(web.Application(), "127.0.0.1", port)
        with pytest.raises(ConfigError) as error:
            await door.start()
    assert str(error.value) == (
        f"WEB_HOST/WEB_PORT: cannot listen on 127.0.0.1:{port} (address already in use)"
        " — choose a free port, or WEB_PORT=0 to turn the HTTP door off (polling only)"
    )
    await door.stop()  # nothing to stop: harmless


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8080/healthz"),
        ("0.0.0.0", "http://127.0.0.1:8080/healthz"),
        ("::", "http://[::1]:8080/healthz"),
        ("10.0.0.5", "http://10.0.0.5:8080/healthz"),
    ],
)
def test_the_health_command_asks_over_loopback_when_listening_everywhere(
    host: str, url: str
) -> None:
    assert healthz_url(host, 8080) == url
