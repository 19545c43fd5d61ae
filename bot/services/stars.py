"""五星党员评比 at the session level: the period, the draft from the facts with the managers'
edits over it, and the list as published."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import InvalidInput
from bot.core.ledger_snapshot import OrgInfo
from bot.core.periods import Period as Days
from bot.core.stars import Dimension, Rating, Record, draft, months_between, ordered
from bot.services.campaigns import count_facts, pick
from bot.services.ledger_build import away_facts
from bot.texts import campaigns as texts
from storage.records import OrganisationRecord
from storage.repositories import OrganisationRepo
from storage.repositories.campaign_facts import FactRepo, Roster
from storage.repositories.campaigns import StarRepo

_YEAR = re.compile(r"^(\d{4})年?$")
FIRST_YEAR = 2000


@dataclass(frozen=True, slots=True)
class Period:
    """What a rating covers: a year or a campaign's window."""

    key: str
    label: str
    start: datetime
    end: datetime


async def period_of(
    session: AsyncSession, org: OrganisationRecord, word: str, now: datetime, tz: ZoneInfo
) -> Period:
    """`2026` (a year up to this one) or the name of a campaign covering the organisation."""
    found = _YEAR.match(word)
    if found is None:
        campaign = await pick(session, org.id, word, now)
        return Period(campaign.period, campaign.name, campaign.starts_at, campaign.ends_at)
    year = int(found.group(1))
    if not FIRST_YEAR <= year <= now.astimezone(tz).year:
        raise InvalidInput(code="stars_bad_year", text=word)
    start = datetime(year, 1, 1, tzinfo=tz)
    return Period(
        str(year), texts.YEAR.format(year=year), start, datetime(year + 1, 1, 1, tzinfo=tz)
    )


async def roster_of(session: AsyncSession, org_id: int) -> list[Roster]:
    """The organisation's active members."""
    return await FactRepo(session).roster([org_id])


async def ratings(
    session: AsyncSession, org_id: int, period: Period, now: datetime, tz: ZoneInfo
) -> list[Rating]:
    """Each member's rating: the draft from the facts up to now, with the edits over it."""
    until = min(now, period.end)
    facts = FactRepo(session)
    counted = await count_facts(session, [org_id], period.start, period.end)
    topics = (await facts.topics([org_id], period.start, period.end)).get(org_id, 0)
    held, committee = (await facts.meetings([org_id], period.start, until)).get(org_id, (0, 0))
    first, last = period.start.astimezone(tz), (until - timedelta(seconds=1)).astimezone(tz)
    months = months_between((first.year, first.month), (last.year, last.month))
    edits = await StarRepo(session).edits(org_id, period.key)
    away = await _away(session, org_id, period, now, tz)
    found = []
    for member in await roster_of(session, org_id):
        counts = counted.get((org_id, member.user_id))
        # A member away (流动党员): 异地参加 and 异地学习 count, 外出 meetings are not asked.
        remote, missed, elsewhere = away.get((org_id, member.user_id), (0, 0, 0))
        record = Record(
            member.user_id,
            member.name,
            studied=(counts.studies if counts else 0) + elsewhere,
            topics=topics,
            attended=(counts.checkins if counts else 0) + remote,
            # The 支委会 expects only the committee (as its notice counts them).
            meetings=max(0, (held if member.manager else held - committee) - missed),
            duties=counts.duties if counts else 0,
            months=months,
            awards=counts.awards if counts else 0,
        )
        found.append(draft(record, edits.get(member.user_id)))
    return ordered(found)


async def _away(
    session: AsyncSession, org_id: int, period: Period, now: datetime, tz: ZoneInfo
) -> dict[tuple[int, int], tuple[int, int, int]]:
    """What the organisation's members away changed, as its ledger counts it."""
    org = await OrganisationRepo(session).get(org_id)
    if org is None:
        return {}
    info = OrgInfo(org.id, org.name, org.kind, org.parent_id, org.domain)
    last = (period.end - timedelta(microseconds=1)).astimezone(tz).date()
    days = Days(period.start.astimezone(tz).date(), last, period.label)
    return await away_facts(session, [info], days, tz, now)


def _stars(value: int) -> str:
    return "★" * value + "☆" * (5 - value)


def render_ratings(
    org: str, period: Period, rated: list[Rating], now: datetime, *, published: bool
) -> str:
    """The list: overall stars and each dimension, best first."""
    state = texts.STARS_PUBLISHED if published else texts.STARS_DRAFT
    lines = [texts.STARS_HEADER.format(org=org, period=period.label, state=state)]
    if now < period.end:
        lines.append(texts.STARS_SO_FAR)
    lines += [
        texts.STARS_LINE.format(
            stars=_stars(r.overall), name=r.name, **{d.value: r.of(d) for d in Dimension}
        )
        for r in rated
    ] or [texts.STARS_EMPTY]
    if not published:
        lines.append(texts.STARS_HINT.format(period=period.label.removesuffix("年")))
    return "\n".join(lines)
