"""设岗定责: posts, their holders and duty reports, returned as dataclasses.

`duty_report_counts` is what campaign points read (one point rule per report).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import DutyReport, Member, Post, PostHolder, User
from storage.records import DutyReportRecord, PostRecord, UserRecord
from storage.repositories.members import _user


async def duty_report_counts(
    session: AsyncSession, org_ids: Collection[int], start: datetime, end: datetime
) -> dict[tuple[int, int], int]:
    """Reports per (organisation id, user id) in `org_ids`, filed in [start, end)."""
    if not org_ids:
        return {}
    rows = await session.execute(
        select(DutyReport.organisation_id, DutyReport.user_id, func.count())
        .where(
            DutyReport.organisation_id.in_(list(org_ids)),
            DutyReport.reported_at >= start,
            DutyReport.reported_at < end,
        )
        .group_by(DutyReport.organisation_id, DutyReport.user_id)
    )
    return {(org, user): count for org, user, count in rows}


_REPORT_COLUMNS = (
    DutyReport.id,
    DutyReport.organisation_id,
    DutyReport.post_id,
    DutyReport.post_name,
    DutyReport.user_id,
    DutyReport.text,
    DutyReport.photo_file_id,
    DutyReport.reported_at,
)


def _post(row: Post, holders: tuple[UserRecord, ...] = ()) -> PostRecord:
    return PostRecord(
        id=row.id,
        organisation_id=row.organisation_id,
        name=row.name,
        duties=row.duties,
        holders=holders,
    )


def _report(row: DutyReport, user: User) -> DutyReportRecord:
    return DutyReportRecord(
        id=row.id,
        organisation_id=row.organisation_id,
        post_id=row.post_id,
        post_name=row.post_name,
        user=_user(user),
        text=row.text,
        photo_file_id=row.photo_file_id,
        reported_at=row.reported_at,
    )


class PostRepo:
    """Reads and writes posts, holders and duty reports."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of_organisations(self, org_ids: Collection[int] | None) -> list[PostRecord]:
        """The posts of these organisations (None: every one) in the order they were set
        up, each with its holders who are still members of the post's organisation."""
        query = select(Post).order_by(Post.organisation_id, Post.id)
        if org_ids is not None:
            query = query.where(Post.organisation_id.in_(list(org_ids)))
        posts = (await self._session.scalars(query)).all()
        holders = await self._holders([post.id for post in posts])
        return [_post(post, tuple(holders.get(post.id, ()))) for post in posts]

    async def of_organisation(self, organisation_id: int) -> list[PostRecord]:
        """The organisation's posts, each with its holders."""
        return await self.of_organisations([organisation_id])

    async def _holders(self, post_ids: list[int]) -> dict[int, list[UserRecord]]:
        if not post_ids:
            return {}
        rows = await self._session.execute(
            select(PostHolder.post_id, User)
            .join(Post, Post.id == PostHolder.post_id)
            .join(User, User.id == PostHolder.user_id)
            .join(
                Member,
                (Member.user_id == PostHolder.user_id)
                & (Member.organisation_id == Post.organisation_id)
                & Member.left_at.is_(None),
            )
            .where(PostHolder.post_id.in_(post_ids))
            .order_by(PostHolder.id)
        )
        found: dict[int, list[UserRecord]] = defaultdict(list)
        for post_id, user in rows:
            found[post_id].append(_user(user))
        return found

    async def named(self, organisation_id: int, name: str) -> PostRecord | None:
        """The organisation's post of this name."""
        posts = await self.of_organisation(organisation_id)
        return next((post for post in posts if post.name == name), None)

    async def of_holder(self, organisation_id: int, user_id: int) -> list[PostRecord]:
        """The posts of the organisation this user holds."""
        posts = await self.of_organisation(organisation_id)
        return [post for post in posts if any(h.id == user_id for h in post.holders)]

    async def held_by(self, user_id: int) -> list[PostRecord]:
        """Every post the user holds, in any organisation where they are still a member."""
        org_ids = await self._session.scalars(
            select(Post.organisation_id)
            .join(PostHolder, PostHolder.post_id == Post.id)
            .where(PostHolder.user_id == user_id)
            .distinct()
        )
        posts = await self.of_organisations(list(org_ids))
        return [post for post in posts if any(h.id == user_id for h in post.holders)]

    async def add(
        self, organisation_id: int, name: str, duties: str, by: int | None, now: datetime
    ) -> PostRecord | None:
        """A new post; None when the organisation has one of this name (race-free)."""
        insert = dialect_insert(self._session)(Post).values(
            organisation_id=organisation_id,
            name=name,
            duties=duties,
            created_by=by,
            created_at=now,
        )
        post_id = await self._session.scalar(
            insert.on_conflict_do_nothing(index_elements=["organisation_id", "name"]).returning(
                Post.id
            )
        )
        if post_id is None:
            return None
        return PostRecord(id=post_id, organisation_id=organisation_id, name=name, duties=duties)

    async def remove(self, post_id: int) -> bool:
        """Delete the post and its holders; its reports keep the post's name."""
        result = await self._session.execute(delete(Post).where(Post.id == post_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def assign(self, post_id: int, user_id: int, by: int | None, now: datetime) -> bool:
        """Give the user the post; False when they hold it already."""
        insert = dialect_insert(self._session)(PostHolder).values(
            post_id=post_id, user_id=user_id, assigned_at=now, assigned_by=by
        )
        held = await self._session.scalar(
            insert.on_conflict_do_nothing(index_elements=["post_id", "user_id"]).returning(
                PostHolder.id
            )
        )
        return held is not None

    async def unassign(self, post_id: int, user_id: int) -> bool:
        """Take the post from the user; False when they did not hold it."""
        result = await self._session.execute(
            delete(PostHolder).where(PostHolder.post_id == post_id, PostHolder.user_id == user_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def add_report(
        self,
        organisation_id: int,
        post: PostRecord | None,
        user_id: int,
        text: str,
        photo_file_id: str | None,
        now: datetime,
    ) -> int:
        """Record a duty report; its id."""
        row = DutyReport(
            organisation_id=organisation_id,
            post_id=post.id if post else None,
            post_name=post.name if post else "",
            user_id=user_id,
            text=text,
            photo_file_id=photo_file_id,
            reported_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def reports(
        self, org_ids: Collection[int], start: datetime, end: datetime
    ) -> list[DutyReportRecord]:
        """Reports of the organisations filed in [start, end), oldest first."""
        if not org_ids:
            return []
        # Columns, not entities: a county's year is tens of thousands of reports, and ORM
        # objects (two per row, in the identity map) cost several times the query.
        users = await self._reporters(org_ids, start, end)
        rows = await self._session.execute(
            select(*_REPORT_COLUMNS)
            .where(
                DutyReport.organisation_id.in_(list(org_ids)),
                DutyReport.reported_at >= start,
                DutyReport.reported_at < end,
            )
            .order_by(DutyReport.reported_at, DutyReport.id)
        )
        return [
            DutyReportRecord(
                id=row.id,
                organisation_id=row.organisation_id,
                post_id=row.post_id,
                post_name=row.post_name,
                user=users[row.user_id],
                text=row.text,
                photo_file_id=row.photo_file_id,
                reported_at=row.reported_at,
            )
            for row in rows
        ]

    async def _reporters(
        self, org_ids: Collection[int], start: datetime, end: datetime
    ) -> dict[int, UserRecord]:
        """The people who reported in [start, end), by id (one record each)."""
        reporters = (
            select(DutyReport.user_id)
            .where(
                DutyReport.organisation_id.in_(list(org_ids)),
                DutyReport.reported_at >= start,
                DutyReport.reported_at < end,
            )
            .distinct()
        )
        found = await self._session.scalars(select(User).where(User.id.in_(reporters)))
        return {user.id: _user(user) for user in found}

    async def report(self, report_id: int) -> DutyReportRecord | None:
        """One report by id."""
        row = await self._session.execute(
            select(DutyReport, User)
            .join(User, User.id == DutyReport.user_id)
            .where(DutyReport.id == report_id)
        )
        found = row.first()
        return _report(*found) if found else None

    async def set_report_post(self, report_id: int, post: PostRecord) -> None:
        """Attach a report to the post its author picked."""
        await self._session.execute(
            update(DutyReport)
            .where(DutyReport.id == report_id)
            .values(post_id=post.id, post_name=post.name)
        )

    async def counts(
        self, org_ids: Collection[int], start: datetime, end: datetime
    ) -> dict[tuple[int, int], int]:
        """Reports per (organisation id, user id) filed in [start, end)."""
        return await duty_report_counts(self._session, org_ids, start, end)
