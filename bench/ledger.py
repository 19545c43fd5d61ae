"""A county's ledger (台账): build time, peak memory, and the bot's event loop meanwhile.

Seeds a county (300 organisations, 10,000 members, a year of meetings with answers and
check-ins, study topics with records and quiz answers; tests/ledger_seed.py) into a
temporary SQLite file (or an emptied PostgreSQL database with --postgres URL), then builds
the county's ledger for the year exactly as /ledger does: in a child process
(bot.core.sandbox) reading a read-only snapshot. Meanwhile a ticker in this event loop
wakes every 5 ms and records how late it woke: the worst stall another chat would see.

Prints seconds, the child's peak RSS, the worst stall and the file's size; with --writers
also times the two candidate XLSX libraries on the same sheets (in this process).

    .venv/bin/python bench/ledger.py [--orgs 300] [--members 10000] [--writers]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stall import idle_stall, ticker  # bench/stall.py

from bot.core.ledger import build_ledger
from bot.core.periods import parse_period
from bot.core.sandbox import run_isolated
from bot.core.spreadsheet import Kind, Sheet, write_workbook
from bot.services.ledger_build import build_ledger_file, read_snapshot
from bot.services.ledger_service import BUDGET
from bot.services.ledger_sheets import below_sheet, meetings_sheet, members_sheet, study_sheet
from storage.db import create_engine
from storage.migrate import upgrade
from storage.snapshot import read_only_session
from tests.conftest import reset_postgres
from tests.ledger_seed import Sizes, seed_county

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 31, 15, 0, tzinfo=UTC)  # 23:00 on New Year's Eve in Beijing


async def seed(url: str, sizes: Sizes) -> dict[str, int]:
    """Migrate and fill the database; the counts written."""
    await upgrade(url)
    engine = create_engine(url)
    async with engine.begin() as connection:
        counts = await seed_county(connection, sizes)
    await engine.dispose()
    return counts


async def build_in_child(url: str) -> tuple[float, float, int]:
    """Seconds, worst stall (s) and file size of the county's ledger built as /ledger does."""
    period = parse_period("2026年", NOW.astimezone(TZ).date())
    stop, worst = asyncio.Event(), [0.0]
    ticking = asyncio.create_task(ticker(stop, worst))
    await asyncio.sleep(0.05)
    start = time.perf_counter()
    ledger = await run_isolated(build_ledger_file, url, 1, period, TZ.key, NOW, budget=BUDGET)
    seconds = time.perf_counter() - start
    stop.set()
    await ticking
    return seconds, worst[0], len(ledger.content)


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=300)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--postgres", help="an empty PostgreSQL database URL (emptied first)")
    parser.add_argument("--writers", action="store_true", help="also compare XLSX libraries")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.postgres or f"sqlite+aiosqlite:///{folder}/county.db"
        if args.postgres:
            await reset_postgres(url)
        counts = await seed(url, Sizes(orgs=args.orgs, members=args.members))
        print("seeded:", ", ".join(f"{k} {v:,}" for k, v in counts.items()))
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
