"""Every /api/ request proves who sends it: `Authorization: tma <initData>`, Telegram's Mini
App data, checked with the bot's token (bot/core/webapp_auth.py). There is no other way in:
a request without it, or with data that is tampered, signed for another bot or older than
24 h, gets 401 before any route runs."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.context import Runtime
from bot.core.webapp_auth import InvalidInitData, WebAppUser, verify_init_data

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
VIEWER = web.RequestKey("dashboard.viewer", WebAppUser)  # the checked user, for the routes


def setup(app: web.Application, runtime: Runtime) -> None:
    """Guard every path under /api/."""
    app.middlewares.append(InitDataGate(runtime).middleware)


def viewer(request: web.Request) -> WebAppUser:
    """The user the gate let in."""
    user: WebAppUser = request[VIEWER]
    return user


def unauthorized(reason: str) -> web.Response:
    """401 naming the scheme the client must use."""
    return web.json_response(
        {"error": "unauthorized", "message": "请从 Telegram 中打开党建看板"},
        status=401,
        headers={"WWW-Authenticate": "tma", "X-Reason": reason},
    )


class InitDataGate:
    """The middleware: checks initData on /api/ paths, lets every other path through."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """401 unless the Authorization header carries valid initData."""
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        scheme, _, data = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "tma":
            return unauthorized("missing")
        try:
            token = self._runtime.settings.require_token()
            user = verify_init_data(data.strip(), token, self._runtime.clock.now())
        except InvalidInitData as exc:
            log.info("Dashboard request refused: %s", exc)
            return unauthorized(str(exc))
        request[VIEWER] = user
        response = await handler(request)
        # Names, reasons and records: no cache on the way may keep them.
        response.headers["Cache-Control"] = "no-store"
        return response
