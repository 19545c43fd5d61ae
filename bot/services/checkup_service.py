"""三会一课 checkup as managers and the clock use it: /checkup, /meeting_held, and the
monthly warning planned ahead in the outbox."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.errors import InvalidInput
from bot.core.meeting_args import parse_number
from bot.services import checkup
from bot.services.access import AccessService, Actor
from bot.services.base import ZonedService, retried
from bot.services.checkup import Moment
from bot.services.checkup_render import render_checkup
from bot.services.meetings import get_meeting, meeting_of_chat
from bot.texts import minutes as texts
from storage.db import Database
from storage.records import MeetingRecord
from storage.repositories.minutes import MinutesRepo


class WarningDayService(ZonedService):
    """A service whose monthly run falls on the 三会一课 warning day (`days_before` the
    month's end), in the configured zone: the checkup's warnings, the 设岗定责 reminder."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        access: AccessService,
        tz: ZoneInfo,
        days_before: int,
    ) -> None:
        super().__init__(database, clock, access, tz)
        self.days_before = days_before

    def moment(self) -> Moment:
        """Now, in the configured zone."""
        return Moment(self.now(), self.tz)


class CheckupService(WarningDayService):
    """/checkup, /meeting_held and the warnings' plan."""

    @retried
    async def checkup(self, actor: Actor, args: str) -> str:
        """The organisation's 三会一课 this month, quarter and year, and those below behind."""
        at = self.moment()
        async with self.database.transaction() as session:
            org = (await self.access.acting(session, actor, at.now, args, "/checkup")).org

        async def read(session: AsyncSession) -> str:
            found = await checkup.standing_of(session, org, at)
            below = await checkup.below(session, org.id, at)
            return render_checkup(org.name, org.kind, found, below, at.today)

        # A county's year of meetings, every organisation below: apart from the loop.
        return await self.database.read_apart(read)

    async def _managed_meeting(
        self, session: AsyncSession, actor: Actor, number: int
    ) -> MeetingRecord:
        """The meeting, if the caller manages its organisation (in a group: the group's)."""
        now = self.now()
        if actor.place.is_group:
            group = (await self.access.manager(session, actor, now)).group
            return await meeting_of_chat(session, number, group)
        meeting = await get_meeting(session, number)
        await self.access.manager_of(session, actor, meeting.organisation_id, now)
        return meeting

    @retried
    async def mark_held(self, actor: Actor, args: str) -> str:
        """/meeting_held <编号>: a meeting nobody checked in to took place all the same."""
        if not args:
            raise InvalidInput(texts.HELD_USAGE)
        number, now = parse_number(args.split()[0]), self.now()
        async with self.database.transaction() as session:
            meeting = await self._managed_meeting(session, actor, number)
            if meeting.cancelled:
                raise InvalidInput(texts.HELD_CANCELLED.format(id=number))
            if meeting.starts_at > now:
                raise InvalidInput(texts.HELD_FUTURE.format(id=number))
            new = await MinutesRepo(session).mark_held(meeting.id, actor.user_id, now)
        template = texts.HELD_DONE if new else texts.HELD_ALREADY
        return template.format(id=number, kind=meeting.kind.label)

    @retried
    async def plan_alerts(self) -> int:
        """Store this month's (if still ahead) and next month's warning runs; how many new."""
        async with self.database.transaction() as session:
            return await checkup.plan(session, self.moment(), self.days_before)
