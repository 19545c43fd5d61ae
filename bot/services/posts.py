"""设岗定责 inside a caller's transaction: the board, and the monthly reminder in the outbox.

One reminder day a month (ALERT_DAYS_BEFORE days before it ends, the 三会一课 warning day):
a fan-out row `duty:<YYYY-MM>` is stored ahead with that due time. When it falls due it
queues, per holder of a post with no report that month, one private reminder
(`duty:<month>:dm:<org>:<user>`) or, for holders the bot cannot message, one mention in each
group of their organisation (`duty:<month>:group:<org>:<chat>`). The keys make each
reminder once per member and month, whatever restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.checkup import PeriodKind, alert_at, period_of
from bot.core.posts import Holding, without_reports
from bot.services.checkup import Moment
from storage.records import DutyReportRecord, PostRecord, UserRecord
from storage.repositories import ChatRepo, DeliveryRepo
from storage.repositories.posts import PostRepo, duty_report_counts

RUN = "duty_run"
REMIND_DM = "duty_remind"
REMIND_GROUP = "duty_remind_group"


@dataclass(frozen=True, slots=True)
class BoardHolder:
    """A holder of a post and their reports in the period."""

    user: UserRecord
    count: int


@dataclass(frozen=True, slots=True)
class BoardPost:
    """A post with its duties and holders."""

    id: int
    org_id: int
    name: str
    duties: str
    holders: tuple[BoardHolder, ...]


@dataclass(frozen=True, slots=True)
class Board:
    """设岗定责 of one organisation over a period: its posts and the reports filed."""

    org_id: int
    org: str
    period: str  # its label: 2026年12月
    posts: tuple[BoardPost, ...]
    reports: tuple[DutyReportRecord, ...]


def month_label(at: Moment) -> str:
    """2026年12月."""
    today = at.today
    return f"{today.year}年{today.month}月"


async def board(
    session: AsyncSession, org_id: int, org: str, span: tuple[datetime, datetime], label: str
) -> Board:
    """The organisation's posts with each holder's report count in [start, end)."""
    repo = PostRepo(session)
    posts = await repo.of_organisation(org_id)
    reports = await repo.reports([org_id], *span)
    counts: dict[tuple[int | None, int], int] = {}
    for report in reports:
        key = (report.post_id, report.user.id)
        counts[key] = counts.get(key, 0) + 1
    shown = tuple(
        BoardPost(
            post.id,
            post.organisation_id,
            post.name,
            post.duties,
            tuple(BoardHolder(h, counts.get((post.id, h.id), 0)) for h in post.holders),
        )
        for post in posts
    )
    return Board(org_id, org, label, shown, tuple(reports))


def holdings(posts: list[PostRecord]) -> list[Holding]:
    """Each (post, holder) pair as plain values."""
    return [Holding(p.organisation_id, p.name, h.id) for p in posts for h in p.holders]


async def plan(session: AsyncSession, at: Moment, days_before: int) -> int:
    """Store the reminder runs of this month (if still ahead) and of the next; how many new."""
    month = period_of(PeriodKind.MONTH, at.today)
    following = period_of(PeriodKind.MONTH, month.end)
    added = 0
    for period in (month, following):
        due = alert_at(period, days_before, at.tz)
        if due <= at.now:
            continue
        added += await DeliveryRepo(session).enqueue(
            key=f"duty:{period.key}",
            kind=RUN,
            chat_id=0,  # a fan-out: it sends nothing itself
            due_at=due,
            now=at.now,
            payload={"month": period.key},
            expires_at=period.bounds(at.tz)[1],
        )
    return added


async def missing(
    session: AsyncSession, at: Moment, org_ids: list[int] | None = None
) -> tuple[dict[tuple[int, int], list[str]], dict[int, UserRecord]]:
    """Holders with no report this month: (organisation, user) -> their posts there; and
    the users by id."""
    posts = await PostRepo(session).of_organisations(org_ids)
    start, end = period_of(PeriodKind.MONTH, at.today).bounds(at.tz)
    orgs = sorted({p.organisation_id for p in posts})
    counts = await duty_report_counts(session, orgs, start, end)
    users = {h.id: h for p in posts for h in p.holders}
    return without_reports(holdings(posts), counts), users


async def run(session: AsyncSession, month_key: str, at: Moment) -> int:
    """The reminder day: queue a private reminder for each holder without a report who can
    be messaged, and one group mention per organisation for those who cannot."""
    month = period_of(PeriodKind.MONTH, at.today)
    if month.key != month_key:
        return 0
    behind, users = await missing(session, at)
    expires = month.bounds(at.tz)[1]
    repo, queued = DeliveryRepo(session), 0
    quiet: dict[int, list[int]] = {}
    for (org_id, user_id), _posts in sorted(behind.items()):
        if not users[user_id].can_dm:
            quiet.setdefault(org_id, []).append(user_id)
            continue
        queued += await repo.enqueue(
            key=f"duty:{month.key}:dm:{org_id}:{user_id}",
            kind=REMIND_DM,
            chat_id=user_id,
            due_at=at.now,
            now=at.now,
            payload={"month": month.key, "org": org_id},
            expires_at=expires,
        )
    chats = await ChatRepo(session).for_organisations(sorted(quiet)) if quiet else []
    for chat in chats:
        assert chat.organisation_id is not None
        queued += await repo.enqueue(
            key=f"duty:{month.key}:group:{chat.organisation_id}:{chat.telegram_id}",
            kind=REMIND_GROUP,
            chat_id=chat.telegram_id,
            due_at=at.now,
            now=at.now,
            payload={"month": month.key, "org": chat.organisation_id},
            expires_at=expires,
        )
    return queued
