"""The ledger's 设岗定责 sheet: each post, holder and duties, with the reports filed in the
period (dates and text). Read inside the ledger's read-only snapshot transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.ledger_snapshot import OrgInfo
from bot.core.periods import Period
from bot.core.spreadsheet import Column, Kind, Sheet
from bot.texts import ledger as ledger_texts
from bot.texts import posts as texts
from storage.records import DutyReportRecord
from storage.repositories.posts import PostRepo


@dataclass(slots=True)
class DutyRow:
    """One line of the sheet: a post and a holder (or a past holder who reported)."""

    org: str
    post: str
    duties: str
    holder: str
    reports: list[DutyReportRecord] = field(default_factory=list)


async def duty_rows(
    session: AsyncSession, orgs: list[OrgInfo], span: tuple[datetime, datetime]
) -> list[DutyRow]:
    """The rows of the organisations' posts over [start, end): current holders first, then
    reports of posts since removed or of members who no longer hold them."""
    names = {org.id: org.name for org in orgs}
    repo = PostRepo(session)
    posts = await repo.of_organisations(list(names))
    rows: dict[tuple[int, int | None, int | None], DutyRow] = {}
    duties = {post.id: post.duties for post in posts}
    for post in posts:
        org = names[post.organisation_id]
        for holder in post.holders:
            rows[(post.organisation_id, post.id, holder.id)] = DutyRow(
                org, post.name, post.duties, holder.name
            )
        if not post.holders:
            rows[(post.organisation_id, post.id, None)] = DutyRow(
                org, post.name, post.duties, texts.NO_HOLDER
            )
    for report in await repo.reports(list(names), *span):
        key = (report.organisation_id, report.post_id, report.user.id)
        if key not in rows:
            post_name = report.post_name + (texts.REMOVED_POST if report.post_id is None else "")
            rows[key] = DutyRow(
                names[report.organisation_id],
                post_name,
                duties.get(report.post_id or 0, ""),
                report.user.name,
            )
        rows[key].reports.append(report)
    return list(rows.values())


def duty_sheet(
    rows: list[DutyRow], org: str, period: Period, tz: ZoneInfo, has_below: bool
) -> Sheet | None:
    """The 设岗定责 sheet (None when the organisations have neither posts nor reports)."""
    if not rows:
        return None
    lead = [Column(texts.ORG)] if has_below else []
    columns = [
        *lead,
        *(Column(h) for h in texts.COLUMNS[:3]),
        Column(texts.COLUMNS[3], Kind.INT),
        Column(texts.COLUMNS[4]),
    ]
    values: list[list[Any]] = []
    for row in rows:
        lines = "\n".join(
            texts.LEDGER_LINE.format(
                date=r.reported_at.astimezone(tz).strftime("%Y-%m-%d"), text=r.text
            )
            for r in row.reports
        )
        cells = [row.post, row.duties, row.holder, len(row.reports), lines]
        values.append([row.org, *cells] if has_below else cells)
    title = ledger_texts.TITLE.format(
        org=org, sheet=texts.SHEET, period=period.label, span=period.span_text
    )
    return Sheet(texts.SHEET, title, columns, list(values))
