"""/calendar and /report: an organisation's meetings as an .ics file, and its charts as PNGs.

/calendar is for everyone who may see the meetings anyway: in a bound group, anyone there
(the notices are posted in that group); privately, a member gets the meetings of the
organisations they belong to, and a manager those of an organisation they name. /report is
for managers (access.acting: the group's organisation, or privately the named one or the
only one they manage). Its charts are drawn in a child process from a read-only snapshot
(bot/services/report_build.py), so no other chat waits for matplotlib.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.bounded_cache import BoundedCache
from bot.core.calendar_ics import CalendarMeeting, build_calendar
from bot.core.charts import ReportCharts
from bot.core.clock import Clock
from bot.core.errors import InvalidInput, NotFound
from bot.core.meetings import shorten
from bot.core.overview import data_version
from bot.core.periods import Period, parse_period
from bot.core.sandbox import BROKEN, Budget, BudgetExceeded, run_isolated
from bot.services import members
from bot.services.access import AccessService, Actor
from bot.services.base import Service, retried
from bot.services.ledger_service import split_args
from bot.services.meeting_plan import MeetingConfig, offsets_of
from bot.services.overview_counts import read_overview
from bot.services.report_build import build_report_charts
from bot.texts import reports as texts
from storage.db import Database
from storage.records import MeetingRecord, OrganisationRecord
from storage.repositories import MemberRepo, OrganisationRepo, UserRepo
from storage.repositories.meetings import MeetingRepo

log = logging.getLogger(__name__)

# A calendar holds the coming year (series are materialised 60 days ahead), at most this many.
HORIZON = timedelta(days=366)
MAX_EVENTS = 300
AGENDA_CHARS = 40
# Drawing a county's charts takes seconds and about 210 MB (bench/report.py); the budget
# stops a runaway long before it hurts the bot, and nice 10 lets the bot's own event loop
# have the CPU first on a busy machine.
BUDGET = Budget(seconds=90.0, memory_bytes=2 << 30, output_bytes=32 << 20, nice=10)
# Charts drawn are kept for the next download while their data is unchanged: a branch's are
# about 100 KB, a county's a few MB.
CHARTS_KEPT, CHARTS_BYTES = 200, 64 << 20


def _size(charts: ReportCharts) -> int:
    return sum(len(chart.content) for chart in charts.charts)


@dataclass(frozen=True, slots=True)
class CalendarFile:
    """The .ics file and what its caption tells."""

    org: str
    filename: str
    content: bytes
    count: int
    cancelled: int


class ReportService(Service):
    """The /calendar and /report commands."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        access: AccessService,
        config: MeetingConfig,
        budget: Budget = BUDGET,
    ) -> None:
        super().__init__(database, clock, access)
        self.config, self.budget = config, budget
        # (organisation, data version) -> its charts; the version names the period too.
        self._drawn: BoundedCache[tuple[int, str], ReportCharts] = BoundedCache(
            CHARTS_KEPT, CHARTS_BYTES, _size
        )
        self.drawn = 0  # charts drawn since start (the rest came from the cache)

    @retried
    async def calendar(self, actor: Actor, args: str) -> CalendarFile:
        """`/calendar` (privately `/calendar [组织]`): the coming meetings as an .ics file."""
        now = self.now()
        async with self.database.transaction() as session:
            orgs = await self._calendar_orgs(session, actor, args.strip(), now)
            ids = [org.id for org in orgs]
            found = await MeetingRepo(session).ahead(ids, now, now + HORIZON, limit=MAX_EVENTS)
            events = await self._events(session, found, {org.id: org.name for org in orgs})
        name = "、".join(org.name for org in orgs)
        if not events:
            raise NotFound(texts.CALENDAR_EMPTY.format(org=name))
        return CalendarFile(
            org=name,
            filename=texts.CALENDAR_FILE.format(org=shorten(name, 40)),
            content=build_calendar(name, events, self.config.tz, now),
            count=len(events),
            cancelled=sum(1 for event in events if event.cancelled),
        )

    async def _calendar_orgs(
        self, session: AsyncSession, actor: Actor, name: str, now: datetime
    ) -> list[OrganisationRecord]:
        """Whose meetings: the group's; privately the named one (a member's own, or one the
        caller manages), else every organisation the caller belongs to."""
        if actor.place.is_group:
            return [(await self.access.bound_group(session, actor, now)).org]
        if name:
            org = await OrganisationRepo(session).by_name(name)
            member = await MemberRepo(session).get(org.id, actor.user_id) if org else None
            if org is not None and member is not None and member.active:
                return [org]
            return [(await self.access.acting(session, actor, now, name, "/calendar")).org]
        own = [org for member, org in await members.memberships(session, actor.user_id)]
        if own:
            return own
        return [(await self.access.acting(session, actor, now, "", "/calendar")).org]

    async def _events(
        self, session: AsyncSession, meetings: list[MeetingRecord], orgs: dict[int, str]
    ) -> list[CalendarMeeting]:
        users, organisers = UserRepo(session), {}
        for organiser_id in {meeting.organiser_id for meeting in meetings}:
            user = await users.get(organiser_id)
            organisers[organiser_id] = user.name if user else ""
        return [self._event(m, orgs[m.organisation_id], organisers) for m in meetings]

    def _event(
        self, meeting: MeetingRecord, org: str, organisers: dict[int, str]
    ) -> CalendarMeeting:
        kind = meeting.kind.label
        title = kind
        if meeting.agenda:
            agenda = shorten(" ".join(meeting.agenda.split()), AGENDA_CHARS)
            title = texts.CALENDAR_EVENT_TITLE.format(kind=kind, agenda=agenda)
        description = texts.CALENDAR_DESCRIPTION.format(
            org=org, id=meeting.id, organiser=organisers.get(meeting.organiser_id, "")
        )
        if meeting.agenda:
            description += "\n" + meeting.agenda
        if meeting.cancelled:
            description += texts.CALENDAR_CANCELLED_NOTE
        return CalendarMeeting(
            id=meeting.id,
            title=title,
            starts_at=meeting.starts_at,
            place=meeting.place,
            description=description,
            offsets=offsets_of(meeting.reminder_offsets, self.config),
            version=meeting.version,
            cancelled=meeting.cancelled,
        )

    @retried
    async def report(self, actor: Actor, args: str) -> ReportCharts:
        """`/report [期间]` (privately also `[组织]`): the organisation's charts."""
        now = self.now()
        local = now.astimezone(self.config.tz)
        async with self.database.transaction() as session:
            if actor.place.is_group:
                org = (await self.access.manager(session, actor, now)).org
                period = parse_period(args, local.date())
            else:
                period, name = await _period_and_name(session, args, local)
                org = (await self.access.acting(session, actor, now, name, "/report")).org
            counts = await read_overview(session, org.id, period, self.config.tz, now)
        if not counts.meetings:
            raise NotFound(
                texts.NO_MEETINGS.format(org=org.name, period=period.label, span=period.span_text)
            )
        # Drawing takes seconds: the same counts were drawn already unless the data changed.
        key = (org.id, data_version(counts))
        if (charts := self._drawn.get(key)) is None:
            charts = await self._draw(org, period, now)
            self.drawn += 1
            for chart in charts.charts:
                for warning in chart.warnings:
                    log.warning("Chart %s drew with a warning: %s", chart.filename, warning)
            self._drawn.put(key, charts)
        return charts

    async def _draw(self, org: OrganisationRecord, period: Period, now: datetime) -> ReportCharts:
        url = self.database.engine.url.render_as_string(hide_password=False)
        try:
            return await run_isolated(
                build_report_charts,
                url,
                org.id,
                period,
                self.config.tz.key,
                now,
                budget=self.budget,
            )
        except BudgetExceeded as exc:
            # The child failed (logged by the sandbox) or ran out of time or memory.
            failed = exc.message == BROKEN
            raise InvalidInput(texts.FAILED if failed else texts.TOO_BIG) from None


async def _period_and_name(
    session: AsyncSession, args: str, local: datetime
) -> tuple[Period, str]:
    """`[期间] [组织]`: a lone word with digits that names no organisation (2026年第5季度) was
    meant as a period, and gets the period's error rather than "no such organisation"."""
    period, name = split_args(args, local)
    meant = len(args.split()) == 1 and any(char.isdigit() for char in name)
    if meant and await OrganisationRepo(session).by_name(name) is None:
        parse_period(name, local.date())  # raises why it cannot be read
    return period, name
