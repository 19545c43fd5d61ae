"""Campaigns at the session level: which campaigns cover an organisation, and the points of
their members computed from the recorded facts (nothing is stored but the facts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.campaigns import Campaign, Counts, points
from bot.core.errors import InvalidInput, NotFound
from bot.core.leaderboard import Key, Ranked, member_board, org_board, rank, subtree
from storage.records import OrganisationRecord
from storage.repositories import OrganisationRepo
from storage.repositories.campaign_facts import FactRepo, Roster
from storage.repositories.campaigns import CampaignRepo
from storage.repositories.posts import duty_report_counts


async def covering(session: AsyncSession, org_id: int) -> list[Campaign]:
    """The organisation's own campaigns and those of organisations above it that include
    everything below them; newest start first."""
    above = await OrganisationRepo(session).ancestor_ids(org_id)
    found = await CampaignRepo(session).of_organisations(above)
    return [c for c in found if c.organisation_id == org_id or c.subtree]


async def pick(session: AsyncSession, org_id: int, name: str, now: datetime) -> Campaign:
    """The campaign named (among those covering the organisation), else the one running
    (the latest to start), else the latest that ended, else the next to start."""
    found = await covering(session, org_id)
    if name:
        named = next((c for c in found if c.name == name), None)
        if named is None:
            raise NotFound(code="campaign_unknown", name=name)
        return named
    running = [c for c in found if c.started(now) and not c.ended(now)]
    ended = [c for c in found if c.ended(now)]
    ahead = sorted((c for c in found if not c.started(now)), key=lambda c: c.starts_at)
    chosen = running or ended or ahead
    if not chosen:
        raise NotFound(code="campaign_none")
    return chosen[0]


async def own_campaign(session: AsyncSession, org: OrganisationRecord, name: str) -> Campaign:
    """The organisation's own campaign of this name (one of a parent is refused: only its
    managers change it)."""
    campaign = await CampaignRepo(session).by_name(org.id, name)
    if campaign is not None:
        return campaign
    for other in await covering(session, org.id):
        if other.name == name:
            parent = await OrganisationRepo(session).get(other.organisation_id)
            raise InvalidInput(
                code="campaign_not_own", name=name, org=parent.name if parent else ""
            )
    raise NotFound(code="campaign_unknown", name=name)


async def scope_of(session: AsyncSession, campaign: Campaign) -> dict[int, OrganisationRecord]:
    """The organisations taking part, by id."""
    orgs = OrganisationRepo(session)
    if campaign.subtree:
        ids = await orgs.descendant_ids(campaign.organisation_id)
    else:
        ids = [campaign.organisation_id]
    return await orgs.get_many(ids)


async def count_facts(
    session: AsyncSession, org_ids: list[int], start: datetime, end: datetime
) -> dict[Key, Counts]:
    """Every recorded fact of the window, per (organisation, member)."""
    facts = FactRepo(session)
    checkins = await facts.checkins(org_ids, start, end)
    studies = await facts.studies(org_ids, start, end)
    quiz = await facts.quiz(org_ids, start, end)
    duties = await duty_report_counts(session, org_ids, start, end)
    awards = await facts.awards(org_ids, start, end)
    keys = set(checkins) | set(studies) | set(quiz) | set(duties) | set(awards)
    return {
        key: Counts(
            checkins.get(key, 0),
            studies.get(key, 0),
            quiz.get(key, 0),
            duties.get(key, 0),
            awards.get(key, 0),
        )
        for key in keys
    }


@dataclass(frozen=True, slots=True)
class Tally:
    """A campaign's points up to a moment: its organisations, members and their points."""

    campaign: Campaign
    orgs: dict[int, OrganisationRecord]
    roster: list[Roster]
    totals: dict[Key, int]
    until: datetime

    @property
    def parents(self) -> dict[int, int | None]:
        """Each taking part organisation's parent (None above the campaign's own)."""
        return {
            org.id: org.parent_id if org.parent_id in self.orgs else None
            for org in self.orgs.values()
        }

    def children(self, org_id: int) -> list[tuple[int, str]]:
        """The organisations taking part right below this one."""
        return [(o.id, o.name) for o in self.orgs.values() if o.parent_id == org_id]

    def members(self, org_id: int) -> list[Ranked]:
        """The organisation's members by points."""
        roster = [
            ((org_id, r.user_id), r.name) for r in self.roster if r.organisation_id == org_id
        ]
        return member_board(roster, self.totals)

    def branches(self, org_id: int) -> list[Ranked]:
        """The organisations right below this one by average points per member."""
        keys = [r.key for r in self.roster]
        return org_board(self.children(org_id), self.parents, keys, self.totals)

    def everyone(self) -> list[Ranked]:
        """Every member taking part, by points (named with their organisation when the
        campaign has several)."""
        several = len(self.orgs) > 1
        entries = [
            (index, _with_org(r, self.orgs, several), float(self.totals.get(r.key, 0)), 1)
            for index, r in enumerate(self.roster)
        ]
        return rank(entries)


def _with_org(member: Roster, orgs: dict[int, OrganisationRecord], several: bool) -> str:
    org = orgs.get(member.organisation_id)
    return f"{member.name}（{org.name}）" if several and org else member.name


async def tally(
    session: AsyncSession, campaign: Campaign, now: datetime, within: int | None = None
) -> Tally:
    """The campaign's points from its start until now (or its end); with `within`, only of
    that organisation and those below it (what its leaderboard shows)."""
    orgs = await scope_of(session, campaign)
    if within is not None:
        parents = {org.id: org.parent_id for org in orgs.values()}
        orgs = {org_id: orgs[org_id] for org_id in subtree(within, parents) if org_id in orgs}
    ids = sorted(orgs)
    roster = await FactRepo(session).roster(ids)
    # Up to the end: no fact is recorded ahead of the clock, and one recorded at this very
    # moment counts at once.
    counted = await count_facts(session, ids, campaign.starts_at, campaign.ends_at)
    members = {r.key for r in roster}
    # Only members of an organisation earn there (a fact elsewhere is someone else's).
    totals = {key: points(campaign.rules, c) for key, c in counted.items() if key in members}
    return Tally(campaign, orgs, roster, totals, min(now, campaign.ends_at))
