"""/study_stats: who studied a topic in an organisation, and completion of those below it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import NotFound
from bot.core.study_stats import MemberStudy, OrgCompletion, OrgRef, completion, member_rows
from bot.texts import study as texts
from storage.records import OrganisationRecord, TopicRecord
from storage.repositories import MemberRepo, OrganisationRepo
from storage.repositories.study import StudyRepo


@dataclass(frozen=True)
class StudyStats:
    """A topic's study in one organisation and, for a parent, in each one below."""

    topic: TopicRecord
    organisation: OrganisationRecord
    members: list[MemberStudy]
    below: list[OrgCompletion]


async def _topic(
    repo: StudyRepo, subtree: list[int], topic_id: int | None
) -> tuple[TopicRecord, set[int]]:
    """The topic asked for (or the latest that reached the subtree) and where it went."""
    if topic_id is None:
        latest = await repo.published_reaching(subtree, limit=1)
        if not latest:
            raise NotFound(texts.STATS_NO_TOPIC)
        topic = latest[0]
    else:
        found = await repo.get(topic_id)
        if found is None or found.status == "deleted":
            raise NotFound(texts.NOT_FOUND.format(id=topic_id))
        topic = found
    reached = {target.organisation_id for target in await repo.targets(topic.id)}
    if topic_id is not None and not reached & set(subtree):
        raise NotFound(texts.STATS_NOT_REACHED.format(id=topic_id))
    return topic, reached


async def topic_stats(session: AsyncSession, org_id: int, topic_id: int | None) -> StudyStats:
    """Per member of the organisation: studied or not, quiz score; per organisation below it
    that received the topic: its completion rate. A constant number of queries, however
    many organisations are below."""
    orgs, members, repo = OrganisationRepo(session), MemberRepo(session), StudyRepo(session)
    subtree = await orgs.descendant_ids(org_id)
    topic, reached = await _topic(repo, subtree, topic_id)
    studied, scores = await repo.studied(topic.id), await repo.scores(topic.id)
    roster = [(m.user.id, m.user.name) for m in await members.of_organisation(org_id)]
    below_ids = [below for below in subtree if below != org_id and below in reached]
    found = await orgs.get_many([org_id, *below_ids])
    below_refs = [OrgRef(found[i].id, found[i].name, found[i].domain) for i in below_ids]
    rosters = await members.user_ids_by_organisation(below_ids)
    return StudyStats(
        topic=topic,
        organisation=found[org_id],
        members=member_rows(roster, studied, scores),
        below=completion(below_refs, rosters, studied),
    )
