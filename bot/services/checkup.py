"""三会一课 checkup inside a caller's transaction: who held what, who is behind, and the
monthly warning planned in the outbox.

One warning day a month (ALERT_DAYS_BEFORE days before it ends, bot/core/checkup.py): a
fan-out row `checkup:<YYYY-MM>` is stored ahead with that due time, so a restart or a late
sweep still sends it (until the month ends). When it falls due it queues, per organisation
behind, one warning to its managers (`checkup:<month>:alert:<org>:…`) and, per organisation
with organisations below that are behind, one summary (`checkup:<month>:summary:<org>:…`).
The keys make each warning once per requirement and period, whatever restarts. The county's
superadmins get, the same day, the enterprise groups flagged 应建尽建 (双找: 3 or more
正式党员 declared and no Party organisation; `checkup:<month>:build:<user>`): no
organisation is above such a group to be told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.checkup import (
    PeriodKind,
    Standing,
    alert_at,
    overdue,
    period_of,
    standings,
)
from bot.core.meetings import MeetingType
from bot.services import liangshen
from storage.records import OrganisationRecord
from storage.repositories import ChatRepo, DeliveryRepo, OrganisationRepo
from storage.repositories.minutes import MinutesRepo, reachable_managers

RUN = "checkup_run"
ALERT = "checkup_alert"
SUMMARY = "checkup_summary"
BUILD = "checkup_build"


@dataclass(frozen=True, slots=True)
class Moment:
    """The clock and zone a checkup is made with."""

    now: datetime
    tz: ZoneInfo

    @property
    def today(self) -> date:
        """The local date."""
        return self.now.astimezone(self.tz).date()


HeldByOrg = dict[int, dict[tuple[PeriodKind, MeetingType], int]]


async def held(session: AsyncSession, at: Moment, org_ids: list[int] | None = None) -> HeldByOrg:
    """Meetings that took place so far in the current month, quarter and year, per
    organisation (one grouped query, however many organisations)."""
    found: HeldByOrg = {}
    kinds = list(PeriodKind)
    spans = []
    for kind in kinds:
        start, end = period_of(kind, at.today).bounds(at.tz)
        spans.append((start, min(end, at.now)))
    counts = await MinutesRepo(session).held_in_spans(spans, org_ids)
    for (org_id, meeting), per_span in counts.items():
        for kind, count in zip(kinds, per_span, strict=True):
            if count:  # as held_counts: a type none took place of in the period is absent
                found.setdefault(org_id, {})[(kind, meeting)] = count
    return found


async def standing_of(
    session: AsyncSession, org: OrganisationRecord, at: Moment
) -> list[Standing]:
    """Each requirement of one organisation in its current period."""
    counts = (await held(session, at, [org.id])).get(org.id, {})
    return standings(org.kind, counts, at.today, org.domain)


@dataclass(frozen=True, slots=True)
class Behind:
    """An organisation below with the requirements it has not met."""

    org: OrganisationRecord
    missing: list[Standing]


async def below(
    session: AsyncSession, org_id: int, at: Moment, *, ending_month: bool = False
) -> tuple[int, list[Behind]]:
    """(how many organisations below have requirements, those of them behind): every
    requirement of the current periods, or only those ending with this month."""
    repo = OrganisationRepo(session)
    ids = [i for i in await repo.descendant_ids(org_id) if i != org_id]
    orgs = await repo.get_many(ids)
    counts = await held(session, at, ids) if ids else {}
    month = period_of(PeriodKind.MONTH, at.today)
    total, behind = 0, []
    for org in sorted(orgs.values(), key=lambda o: o.name):
        found = standings(org.kind, counts.get(org.id, {}), at.today, org.domain)
        if not found:
            continue
        total += 1
        missing = overdue(found, month) if ending_month else [s for s in found if not s.met]
        if missing:
            behind.append(Behind(org, missing))
    return total, behind


async def plan(session: AsyncSession, at: Moment, days_before: int) -> int:
    """Store the warning runs of this month (if still ahead) and of the next; how many new."""
    month = period_of(PeriodKind.MONTH, at.today)
    following = period_of(PeriodKind.MONTH, month.end)
    added = 0
    for period in (month, following):
        due = alert_at(period, days_before, at.tz)
        if due <= at.now:
            continue  # planned ahead last month; a fresh start does not warn late
        added += await DeliveryRepo(session).enqueue(
            key=f"checkup:{period.key}",
            kind=RUN,
            chat_id=0,  # a fan-out: it sends nothing itself
            due_at=due,
            now=at.now,
            payload={"month": period.key},
            expires_at=period.bounds(at.tz)[1],
        )
    return added


async def reachable(session: AsyncSession, org_ids: list[int]) -> dict[int, list[int]]:
    """Where each organisation's managers are told: each of its own 书记, 副书记 and 委员
    who can be messaged privately; when none can, its active groups (two queries)."""
    found = await reachable_managers(session, org_ids)
    quiet = [org_id for org_id, people in found.items() if not people]
    for chat in await ChatRepo(session).for_organisations(quiet) if quiet else []:
        if chat.organisation_id is not None:
            found[chat.organisation_id].append(chat.telegram_id)
    return found


async def run(
    session: AsyncSession, month_key: str, at: Moment, county: frozenset[int] = frozenset()
) -> int:
    """The warning day: queue a warning for each organisation behind on a requirement whose
    period ends with this month, a summary for each one above organisations behind, and to
    each of the `county`'s superadmins the groups flagged 应建尽建.

    Everything is read first and written at the end: on SQLite the write lock is held
    only while the rows are added."""
    month = period_of(PeriodKind.MONTH, at.today)
    if month.key != month_key:
        return 0  # a late run past its month (expiry normally stops it first)
    orgs = await OrganisationRepo(session).all()
    counts = await held(session, at)
    behind = [
        org.id
        for org in orgs
        if overdue(standings(org.kind, counts.get(org.id, {}), at.today, org.domain), month)
    ]
    parents = {org.id: org.parent_id for org in orgs}
    above: set[int] = set()
    for org_id in behind:
        parent = parents.get(org_id)
        while parent is not None and parent not in above:
            above.add(parent)
            parent = parents.get(parent)
    targets = [(ALERT, "alert", org_id) for org_id in behind]
    targets += [(SUMMARY, "summary", org_id) for org_id in sorted(above)]
    where = await reachable(session, sorted({org_id for _, _, org_id in targets}))
    building = await liangshen.to_build(session) if county else []
    superadmins = await liangshen.reachable(session, county) if building else []
    expires = month.bounds(at.tz)[1]
    repo, queued = DeliveryRepo(session), 0
    for user_id in superadmins:
        queued += await repo.enqueue(
            key=f"checkup:{month.key}:build:{user_id}",
            kind=BUILD,
            chat_id=user_id,
            due_at=at.now,
            now=at.now,
            payload={"month": month.key},
            expires_at=expires,
        )
    for kind, name, org_id in targets:
        for chat_id in where[org_id]:
            queued += await repo.enqueue(
                key=f"checkup:{month.key}:{name}:{org_id}:{chat_id}",
                kind=kind,
                chat_id=chat_id,
                due_at=at.now,
                now=at.now,
                payload={"month": month.key, "org": org_id},
                expires_at=expires,
            )
    return queued
