"""The dashboard (Mini App): who the viewer is, and what they may see of which organisation.

The web door authenticates the viewer (Telegram's initData) and calls one method here per
request; visibility comes from AccessService.visible, the same posts and SUPERADMIN_IDS that
the commands obey, and every answer is filtered here, on the server. The numbers are the
ledger's: the 概览 from counts the database makes (bot/core/overview.py), an organisation's or
a member's page from the ledger's snapshot of the subtree, its rows computed off the event
loop. A new panel is one more use case here, one route in web/dashboard_api.py and one view
in web/static/app.js.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.dashboard import OrgStatus, statuses
from bot.core.errors import NotFound, NotManager, NotYourOrganisation
from bot.core.ledger import build_ledger
from bot.core.ledger_member import MemberMeeting, MemberStudy, member_history
from bot.core.ledger_rows import Ledger, MemberRow
from bot.core.ledger_snapshot import Snapshot
from bot.core.overview import OverviewCounts, overview_rows
from bot.core.periods import Period, parse_period
from bot.services import meetings
from bot.services.access import AccessService
from bot.services.base import ZonedService, retried
from bot.services.ledger_build import read_snapshot
from bot.services.meetings import Listed
from bot.services.overview_counts import read_overview
from storage.db import Database
from storage.records import OrganisationRecord, StoredEntry
from storage.repositories import OrganisationRepo
from storage.repositories.faq import FaqEntryRepo, FaqQuestionRepo

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
class OrgPage:
    """An organisation: its ledger rows over the period, and its meetings yet to come."""

    ledger: Ledger
    upcoming: list[Listed]
    faq: list[StoredEntry]  # the organisation's own entries
    unanswered: int  # questions waiting in its /faq pending queue


@dataclass(frozen=True, slots=True)
class MemberPage:
    """One member in one organisation: their line, meetings and topics."""

    row: MemberRow
    meetings: list[MemberMeeting]
    studies: list[MemberStudy]


@dataclass(frozen=True, slots=True)
class MyRecord:
    """A member's own pages, one for each organisation they belong to."""

    period: Period
    pages: list[MemberPage]


class DashboardService(ZonedService):
    """The Mini App's use cases, each one read transaction and one visibility check."""

    def __init__(self, database: Database, clock: Clock, access: AccessService, tz: ZoneInfo):
        super().__init__(database, clock, access, tz)
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
        lines = {r: got for r in seen.roots if (got := self._cached(r, period, now)) is not None}
        missing = [r for r in seen.roots if r not in lines]

        async def count(session: AsyncSession) -> list[tuple[int, list[OrgStatus]]]:
            counted = [await read_overview(session, r, period, self.tz, now) for r in missing]
            return [(counts.root_id, _statuses(counts)) for counts in counted]

        if missing:  # a county's year takes 0.4-0.7 s: counted apart, no other chat waits
            for root, fresh in await self.database.read_apart(count):
                self._cache[(root, period)] = (now, fresh)
                lines[root] = fresh
        found = [status for root in seen.roots for status in lines[root]]
        return Overview(period, found)

    def forget(self) -> None:
        """Drop the cached 概览 (benchmarks time the cold read)."""
        self._cache.clear()

    def _cached(self, root: int, period: Period, now: datetime) -> list[OrgStatus] | None:
        """A subtree's 概览 computed less than CACHE_FOR ago (people switch views and come
        back)."""
        if len(self._cache) > MAX_CACHED:
            self._cache.clear()
        found = self._cache.get((root, period))
        if found is None or not timedelta(0) <= now - found[0] < CACHE_FOR:
            return None
        return found[1]

    @retried
    async def organisation(self, user_id: int, org_id: int, period_text: str = "") -> OrgPage:
        """One organisation the user manages (NotYourOrganisation else): the ledger rows
        over the period and the meetings to come with their live answer counts."""
        period, now = self.period(period_text), self.now()
        async with self.database.transaction() as session:
            seen = await self.access.visible(session, user_id)
        if org_id not in seen.managed:
            raise NotYourOrganisation

        async def page(session: AsyncSession) -> OrgPage:
            snap = await self._snapshot(session, org_id, period, now)
            upcoming = await meetings.upcoming(session, [o.id for o in snap.orgs], now)
            faq = await FaqEntryRepo(session).of_organisation(org_id)
            unanswered = await FaqQuestionRepo(session).count_pending(org_id)
            return OrgPage(build_ledger(snap), upcoming, faq, unanswered)

        # A county's snapshot is hundreds of thousands of rows: read and built apart.
        return await self.database.read_apart(page)

    @retried
    async def managed(self, user_id: int, org_id: int) -> OrganisationRecord:
        """An organisation the user manages (for its downloads); NotYourOrganisation else."""
        async with self.database.transaction() as session:
            seen = await self.access.visible(session, user_id)
            found = await OrganisationRepo(session).get(org_id)
        if org_id not in seen.managed or found is None:
            raise NotYourOrganisation
        return found

    @retried
    async def member(
        self, user_id: int, org_id: int, member_id: int, period_text: str = ""
    ) -> MemberPage:
        """A member of an organisation the user manages: meetings, leaves with reasons,
        check-ins, study and quiz scores. NotFound when they are not a member there."""
        period, now = self.period(period_text), self.now()
        async with self.database.transaction() as session:
            seen = await self.access.visible(session, user_id)
        if org_id not in seen.managed:
            raise NotYourOrganisation

        async def read(session: AsyncSession) -> MemberPage | None:
            return _member_page(await self._snapshot(session, org_id, period, now), member_id)

        page = await self.database.read_apart(read)
        if page is None:
            raise NotFound("这个期间本组织没有这位党员。")
        return page

    @retried
    async def my_record(self, user_id: int, period_text: str = "") -> MyRecord:
        """The user's own page in each organisation they belong to (theirs alone)."""
        period, now = self.period(period_text), self.now()
        async with self.database.transaction() as session:
            seen = await self.access.visible(session, user_id)

        async def read(session: AsyncSession) -> list[MemberPage | None]:
            snaps = [await self._snapshot(session, o, period, now) for o in seen.member_of]
            return [_member_page(snap, user_id) for snap in snaps]

        pages = await self.database.read_apart(read) if seen.member_of else []
        return MyRecord(period, [page for page in pages if page is not None])

    async def _snapshot(
        self, session: AsyncSession, org_id: int, period: Period, now: datetime
    ) -> Snapshot:
        return await read_snapshot(session, org_id, period, self.tz, now)


def _statuses(counts: OverviewCounts) -> list[OrgStatus]:
    return statuses(counts.orgs, overview_rows(counts))


def _member_page(snap: Snapshot, user_id: int) -> MemberPage | None:
    """The member's page in the snapshot's root organisation, None if not a member there."""
    ledger = build_ledger(snap)
    root = snap.orgs[0].name
    row = next((r for r in ledger.members if r.user_id == user_id and r.org == root), None)
    if row is None:
        return None
    history, studies = member_history(snap, user_id)
    own = [m for m in history if m.org == root]
    return MemberPage(row, own, studies)


def _by_name(org: OrganisationRecord) -> str:
    return org.name
