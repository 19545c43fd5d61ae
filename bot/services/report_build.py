"""Build the /report charts in a child process: read the snapshot, compute, draw.

The same read-only snapshot and ledger rows as /ledger (bot/services/ledger_build.py), so a
chart and the 台账 always agree. Importing matplotlib and drawing take about a second of
CPU: the child process keeps that, and matplotlib's global state, away from the bot's
event loop, and its budget bounds a county's report.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.charts import ReportCharts, report_data
from bot.core.ledger import build_ledger
from bot.core.periods import Period
from bot.services.ledger_build import read_snapshot
from storage.snapshot import read_only_session


async def build_from(
    url: str, org_id: int, period: Period, tz: ZoneInfo, now: datetime
) -> ReportCharts:
    """The charts of `org_id` over `period`, from one read-only snapshot at `url`."""
    from bot.services.report_charts import render_report  # matplotlib: only where it draws

    async with read_only_session(url) as session:
        snapshot = await read_snapshot(session, org_id, period, tz, now)
    return render_report(report_data(snapshot, build_ledger(snapshot)))


def build_report_charts(
    url: str, org_id: int, period: Period, tz_key: str, now: datetime
) -> ReportCharts:
    """The child process's entry (bot.core.sandbox.run_isolated)."""
    return asyncio.run(build_from(url, org_id, period, ZoneInfo(tz_key), now))
