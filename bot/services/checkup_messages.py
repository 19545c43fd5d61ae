"""What the 三会一课 deliveries say, composed at send time: a meeting held since the run
was queued takes its line out (or the whole message, when nothing is left)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.checkup import PeriodKind, overdue, period_of
from bot.services import checkup, liangshen
from bot.services.checkup import Moment
from bot.services.checkup_render import render_alert, render_summary
from bot.services.liangshen_render import render_to_build
from bot.services.outbox import DeliveryKind, Skip, composed_in_transaction
from bot.services.outgoing import Outgoing, Text
from storage.db import Database
from storage.records import DeliveryRecord, OrganisationRecord
from storage.repositories import OrganisationRepo


async def _org(session: AsyncSession, delivery: DeliveryRecord, at: Moment) -> OrganisationRecord:
    """The organisation, in the month the delivery was queued for."""
    if period_of(PeriodKind.MONTH, at.today).key != delivery.payload["month"]:
        raise Skip
    org = await OrganisationRepo(session).get(int(delivery.payload["org"]))
    if org is None:
        raise Skip
    return org


def delivery_kinds(
    database: Database, tz: ZoneInfo, county: frozenset[int] = frozenset()
) -> dict[str, DeliveryKind]:
    """The warning run (a fan-out), the warning, the summary, and the county's 应建尽建."""

    async def run(session: AsyncSession, d: DeliveryRecord, now: datetime) -> Outgoing | None:
        await checkup.run(session, str(d.payload["month"]), Moment(now, tz), county)
        return None

    async def alert(session: AsyncSession, d: DeliveryRecord, now: datetime) -> Outgoing:
        at = Moment(now, tz)
        org = await _org(session, d, at)
        month = period_of(PeriodKind.MONTH, at.today)
        missing = overdue(await checkup.standing_of(session, org, at), month)
        if not missing:
            raise Skip  # held meanwhile
        return Text(render_alert(org.name, missing, at.today), html=False)

    async def summary(session: AsyncSession, d: DeliveryRecord, now: datetime) -> Outgoing:
        at = Moment(now, tz)
        org = await _org(session, d, at)
        _, behind = await checkup.below(session, org.id, at, ending_month=True)
        if not behind:
            raise Skip
        days = period_of(PeriodKind.MONTH, at.today).days_left(at.today)
        return Text(render_summary(org.name, behind, at.today, days), html=False)

    async def build(session: AsyncSession, d: DeliveryRecord, now: datetime) -> Outgoing:
        if period_of(PeriodKind.MONTH, Moment(now, tz).today).key != d.payload["month"]:
            raise Skip
        views = await liangshen.to_build(session)
        if not views:
            raise Skip  # an organisation was set up meanwhile
        return Text(render_to_build(views), html=False)

    return {
        checkup.BUILD: composed_in_transaction(database, build),
        checkup.RUN: composed_in_transaction(database, run),
        checkup.ALERT: composed_in_transaction(database, alert),
        checkup.SUMMARY: composed_in_transaction(database, summary),
    }
