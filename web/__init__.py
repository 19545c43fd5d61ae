"""The HTTP door: one aiohttp server in the bot's own process and event loop.

Each route module has a `setup(app, …)`, like the handlers; `build_web_app` mounts the routes
every process serves (/healthz, /metrics, the dashboard's /api/ and /app/). In webhook mode
the composition root also mounts `webhook.setup`. `door.HttpDoor` runs the
app inside the Application's lifecycle (bot/app.py). Routes read through services, never
SQL: this package imports no sqlalchemy and from storage only the records.
"""

from __future__ import annotations

from aiohttp import web

from bot.context import Runtime
from web import dashboard, health, metrics
from web.metrics import Metrics


def build_web_app(runtime: Runtime, counters: Metrics) -> web.Application:
    """The aiohttp application with the routes every bot process serves."""
    app = web.Application()
    health.setup(app, runtime)
    metrics.setup(app, runtime, counters)
    dashboard.setup(app, runtime)
    return app
