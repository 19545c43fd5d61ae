"""The dashboard's downloads: an organisation's ledger (XLSX), calendar (.ics) and charts
(the PNGs /report sends, in one zip).

The files are the ones /ledger and /calendar send, made by the same services with the same
access checks (the viewer acting privately); the dashboard only checks first that the viewer
manages the organisation. The page fetches them with its initData and saves the answer.
"""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

from aiohttp import web

from bot.context import Runtime
from bot.services.access import Actor, Place
from bot.services.container import Services
from bot.services.members import Person
from web.dashboard_api import Json, answer_file, period_arg
from web.dashboard_auth import viewer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICS = "text/calendar"
ZIP = "application/zip"


def setup(app: web.Application, runtime: Runtime) -> None:
    """Mount GET /api/orgs/{id}/ledger.xlsx and /api/orgs/{id}/calendar.ics."""
    files = DashboardFiles(runtime.services)
    app.router.add_get(r"/api/orgs/{org_id:\d{1,12}}/ledger.xlsx", files.ledger)
    app.router.add_get(r"/api/orgs/{org_id:\d{1,12}}/calendar.ics", files.calendar)
    app.router.add_get(r"/api/orgs/{org_id:\d{1,12}}/charts.zip", files.charts)


def attachment(filename: str, content: bytes, content_type: str) -> web.Response:
    """A file to save, its Chinese name in RFC 5987 form."""
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return web.Response(
        body=content, content_type=content_type, headers={"Content-Disposition": disposition}
    )


def acting(request: web.Request) -> Actor:
    """The viewer as a person acting in their private chat with the bot."""
    user = viewer(request)
    return Actor(Person(user.id, user.username, user.full_name), Place(user.id))


class DashboardFiles:
    """The download routes, bound to the services."""

    def __init__(self, services: Services) -> None:
        self._services = services

    async def ledger(self, request: web.Request) -> web.StreamResponse:
        """The organisation's 台账 for the period, as /ledger makes it."""
        org_id = int(request.match_info["org_id"])

        async def work() -> web.Response | Json:
            await self._services.dashboard.managed(viewer(request).id, org_id)
            found = await self._services.ledger.export_for(
                acting(request), org_id, period_arg(request) or "本季度"
            )
            return attachment(found.filename, found.content, XLSX)

        return await answer_file(work)

    async def calendar(self, request: web.Request) -> web.StreamResponse:
        """The organisation's coming meetings, as /calendar makes them."""
        org_id = int(request.match_info["org_id"])

        async def work() -> web.Response | Json:
            org = await self._services.dashboard.managed(viewer(request).id, org_id)
            found = await self._services.reports.calendar(acting(request), org.name)
            return attachment(found.filename, found.content, ICS)

        return await answer_file(work)

    async def charts(self, request: web.Request) -> web.StreamResponse:
        """The organisation's charts for the period, as /report draws them, in one zip."""
        org_id = int(request.match_info["org_id"])

        async def work() -> web.Response | Json:
            org = await self._services.dashboard.managed(viewer(request).id, org_id)
            period = period_arg(request) or "本季度"
            found = await self._services.reports.report(acting(request), f"{period} {org.name}")
            content = zipped([(chart.filename, chart.content) for chart in found.charts])
            return attachment(f"图表_{found.org}_{found.period}.zip", content, ZIP)

        return await answer_file(work)


# Entries carry a fixed date, as reproducible builds do: the same charts (from the cache) give
# the same bytes, whatever second the zip is made in.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def zipped(files: list[tuple[str, bytes]]) -> bytes:
    """The files in one zip (PNGs are compressed already: stored as they are)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, content in files:
            archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), content)
    return buffer.getvalue()
