"""GET /healthz: 200 while the database answers and the outbox sweep runs; 503 saying why not.

For a container healthcheck, a load balancer or an uptime probe. It checks this process: a
hung sweep or a database the pool cannot reach shows here, which a fresh `doctor` process
would not see.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from bot.context import Runtime

# Seconds the database gets to answer SELECT 1: a probe must answer before its own timeout.
CHECK_TIMEOUT = 5.0
# The sweep ticks every 2 s and finishes a pass after every batch; a batch may wait a
# minute for a busy group's rate window, never three.
SWEEP_STALE_AFTER = timedelta(minutes=3)


def setup(app: web.Application, runtime: Runtime) -> None:
    """Mount GET /healthz."""
    app.router.add_get("/healthz", HealthRoute(runtime).healthz)


class HealthRoute:
    """Answers /healthz from the database and the sweep of one running bot."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    async def healthz(self, _request: web.Request) -> web.Response:
        """200 with {status, database, last_sweep}; 503 with the problems as well."""
        database = await database_problem(self._runtime)
        body = judge(database, self._runtime.sweeper.last_sweep, self._runtime.clock.now())
        return web.json_response(body, status=200 if body["status"] == "ok" else 503)


async def database_problem(runtime: Runtime) -> str | None:
    """None when the database answers in time; the reason otherwise."""
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            return await runtime.services.ops.database_problem()
    except TimeoutError:
        return f"no answer within {CHECK_TIMEOUT:g} s"


def judge(database: str | None, last_sweep: datetime | None, now: datetime) -> dict[str, Any]:
    """The /healthz body: status "ok" or "unavailable", and each problem in words."""
    problems = [] if database is None else [f"database: {database}"]
    if last_sweep is None:
        problems.append("sweep: no pass has completed since the start")
    elif now - last_sweep > SWEEP_STALE_AFTER:
        age, limit = (now - last_sweep).total_seconds(), SWEEP_STALE_AFTER.total_seconds()
        problems.append(f"sweep: last pass {age:.0f} s ago (more than {limit:.0f} s)")
    body: dict[str, Any] = {
        "status": "unavailable" if problems else "ok",
        "database": database or "ok",
        "last_sweep": last_sweep.isoformat() if last_sweep else None,
    }
    if problems:
        body["problems"] = problems
    return body
