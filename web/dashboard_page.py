"""The dashboard's page under /app/: plain HTML, CSS and JS shipped with the code.

The page holds no data: it asks /api/ with the initData Telegram gave it. Files are read
once at start and served from memory, with a fixed set of names (no path from the request
reaches the file system).
"""

from __future__ import annotations

from importlib import resources

from aiohttp import web

# Scripts from here and Telegram's own (loaded only inside Telegram); data only from /api/
# here; no inline script or style, so injected markup could not run even if text slipped
# through (the page sets text with textContent only).
CSP = (
    "default-src 'self'; script-src 'self' https://telegram.org; style-src 'self'; "
    "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'"
)
FILES = {
    "index.html": "text/html",
    "app.js": "application/javascript",
    "app.css": "text/css",
}


def setup(app: web.Application) -> None:
    """Mount GET /app/ and its two files; /app redirects to /app/."""
    page = DashboardPage()
    app.router.add_get("/app", page.redirect)
    app.router.add_get("/app/", page.index)
    app.router.add_get(r"/app/{name:app\.(js|css)}", page.asset)


class DashboardPage:
    """The three files, read once."""

    def __init__(self) -> None:
        folder = resources.files("web") / "static"
        self._files = {name: (folder / name).read_bytes() for name in FILES}

    def _send(self, name: str) -> web.Response:
        return web.Response(
            body=self._files[name],
            content_type=FILES[name],
            charset="utf-8",
            # The page may be framed by Telegram's web clients; everything else stays home.
            headers={
                "Content-Security-Policy": CSP,
                "Cache-Control": "no-cache",
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            },
        )

    async def index(self, _request: web.Request) -> web.Response:
        """The page."""
        return self._send("index.html")

    async def asset(self, request: web.Request) -> web.Response:
        """Its script or style sheet."""
        return self._send(request.match_info["name"])

    async def redirect(self, _request: web.Request) -> web.Response:
        """/app -> /app/ (the page's relative links need the slash); keeps the fragment."""
        raise web.HTTPFound("/app/")
