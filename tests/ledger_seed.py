"""A county for ledgers, written straight into the tables (bulk inserts, no bot involved).

`seed_county` builds 县委 -> townships (党委) -> branches (some with two 党小组), members,
a year of meetings with answers and check-ins, study topics with records and quiz answers.
Deterministic (a seeded random), so that tests can count on it; bench/ledger.py uses it at
county size. Some branches skip meetings (to be marked behind), and some people's names,
reasons and agendas are hostile spreadsheet text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core.domain import Domain, MemberStatus, OrgKind, Role
from bot.core.meetings import MeetingType, Rsvp
from bot.core.study import Scope
from storage.models import (
    Chat,
    Member,
    Organisation,
    StudyAnswer,
    StudyRecord,
    StudyTarget,
    StudyTopic,
    User,
)
from storage.models.meetings import Meeting, MeetingAnswer

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOSTILE = ["=1+2", "@SUM(A1)", "+86 138", "-3", "\t=cmd|' /C calc'!A0", "\r=2"]
COUNTY = "县委"
BATCH = 5000


@dataclass(frozen=True)
class Sizes:
    """How big the county is."""

    orgs: int = 300
    members: int = 10_000
    year: int = 2026


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


async def _insert(connection: AsyncConnection, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        await connection.execute(insert(_table(model)), rows[start : start + BATCH])


def _local(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI).astimezone(UTC)


class _County:
    """The rows, built in memory first."""

    def __init__(self, sizes: Sizes, seed: int) -> None:
        self.sizes, self.random = sizes, random.Random(seed)
        self.created = _local(sizes.year - 1, 12, 1, 9)
        self.orgs: list[dict[str, Any]] = []
        self.branches: list[int] = []
        self.groups: dict[int, list[int]] = {}
        self.roster: dict[int, list[tuple[int, bool]]] = {}  # org -> (user, manager)

    def org(self, name: str, kind: OrgKind, parent: int | None) -> int:
        org_id = len(self.orgs) + 1
        self.orgs.append(
            {
                "id": org_id,
                "name": name,
                "kind": kind,
                "domain": Domain.RURAL,
                "floating": False,
                "parent_id": parent,
                "created_at": self.created,
            }
        )
        return org_id

    def tree(self) -> None:
        root = self.org(COUNTY, OrgKind.COMMITTEE, None)
        towns = max(1, self.sizes.orgs // 12)
        town_ids = [self.org(f"第{n}镇党委", OrgKind.COMMITTEE, root) for n in range(1, towns + 1)]
        n = 0
        while len(self.orgs) < self.sizes.orgs:
            n += 1
            town = town_ids[n % len(town_ids)]
            branch = self.org(f"第{n}党支部", OrgKind.BRANCH, town)
            self.branches.append(branch)
            if n % 10 == 1 and len(self.orgs) + 2 <= self.sizes.orgs:
                self.groups[branch] = [
                    self.org(f"第{n}党支部第{g}党小组", OrgKind.GROUP, branch) for g in (1, 2)
                ]

    def people(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        users, members = [], []
        for index in range(self.sizes.members):
            user_id = 1000 + index
            hostile = index % 97 == 5
            name = HOSTILE[index % len(HOSTILE)] if hostile else f"党员{index}"
            users.append(
                {
                    "id": user_id,
                    "display_name": name,
                    "real_name": None if hostile else name,
                    "can_dm": False,
                    "created_at": self.created,
                    "updated_at": self.created,
                }
            )
            branch = self.branches[index % len(self.branches)]
            position = len(self.roster.setdefault(branch, []))
            manager = position < 3
            self.roster[branch].append((user_id, manager))
            members.append(self._member(branch, user_id, manager, index))
            group_ids = self.groups.get(branch)
            if group_ids:
                group = group_ids[position % 2]
                self.roster.setdefault(group, []).append((user_id, False))
                members.append(self._member(group, user_id, False, index))
        return users, members

    def _member(self, org: int, user: int, manager: bool, index: int) -> dict[str, Any]:
        return {
            "organisation_id": org,
            "user_id": user,
            "role": Role.SECRETARY if manager else Role.MEMBER,
            "status": MemberStatus.PROBATIONARY if index % 11 == 0 else MemberStatus.FULL,
            "floating": False,
            "joined_at": self.created,
            "left_at": None,
        }


def _plan(branch_index: int, year: int) -> list[tuple[MeetingType, datetime]]:
    """A branch's year: monthly 支委会 and 主题党日, quarterly 大会 and 党课, the yearly two;
    every seventh branch skips its second-quarter 大会 and some 支委会 (it is behind)."""
    plan = []
    for month in range(1, 13):
        if not (branch_index % 7 == 3 and month in (4, 5)):
            plan.append((MeetingType.COMMITTEE, _local(year, month, 5, 15)))
        plan.append((MeetingType.THEMED_DAY, _local(year, month, 12, 9)))
        if month % 3 == 2 and not (branch_index % 7 == 3 and month == 5):
            plan.append((MeetingType.ASSEMBLY, _local(year, month, 20, 15)))
            plan.append((MeetingType.LECTURE, _local(year, month, 21, 15)))
    plan.append((MeetingType.LIFE_MEETING, _local(year, 12, 15, 9)))
    plan.append((MeetingType.APPRAISAL, _local(year, 12, 16, 9)))
    return plan


async def seed_county(
    connection: AsyncConnection,
    sizes: Sizes = Sizes(),
    seed: int = 1,
    until: datetime | None = None,
) -> dict[str, int]:
    """Write the county; meetings only up to `until` (default: the whole year). Counts back."""
    county = _County(sizes, seed)
    county.tree()
    users, members = county.people()
    await _insert(connection, Organisation, county.orgs)
    chats = [
        {
            "id": org["id"],
            "telegram_id": -1_000_000 - org["id"],
            "title": org["name"],
            "type": "supergroup",
            "organisation_id": org["id"],
            "active": True,
            "created_at": county.created,
            "updated_at": county.created,
        }
        for org in county.orgs
    ]
    await _insert(connection, Chat, chats)
    await _insert(connection, User, users)
    await _insert(connection, Member, members)
    counts = await _meetings(connection, county, until)
    counts |= await _study(connection, county, until)
    return {"orgs": len(county.orgs), "members": len(users), **counts}


def _answer(rng: random.Random, meeting: int, user: int) -> dict[str, Any] | None:
    roll = rng.random()
    if roll < 0.80:
        checked = rng.random() < 0.95
        return {"rsvp": Rsvp.YES, "reason": None, "checked": checked}
    if roll < 0.90:
        reason = HOSTILE[meeting % len(HOSTILE)] if user % 13 == 0 else "外出务工"
        return {"rsvp": Rsvp.LEAVE, "reason": reason, "checked": False}
    return None


async def _meetings(
    connection: AsyncConnection, county: _County, until: datetime | None
) -> dict[str, int]:
    rng, meetings, answers = county.random, [], []
    units = [(b, i, False) for i, b in enumerate(county.branches)]
    units += [
        (g, i, True) for i, b in enumerate(county.branches) for g in county.groups.get(b, [])
    ]
    for org, index, is_group in units:
        year = county.sizes.year
        plan = (
            [(MeetingType.GROUP, _local(year, m, 8, 19)) for m in range(1, 13)]
            if is_group
            else _plan(index, year)
        )
        roster = county.roster[org]
        for kind, starts in plan:
            if until is not None and starts >= until:
                continue
            meeting_id = len(meetings) + 1
            agenda = HOSTILE[meeting_id % len(HOSTILE)] if meeting_id % 50 == 0 else "学习党章"
            meetings.append(
                {
                    "id": meeting_id,
                    "organisation_id": org,
                    "chat_id": org,
                    "kind": kind,
                    "starts_at": starts,
                    "place": "党员活动室",
                    "agenda": agenda,
                    "organiser_id": roster[0][0],
                    "created_at": county.created,
                    "updated_at": county.created,
                }
            )
            expected = [u for u, m in roster if m] if kind is MeetingType.COMMITTEE else None
            for user in expected or [u for u, _ in roster]:
                found = _answer(rng, meeting_id, user)
                if found is None:
                    continue
                checked_at = starts + timedelta(minutes=5) if found["checked"] else None
                answers.append(
                    {
                        "meeting_id": meeting_id,
                        "user_id": user,
                        "rsvp": found["rsvp"],
                        "reason": found["reason"],
                        "answered_at": starts - timedelta(days=1),
                        "checked_in_at": checked_at,
                    }
                )
    await _insert(connection, Meeting, meetings)
    await _insert(connection, MeetingAnswer, answers)
    return {"meetings": len(meetings), "answers": len(answers)}


async def _study(
    connection: AsyncConnection, county: _County, until: datetime | None
) -> dict[str, int]:
    rng, year = county.random, county.sizes.year
    topics, targets, records, quiz = [], [], [], []
    everyone = [org["id"] for org in county.orgs if org["kind"] is OrgKind.BRANCH]
    plan = [(1, month, everyone) for month in range(1, 13)]  # the county's monthly topic
    plan += [(b, month, [b]) for b in county.branches for month in (3, 6, 9, 12)]
    for owner, month, reached in plan:
        published = _local(year, month, 1, 9)
        if until is not None and published >= until:
            continue
        topic_id = len(topics) + 1
        topics.append(
            {
                "id": topic_id,
                "organisation_id": owner,
                "title": f"{month}月学习主题",
                "scope": Scope.OWN if len(reached) == 1 else Scope.BELOW,
                "publish_at": published,
                "published_at": published,
                "deadline_at": published + timedelta(days=7),
                "status": "published",
                "quiz": [{"question": "问", "options": ["甲", "乙"], "answer": 0}] * 2,
                "created_by": 1,
                "created_at": county.created,
                "updated_at": county.created,
            }
        )
        for org in reached:
            targets.append({"topic_id": topic_id, "organisation_id": org, "chat_id": org})
            for user, _ in county.roster[org]:
                if rng.random() < 0.8:
                    makeup = rng.random() < 0.1
                    studied = published + timedelta(days=8 if makeup else 1)
                    records.append(
                        {
                            "topic_id": topic_id,
                            "user_id": user,
                            "studied_at": studied,
                            "makeup": makeup,
                        }
                    )
                    for question in (0, 1) if rng.random() < 0.6 else ():
                        right = rng.random() < 0.7
                        quiz.append(
                            {
                                "topic_id": topic_id,
                                "question": question,
                                "user_id": user,
                                "option": 0 if right else 1,
                                "correct": right,
                                "answered_at": studied,
                            }
                        )
    await _insert(connection, StudyTopic, topics)
    await _insert(connection, StudyTarget, targets)
    await _insert(connection, StudyRecord, records)
    await _insert(connection, StudyAnswer, quiz)
    return {"topics": len(topics), "study_records": len(records)}
