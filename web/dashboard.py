"""The dashboard (Telegram Mini App) on the HTTP door: the /api/ gate, the API and the page."""

from __future__ import annotations

from aiohttp import web

from bot.context import Runtime
from web import dashboard_api, dashboard_auth, dashboard_files, dashboard_page, dashboard_posts


def setup(app: web.Application, runtime: Runtime) -> None:
    """Mount the gate on /api/, the JSON routes and the page under /app/."""
    dashboard_auth.setup(app, runtime)
    dashboard_api.setup(app, runtime)
    dashboard_files.setup(app, runtime)
    dashboard_posts.setup(app, runtime)
    dashboard_page.setup(app)
