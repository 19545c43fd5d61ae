"""GET /metrics: the bot's Prometheus series.

Counters are fed as things happen (updates by a TypeHandler, Bot API answers by the rate
limiter's hooks; bot/app.py wires both); the outbox gauges are read from the database at
scrape time. Every series lives in a registry of this Application's own, never the
process-global one, so tests and several applications in one process do not share counts.
"""

from __future__ import annotations

import asyncio
import logging
import math

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, ProcessCollector
from prometheus_client.exposition import choose_encoder
from telegram import Update

from bot.context import Runtime
from web.health import CHECK_TIMEOUT

log = logging.getLogger(__name__)


def update_type(update: Update) -> str:
    """The kind of an update ("message", "callback_query" …): the one field it carries."""
    return next(
        (str(kind) for kind in Update.ALL_TYPES if getattr(update, kind, None) is not None),
        "other",
    )


class Metrics:
    """The series /metrics shows, with the hooks that count them."""

    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        self.updates = Counter(
            "dangjian_updates", "Updates the bot handled, by type", ["type"], registry=registry
        )
        self.messages_sent = Counter(
            "dangjian_telegram_messages_sent",
            "Sends and edits Telegram accepted, by Bot API method",
            ["method"],
            registry=registry,
        )
        self.retry_after = Counter(
            "dangjian_telegram_429",
            "Telegram's 429 Too Many Requests answers (each is waited out and retried)",
            ["method"],
            registry=registry,
        )
        self.deliveries = Gauge(
            "dangjian_deliveries", "Outbox deliveries by status", ["status"], registry=registry
        )
        self.sweep_lag = Gauge(
            "dangjian_sweep_lag_seconds",
            "How long the oldest due pending delivery has been due (0: nothing waits)",
            registry=registry,
        )
        self.last_sweep = Gauge(
            "dangjian_last_sweep_timestamp_seconds",
            "When the outbox sweep last completed a pass (Unix time; 0: not yet)",
            registry=registry,
        )
        self.database_up = Gauge(
            "dangjian_database_up", "1 when the database answered this scrape", registry=registry
        )
        ProcessCollector(registry=registry)  # memory, CPU, open files of this process

    async def count_update(self, update: Update, _context: object) -> None:
        """TypeHandler callback: one more update of its type."""
        self.updates.labels(update_type(update)).inc()

    def count_sent(self, method: str) -> None:
        """Rate limiter hook: Telegram accepted a send or edit."""
        self.messages_sent.labels(method).inc()

    def count_retry_after(self, method: str) -> None:
        """Rate limiter hook: Telegram answered 429."""
        self.retry_after.labels(method).inc()

    async def read_outbox(self, runtime: Runtime) -> None:
        """Set the gauges from the database and the sweeper (scrape time)."""
        last = runtime.sweeper.last_sweep
        self.last_sweep.set(last.timestamp() if last else 0)
        try:
            async with asyncio.timeout(CHECK_TIMEOUT):
                stats = await runtime.services.ops.outbox_stats()
        except Exception as exc:  # whatever failed, the scrape still shows the counters
            log.warning("Metrics could not read the outbox: %s", type(exc).__name__)
            self.database_up.set(0)
            self.deliveries.clear()  # no stale counts that look current
            self.sweep_lag.set(math.nan)
            return
        self.database_up.set(1)
        for status, count in stats.by_status.items():
            self.deliveries.labels(status.value).set(count)
        self.sweep_lag.set(stats.lag.total_seconds())


def setup(app: web.Application, runtime: Runtime, metrics: Metrics) -> None:
    """Mount GET /metrics."""
    app.router.add_get("/metrics", MetricsRoute(runtime, metrics).metrics)


class MetricsRoute:
    """Answers /metrics in the text format the scraper asks for."""

    def __init__(self, runtime: Runtime, metrics: Metrics) -> None:
        self._runtime, self._metrics = runtime, metrics

    async def metrics(self, request: web.Request) -> web.Response:
        """The registry's series, the outbox gauges read now."""
        await self._metrics.read_outbox(self._runtime)
        encode, content_type = choose_encoder(request.headers.get("Accept", ""))
        body = encode(self._metrics.registry)
        return web.Response(body=body, headers={"Content-Type": content_type})
