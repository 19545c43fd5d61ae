"""A county's ledger (台账): build time, peak memory, and the bot's event loop meanwhile.

Seeds the county of bench/_county.py (300 organisations, 10,000 members, a year of meetings
with answers and check-ins, study topics with records and quiz answers) into a temporary
SQLite file (or an emptied PostgreSQL database with --postgres URL), then builds
the county's ledger for the year exactly as /ledger does: in a child process
(bot.core.sandbox) reading a read-only snapshot. Meanwhile a ticker in this event loop
wakes every 5 ms and records how late it woke: the worst stall another chat would see.

Prints seconds, the child's peak RSS, the worst stall and the file's size; with --writers
also times the two candidate XLSX libraries on the same sheets (in this process).

    .venv/bin/python bench/ledger.py [--orgs 300] [--members 10000] [--writers]
"""

from __future__ import annotations

import asyncio
import io
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _county import TZ, county_parser, seeded_county  # bench/_county.py
from _county import YEAR_END as NOW
from stall import idle_stall, watched  # bench/stall.py

from bot.core.ledger import build_ledger
from bot.core.periods import parse_period
from bot.core.sandbox import run_isolated
from bot.core.spreadsheet import Kind, Sheet, write_workbook
from bot.services.ledger_build import build_ledger_file, read_snapshot
from bot.services.ledger_service import BUDGET
from bot.services.ledger_sheets import below_sheet, meetings_sheet, members_sheet, study_sheet
from storage.snapshot import read_only_session


async def build_in_child(url: str) -> tuple[float, float, int]:
    """Seconds, worst stall (s) and file size of the county's ledger built as /ledger does."""
    period = parse_period("2026年", NOW.astimezone(TZ).date())
    built = await watched(
        lambda: run_isolated(build_ledger_file, url, 1, period, TZ.key, NOW, budget=BUDGET)
    )
    return built.seconds, built.stall, len(built.result.content)


def openpyxl_workbook(sheets: list[Sheet]) -> bytes:
    """The same sheets through openpyxl's write-only mode (the measured alternative)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    formats = {Kind.DATETIME: "yyyy-mm-dd hh:mm", Kind.PERCENT: "0.0%", Kind.DECIMAL: "0.0"}
    book = Workbook(write_only=True)
    for data in sheets:
        sheet = book.create_sheet(data.name)
        sheet.freeze_panes = "A3"
        sheet.append([data.title])
        sheet.append([column.header for column in data.columns])
        for row in data.rows:
            cells = []
            for value, column in zip(row, data.columns, strict=True):
                cell = WriteOnlyCell(sheet, value=value)
                if column.kind in formats:
                    cell.number_format = formats[column.kind]
                cells.append(cell)
            sheet.append(cells)
        sheet.auto_filter.ref = f"A2:{chr(64 + min(len(data.columns), 26))}{len(data.rows) + 2}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def compare_writers(url: str) -> None:
    """Time XlsxWriter and openpyxl write-only on the county's sheets."""
    period = parse_period("2026年", NOW.astimezone(TZ).date())
    async with read_only_session(url) as session:
        snapshot = await read_snapshot(session, 1, period, TZ, NOW)
    ledger = build_ledger(snapshot)
    sheets = [meetings_sheet(ledger), study_sheet(ledger), members_sheet(ledger)]
    sheets.append(below_sheet(ledger))
    cells = sum(len(s.rows) * len(s.columns) for s in sheets)
    print(f"writers on {cells:,} cells:")
    for name, write in (
        ("XlsxWriter", write_workbook),
        ("openpyxl write-only", openpyxl_workbook),
    ):
        tracemalloc.start()
        start = time.perf_counter()
        size = len(write(sheets))
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"  {name:20} {seconds:5.2f} s, +{peak:4.0f} MB traced, {size / 1024:,.0f} KB")


async def main() -> None:
    """Seed, build, print."""
    parser = county_parser(__doc__)
    parser.add_argument("--writers", action="store_true", help="also compare XLSX libraries")
    args = parser.parse_args()
    async with seeded_county(args) as url:
        seconds, stall, size = await build_in_child(url)
        child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"county ledger (year): {seconds:.2f} s, child peak RSS {child_rss:.0f} MB,"
            f" worst event-loop stall {stall * 1000:.1f} ms, file {size / 1024:,.0f} KB"
        )
        print("goal: <= 10 s, <= 300 MB, stall <= 50 ms")
        idle = await idle_stall(min(seconds, 10.0))
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"the same ticker with nothing building: worst {idle * 1000:.1f} ms; load {load}")
        if args.writers:
            await compare_writers(url)


if __name__ == "__main__":
    asyncio.run(main())
