"""Build a ledger workbook: read the snapshot, compute the rows, write the XLSX.

`build_ledger_file` is what runs in a child process (bot.core.sandbox): a county's ledger
reads hundreds of thousands of rows and writes a megabyte of spreadsheet, seconds of CPU
that must not hold up the bot's other chats, and a budget of time and memory bounds it.
The child opens its own read-only connection; nothing is written.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.floating import Stay
from bot.core.ledger import away_changes, build_ledger
from bot.core.ledger_rows import LedgerFile
from bot.core.ledger_snapshot import OrgInfo, Snapshot
from bot.core.periods import Period
from bot.services.floating import floating_facts
from bot.services.ledger_posts import duty_rows, duty_sheet
from bot.services.ledger_records import marked_held, record_statuses
from bot.services.ledger_sheets import ledger_file
from storage.repositories import OrganisationRepo
from storage.repositories.floating import FloatingRepo
from storage.repositories.ledger import LedgerRepo, plan_for_values
from storage.snapshot import read_only_session


def span(period: Period, tz: ZoneInfo, now: datetime) -> tuple[datetime, datetime]:
    """The moments a ledger covers: the period, up to now (meetings yet to come are not in
    a ledger)."""
    start, end = period.bounds(tz)
    return start, min(end, now)


async def subtree_repo(session: AsyncSession, org_id: int) -> LedgerRepo:
    """The ledger's reads for the organisation and everything below it."""
    return LedgerRepo(session, await OrganisationRepo(session).descendant_ids(org_id))


async def read_snapshot(
    session: AsyncSession,
    org_id: int,
    period: Period,
    tz: ZoneInfo,
    now: datetime,
) -> Snapshot:
    """Everything the ledger of `org_id` over `period` is computed from."""
    repo = await subtree_repo(session, org_id)
    start, end = span(period, tz, now)
    meetings = await repo.meetings(start, end)
    ids = [meeting.id for meeting in meetings]
    return Snapshot(
        root_id=org_id,
        period=period,
        tz=tz,
        now=now,
        orgs=await repo.organisations(org_id),
        members=await repo.members(),
        names=await repo.names(start, end),
        meetings=meetings,
        answers=await repo.answers(start, end),
        topics=await repo.topics(start, end),
        studied=await repo.studied(start, end),
        quiz_correct=await repo.quiz_correct(start, end),
        records=await record_statuses(session, ids),
        marked_held=await marked_held(session, ids),
        **await floating_facts(session, repo.org_ids, start, end, tz),
    )


async def away_snapshot(
    session: AsyncSession,
    orgs: list[OrgInfo],
    stays: list[Stay],
    period: Period,
    tz: ZoneInfo,
    now: datetime,
) -> Snapshot:
    """A snapshot of these organisations (no tree) and every stay away from them, with
    every meeting but only the away members' answers, study and memberships, and those a
    支委会's roster depends on (managers, organisers): what the stays change (bot/core/
    ledger.py's away_changes) is exact on it, at a fraction of the reading and counting."""
    repo = LedgerRepo(session, [org.id for org in orgs])
    users = sorted({stay.user_id for stay in stays})
    start, end = span(period, tz, now)
    return Snapshot(
        root_id=orgs[0].id,
        period=period,
        tz=tz,
        now=now,
        orgs=orgs,
        members=await repo.members(users, start, end),
        names={},
        meetings=await repo.meetings(start, end),
        answers=await repo.answers(start, end, users),
        topics=await repo.topics(start, end),
        studied=await repo.studied(start, end, users),
        quiz_correct={},
        **await floating_facts(session, repo.org_ids, start, end, tz, stays),
    )


async def away_facts(
    session: AsyncSession, orgs: list[OrgInfo], period: Period, tz: ZoneInfo, now: datetime
) -> dict[tuple[int, int], tuple[int, int, int]]:
    """(organisation, member) -> what their stays away during the period change in the
    ledger's counts (bot/core/ledger.py's away_changes), for counts that know nothing of
    stays (the 概览's, the 五星党员 draft's); nothing more to read when nobody was away."""
    start, end = period.bounds(tz)
    stays = await FloatingRepo(session).of_orgs([org.id for org in orgs])
    away = {
        stay.org_id
        for stay in stays
        if stay.begins(tz) < end and (stay.ended_at is None or stay.ended_at > start)
    }
    if not away:
        return {}
    await plan_for_values(session)
    affected = [org for org in orgs if org.id in away]
    # Every stay away from those organisations, also outside the period, as the ledger has.
    stays = [stay for stay in stays if stay.org_id in away]
    return away_changes(await away_snapshot(session, affected, stays, period, tz, now))


async def build_from(
    url: str, org_id: int, period: Period, tz: ZoneInfo, now: datetime
) -> LedgerFile:
    """The workbook, read from one read-only snapshot of the database at `url`."""
    async with read_only_session(url) as session:
        snapshot = await read_snapshot(session, org_id, period, tz, now)
        duties = await duty_rows(session, snapshot.orgs, span(period, tz, now))
    ledger = build_ledger(snapshot)
    sheet = duty_sheet(duties, ledger.org.name, period, tz, ledger.has_below)
    return ledger_file(ledger, extra=[sheet] if sheet else [])


def build_ledger_file(
    url: str, org_id: int, period: Period, tz_key: str, now: datetime
) -> LedgerFile:
    """The child process's entry: the ledger of `org_id` over `period` (zone `tz_key`)."""
    return asyncio.run(build_from(url, org_id, period, ZoneInfo(tz_key), now))
