"""What the 设岗定责 reminders say, composed at send time: a member who reported (or lost
their post) since the run was queued is left out, and a message with nobody left is not
sent."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.checkup import PeriodKind, period_of
from bot.services import posts
from bot.services.checkup import Moment
from bot.services.outbox import DeliveryKind, Skip, composed_in_transaction
from bot.services.outgoing import Outgoing, Text
from bot.services.study_views import mention
from bot.texts import posts as texts
from storage.db import Database
from storage.records import DeliveryRecord, UserRecord
from storage.repositories import OrganisationRepo

MAX_MENTIONS = 30


def _posts(names: list[str]) -> str:
    return "、".join(f"“{name}”" for name in names)


async def _behind(
    session: AsyncSession, delivery: DeliveryRecord, at: Moment
) -> tuple[int, dict[int, list[str]], dict[int, UserRecord]]:
    """The organisation, and its holders still without a report this month."""
    if period_of(PeriodKind.MONTH, at.today).key != delivery.payload["month"]:
        raise Skip
    org_id = int(delivery.payload["org"])
    behind, users = await posts.missing(session, at, [org_id])
    return org_id, {user: names for (_, user), names in behind.items()}, users


def delivery_kinds(database: Database, tz: ZoneInfo) -> dict[str, DeliveryKind]:
    """The reminder run (a fan-out), the private reminder and the group mention."""

    async def run(session: AsyncSession, d: DeliveryRecord, now: datetime) -> Outgoing | None:
        await posts.run(session, str(d.payload["month"]), Moment(now, tz))
        return None

    async def private(session: AsyncSession, d: DeliveryRecord, now: datetime) -> Outgoing:
        org_id, behind, _ = await _behind(session, d, Moment(now, tz))
        org = await OrganisationRepo(session).get(org_id)
        if d.chat_id not in behind or org is None:
            raise Skip  # reported meanwhile, or no longer holds a post
        text = texts.REMIND_PRIVATE.format(org=org.name, posts=_posts(behind[d.chat_id]))
        return Text(text, html=False)

    async def group(session: AsyncSession, d: DeliveryRecord, now: datetime) -> Outgoing:
        _, behind, users = await _behind(session, d, Moment(now, tz))
        quiet = [user for user in behind if not users[user].can_dm]
        if not quiet:
            raise Skip
        lines = [
            texts.REMIND_LINE.format(
                mention=mention(user, users[user].name), posts=_posts(behind[user])
            )
            for user in quiet[:MAX_MENTIONS]
        ]
        return Text(texts.REMIND_GROUP.format(names="\n".join(lines)))

    return {
        posts.RUN: composed_in_transaction(database, run),
        posts.REMIND_DM: composed_in_transaction(database, private),
        posts.REMIND_GROUP: composed_in_transaction(database, group),
    }
