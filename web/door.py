"""Running the web app in the bot's event loop, started and stopped with the Application."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.config import ConfigError

log = logging.getLogger(__name__)

# Seconds a stopping door gives requests in flight (a health check waits for the database
# at most web.health.CHECK_TIMEOUT).
SHUTDOWN_WAIT = 6.0


class HttpDoor:
    """One aiohttp server on host:port; `start` and `stop` are safe to call twice."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self._app, self._host, self._port = app, host, port
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """Where the door listens, e.g. http://127.0.0.1:8080."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}"

    async def start(self) -> None:
        """Listen; a port in use or a host not of this machine is a ConfigError naming it."""
        if self._runner is not None:
            return
        # The bot stops on its own signals (PTB's or bot.app's), not aiohttp's.
        runner = web.AppRunner(self._app, handle_signals=False, shutdown_timeout=SHUTDOWN_WAIT)
        await runner.setup()
        try:
            await web.TCPSite(runner, self._host, self._port).start()
        except OSError as exc:
            await runner.cleanup()
            # asyncio says "error while attempting to bind on address (…): <reason>".
            reason = (exc.strerror or str(exc)).rsplit(": ", 1)[-1].lower()
            raise ConfigError(
                f"WEB_HOST/WEB_PORT: cannot listen on {self._host}:{self._port} ({reason})"
                " — choose a free port, or WEB_PORT=0 to turn the HTTP door off (polling only)"
            ) from None
        self._runner = runner
        log.info("HTTP door open on %s", self.url)

    async def stop(self) -> None:
        """Stop listening and finish the requests in flight."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
