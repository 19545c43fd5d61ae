"""The dashboard (Mini App): who the viewer is, and what they may see of which organisation.

The web door authenticates the viewer (Telegram's initData) and calls one method here per
request; visibility comes from AccessService.visible, the same posts and SUPERADMIN_IDS that
the commands obey, and every answer is filtered here, on the server. The numbers are the
ledger's: one read-only snapshot per subtree, its rows computed off the event loop.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.dashboard import OrgStatus, statuses
from bot.core.errors import NotManager, NotYourOrganisation
from bot.core.ledger import Ledger, MemberRow, build_ledger, org_statuses
from bot.core.ledger_snapshot import Snapshot
from bot.core.periods import Period, parse_period
from bot.services.access import AccessService
from bot.services.base import Service, retried
from bot.services.ledger_build import read_snapshot
from storage.db import Database
from storage.records import OrganisationRecord
from storage.repositories import OrganisationRepo

DEFAULT_PERIOD = "本季度"
# How long a subtree's 概览 is reused: figures a minute old are fine on a dashboard.
CACHE_FOR = timedelta(seconds=60)
MAX_CACHED = 1000


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who opened the dashboard and the organisations they may see."""

    user_id: int
    superadmin: bool
    managed: list[OrganisationRecord]  # every organisation they manage, tree order by name
    member_of: list[OrganisationRecord]  # where they are a member (their own record only)

    @property
    def manager(self) -> bool:
        """Sees organisations, not only their own record."""
        return self.superadmin or bool(self.managed)


@dataclass(frozen=True, slots=True)
class Overview:
    """概览: the period and each organisation's status."""

    period: Period
    organisations: list[OrgStatus]


@dataclass(frozen=True, slots=True)
class MyRecord:
    """A member's own lines of the ledger, in each organisation they belong to."""

    period: Period
    rows: list[MemberRow]


class DashboardService(Service):
    """The Mini App's use cases, each one read transaction and one visibility check."""

    def __init__(self, database: Database, clock: Clock, access: AccessService, tz: ZoneInfo):
        super().__init__(database, clock, access)
        self.tz = tz
        # (root, period) -> (computed at, lines): the only state, bounded and short-lived.
        self._cache: dict[tuple[int, Period], tuple[datetime, list[OrgStatus]]] = {}

    def period(self, text: str) -> Period:
        """The period named (default: this quarter); InvalidInput for an unknown one."""
        return parse_period(text or DEFAULT_PERIOD, self.now().astimezone(self.tz).date())

    @retried
    async def viewer(self, user_id: int) -> Viewer:
        """Who the user is to the dashboard."""
        async with self.database.transaction() as session:
            seen = await self.access.visible(session, user_id)
            found = await OrganisationRepo(session).get_many([*seen.managed, *seen.member_of])
        managed = sorted((found[i] for i in seen.managed if i in found), key=_by_name)
        own = [found[i] for i in seen.member_of if i in found]
        return Viewer(user_id, seen.superadmin, managed, sorted(own, key=_by_name))

    @retried
    async def overview(self, user_id: int, period_text: str = "") -> Overview:
        """Every organisation the user manages, with its status; NotManager for a member."""
        period, now = self.period(period_text), self.now()
        async with self.database.transaction() as session:
            seen = await self.access.visible(session, user_id)
            if not seen.manages_any:
                raise NotManager
            missing = [r for r in seen.roots if self._cached(r, period, now) is None]
            snapshots = [
                await read_snapshot(session, r, period, self.tz, now, counts_only=True)
                for r in missing
            ]
        for snap in snapshots:
            self._cache[(snap.root_id, period)] = (now, await asyncio.to_thread(_statuses, snap))
        found: list[OrgStatus] = []
        for root in seen.roots:
            found += self._cache[(root, period)][1]
        return Overview(period, found)

    def forget(self) -> None:
        """Drop the cached 概览 (benchmarks time the cold read)."""
        self._cache.clear()

    def _cached(self, root: int, period: Period, now: datetime) -> list[OrgStatus] | None:
        """A subtree's 概览 computed less than CACHE_FOR ago (people switch views and come
        back; a county's quarter takes most of a second to read)."""
        if len(self._cache) > MAX_CACHED:
            self._cache.clear()
        found = self._cache.get((root, period))
        if found is None or not timedelta(0) <= now - found[0] < CACHE_FOR:
            return None
        return found[1]

    @retried
    async def organisation(self, user_id: int, org_id: int, period_text: str = "") -> Ledger:
        """The ledger rows of one organisation the user manages; NotYourOrganisation else."""
        period, now = self.period(period_text), self.now()
        async with self.database.transaction() as session:
            seen = await self.access.visible(session, user_id)
            if org_id not in seen.managed:
                raise NotYourOrganisation
            snap = await self._snapshot(session, org_id, period, now)
        return await asyncio.to_thread(build_ledger, snap)

    @retried
    async def my_record(self, user_id: int, period_text: str = "") -> MyRecord:
        """The user's own attendance and study in each organisation they belong to."""
        period, now = self.period(period_text), self.now()
        async with self.database.transaction() as session:
            seen = await self.access.visible(session, user_id)
            snaps = [await self._snapshot(session, o, period, now) for o in seen.member_of]
        rows: list[MemberRow] = []
        for snap in snaps:
            ledger = await asyncio.to_thread(build_ledger, snap)
            rows += [r for r in ledger.members if r.user_id == user_id and _own(r, snap)]
        return MyRecord(period, rows)

    async def _snapshot(
        self, session: AsyncSession, org_id: int, period: Period, now: datetime
    ) -> Snapshot:
        return await read_snapshot(session, org_id, period, self.tz, now)


def _statuses(snap: Snapshot) -> list[OrgStatus]:
    return statuses(snap.orgs, org_statuses(snap))


def _own(row: MemberRow, snap: Snapshot) -> bool:
    """The row is of the snapshot's root (a member's record, not one of a group below)."""
    return row.org == snap.orgs[0].name


def _by_name(org: OrganisationRecord) -> str:
    return org.name
