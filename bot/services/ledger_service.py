"""/ledger as managers use it: the 台账 of their organisation over a period, as an XLSX file.

In a group: the group's organisation, for its managers. Privately: the organisation named
after the period, the only one the caller manages, or - managing several - the one they
pick from buttons. The access check and the "is there anything" count run in one
transaction; the workbook is then built in a child process from a read-only snapshot
(bot/services/ledger_build.py), so no other chat waits for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.errors import InvalidInput, NotFound, UserFacingError
from bot.core.ledger_rows import LedgerFile
from bot.core.periods import Period, parse_period
from bot.core.sandbox import BROKEN, Budget, BudgetExceeded, run_isolated
from bot.services.access import AccessService, Actor
from bot.services.base import Service, retried
from bot.services.ledger_build import build_ledger_file, span, subtree_repo
from bot.texts import ledger as texts
from storage.db import Database
from storage.records import OrganisationRecord
from storage.repositories import MemberRepo, OrganisationRepo

# A county's ledger takes a few seconds and a few hundred MB (bench/ledger.py); the budget
# leaves room above that and stops a runaway well before it hurts the bot.
BUDGET = Budget(seconds=120.0, memory_bytes=2 << 30, output_bytes=64 << 20, nice=10)
MAX_BUTTONS = 30


@dataclass(frozen=True, slots=True)
class OrgChoice:
    """The caller manages several organisations: which one's ledger?"""

    period: Period
    organisations: list[OrganisationRecord]


def split_args(args: str, today: datetime) -> tuple[Period, str]:
    """`[期间] [组织]` (either order): the period and the organisation's name, if any."""
    words = args.split()
    candidates = [(args, "")]
    if words:
        candidates += [(" ".join(words[:-1]), words[-1]), (" ".join(words[1:]), words[0])]
    first_error: UserFacingError | None = None
    for text, name in candidates:
        try:
            return parse_period(text, today.date()), name
        except InvalidInput as exc:
            first_error = first_error or exc
    assert first_error is not None
    raise first_error


class LedgerService(Service):
    """The /ledger command and its organisation buttons."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        access: AccessService,
        tz: ZoneInfo,
        budget: Budget = BUDGET,
    ) -> None:
        super().__init__(database, clock, access)
        self.tz, self.budget = tz, budget

    @retried
    async def export(self, actor: Actor, args: str) -> LedgerFile | OrgChoice:
        """`/ledger [期间]` in a group, `/ledger [期间] [组织]` privately."""
        now = self.now()
        local = now.astimezone(self.tz)
        async with self.database.transaction() as session:
            if actor.place.is_group:
                org = (await self.access.manager(session, actor, now)).org
                period = parse_period(args, local.date())
            else:
                period, name = split_args(args, local)
                if not name and len(managed := await _managed(session, actor.user_id)) > 1:
                    return OrgChoice(period, managed)
                org = (await self.access.acting(session, actor, now, name, "/ledger")).org
            await self._has_meetings(session, org, period, now)
        return await self._build(org, period, now)

    @retried
    async def export_for(self, actor: Actor, org_id: int, period_text: str) -> LedgerFile:
        """The organisation picked from the buttons (the caller must still manage it)."""
        now = self.now()
        period = parse_period(period_text, now.astimezone(self.tz).date())
        async with self.database.transaction() as session:
            org = (await self.access.manager_of(session, actor, org_id, now)).org
            await self._has_meetings(session, org, period, now)
        return await self._build(org, period, now)

    async def _has_meetings(
        self, session: AsyncSession, org: OrganisationRecord, period: Period, now: datetime
    ) -> None:
        repo = await subtree_repo(session, org.id)
        if not await repo.count_meetings(*span(period, self.tz, now)):
            raise NotFound(
                texts.NO_MEETINGS.format(org=org.name, period=period.label, span=period.span_text)
            )

    async def _build(self, org: OrganisationRecord, period: Period, now: datetime) -> LedgerFile:
        url = self.database.engine.url.render_as_string(hide_password=False)
        try:
            return await run_isolated(
                build_ledger_file, url, org.id, period, self.tz.key, now, budget=self.budget
            )
        except BudgetExceeded as exc:
            # Out of time or memory: too big; anything else failed in the child (logged there).
            reply = texts.FAILED if exc.message == BROKEN else texts.TOO_BIG
            raise InvalidInput(reply) from None


async def _managed(session: AsyncSession, user_id: int) -> list[OrganisationRecord]:
    """The organisations where the person holds a managing post, by name."""
    memberships = await MemberRepo(session).of_user(user_id)
    ids = [m.organisation_id for m in memberships if m.role.is_manager and m.active]
    found = await OrganisationRepo(session).get_many(ids)
    return sorted(found.values(), key=lambda org: org.name)
