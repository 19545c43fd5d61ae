"""`ledger export --org 名称 --period 2026Q4 --out FILE.xlsx`: the 台账 without Telegram.

The same workbook /ledger sends, read from a read-only snapshot of DATABASE_URL. Every
failure is one line on stderr and exit code 1; nothing is written then.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

# Everything the export needs is imported where it runs (bot/cli/checks.py says why).
if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from bot.core.ledger_rows import LedgerFile


async def _export(url: str, name: str, period_text: str, tz: ZoneInfo) -> LedgerFile:
    from bot import texts as common
    from bot.core.clock import SystemClock
    from bot.core.errors import NotFound
    from bot.core.periods import parse_period
    from bot.services.ledger_build import build_from, span, subtree_repo
    from bot.texts import ledger as texts
    from storage.repositories import OrganisationRepo
    from storage.snapshot import read_only_session

    now = SystemClock().now()
    period = parse_period(period_text, now.astimezone(tz).date())
    async with read_only_session(url) as session:
        org = await OrganisationRepo(session).by_name(name)
        if org is None:
            raise NotFound(common.ORG_NOT_FOUND.format(name=name))
        repo = await subtree_repo(session, org.id)
        if not await repo.count_meetings(*span(period, tz, now)):
            raise NotFound(
                texts.NO_MEETINGS.format(org=org.name, period=period.label, span=period.span_text)
            )
    return await build_from(url, org.id, period, tz, now)


def _fail(message: str) -> int:
    print(" ".join(message.split()), file=sys.stderr)
    return 1


def export(args: argparse.Namespace) -> int:
    """Write the organisation's ledger over the period to --out."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot import texts as common
    from bot.config import load_settings
    from bot.core.errors import UserFacingError

    settings = load_settings()
    out: Path = args.out
    try:
        ledger = asyncio.run(
            _export(settings.database_url, args.org, args.period, settings.timezone)
        )
    except UserFacingError as exc:
        return _fail(f"Not exported: {common.error_text(exc)}")
    except (SQLAlchemyError, OSError) as exc:
        return _fail(f"Cannot read the database: {exc.__class__.__name__}: {exc}")
    try:
        out.write_bytes(ledger.content)
    except OSError as exc:
        return _fail(f"Cannot write {out}: {exc.strerror or exc}")
    print(
        f"Wrote {out} ({ledger.org}, {ledger.period}): {ledger.meetings} meetings, "
        f"{ledger.topics} topics, {ledger.members} members, {ledger.below} organisations below"
    )
    return 0


def register(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `ledger export`."""
    ledger = verbs.add_parser("ledger", help="export an organisation's ledger (台账) as XLSX")
    ledger.set_defaults(func=lambda _args: ledger.print_help() or 0)
    actions = ledger.add_subparsers(title="actions", metavar="{export}")
    exporter = actions.add_parser(
        "export",
        help="write the ledger of an organisation and those below it over a period",
        description="Sheets 会议台账, 学习台账, 党员 and (with organisations below) 下级组织,"
        " read from a read-only snapshot of DATABASE_URL.",
    )
    exporter.add_argument("--org", required=True, help="the organisation's name, e.g. 城关镇党委")
    exporter.add_argument(
        "--period",
        default="",
        help="2026年, 2026年第4季度 or 2026Q4, 2026年11月, 本月, 上季度, or"
        " 2026-09-01至2026-11-30 (default: the current quarter)",
    )
    exporter.add_argument("--out", required=True, type=Path, help="the .xlsx file to write")
    exporter.set_defaults(func=export)
