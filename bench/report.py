"""A county's /report: drawing time, peak memory, and the bot's event loop meanwhile.

Seeds the county of bench/_county.py (300 organisations, 10,000 members, a year of meetings,
answers, topics) into a temporary SQLite file (or an emptied PostgreSQL database with
--postgres URL), then draws the county committee's charts for the year exactly as /report
does: in a child process (bot.core.sandbox) from a read-only snapshot. A ticker in this
event loop records the worst stall another chat would see. Also times one branch's quarter.

    .venv/bin/python bench/report.py [--orgs 300] [--members 10000] [--save DIR]
"""

from __future__ import annotations

import asyncio
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _county import TZ, county_parser, seeded_county  # bench/_county.py
from _county import YEAR_END as NOW
from stall import idle_stall, watched  # bench/stall.py

from bot.core.charts import ReportCharts
from bot.core.periods import parse_period
from bot.core.sandbox import run_isolated
from bot.services.report_build import build_report_charts
from bot.services.report_service import BUDGET


async def draw(url: str, org_id: int, period_text: str) -> tuple[float, float, ReportCharts]:
    """Seconds, worst stall (s) and the charts of `org_id` over the period, as /report."""
    period = parse_period(period_text, NOW.astimezone(TZ).date())
    drawn = await watched(
        lambda: run_isolated(build_report_charts, url, org_id, period, TZ.key, NOW, budget=BUDGET)
    )
    return drawn.seconds, drawn.stall, drawn.result


def describe(charts: ReportCharts) -> str:
    sizes = ", ".join(f"{c.width}x{c.height} {len(c.content) // 1024} KB" for c in charts.charts)
    warned = sum(len(c.warnings) for c in charts.charts)
    return f"{len(charts.charts)} charts ({sizes}), {warned} drawing warnings"


async def main() -> None:
    """Seed, draw, print."""
    parser = county_parser(__doc__)
    parser.add_argument("--save", type=Path, help="a folder to write the PNGs into, to look at")
    args = parser.parse_args()
    async with seeded_county(args) as url:
        for label, org_id, period in (("county (year)", 1, "2026年"), ("org 3 (Q4)", 3, "2026Q4")):
            seconds, stall, charts = await draw(url, org_id, period)
            rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(
                f"{label}: {seconds:.2f} s, children's peak RSS {rss:.0f} MB, worst event-loop"
                f" stall {stall * 1000:.1f} ms; {describe(charts)}"
            )
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                for chart in charts.charts:
                    (args.save / chart.filename).write_bytes(chart.content)
        noise = await idle_stall(5.0)
        print(f"baseline (nothing drawing, 5 s): worst stall {noise * 1000:.1f} ms")
        print("goal: stall <= 50 ms; within the budget of", BUDGET)


if __name__ == "__main__":
    asyncio.run(main())
