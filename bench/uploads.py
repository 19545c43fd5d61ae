"""Upload hardening benchmark: each hostile file through the bounded, off-loop readers.

Run:  .venv/bin/python bench/uploads.py        (about 15 s on the 2-core machine)

Each file is read in a fresh bench process (so that one file's peak memory does not hide
the next), through the same call the services make (bot.core.uploads). Printed per file:
the wall-clock time until the reply, the growth of the parent's peak RSS, the parse
child's peak RSS, and the start of the message. Targets (issue 9, "Hardening"): every
hostile file refused in well under 2 s, the parent growing < 50 MB. The first rows are
the ordinary files, for the cost of the child process itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core import uploads  # noqa: E402 - after the path set-up, for `python bench/uploads.py`
from bot.core.errors import UserFacingError  # noqa: E402
from bot.core.study_files import (  # noqa: E402
    example_topics,
    template_csv,
    template_xlsx,
    template_yaml,
)
from tests import hostile_files as hostile  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
TOPICS = example_topics(NOW, TZ)
FILES: dict[str, Callable[[], bytes]] = {
    "template.yaml": lambda: template_yaml(TOPICS),
    "template.csv": lambda: template_csv(TOPICS),
    "template.xlsx": lambda: template_xlsx(TOPICS),
    "alias-bomb.yaml": hostile.alias_bomb_yaml,
    "faq-alias-bomb.yaml": hostile.faq_alias_bomb_yaml,
    "deep-5000.yaml": hostile.deep_yaml,
    "flat-300k-nodes.yaml": hostile.flat_yaml,
    "rows-550k.xlsx": hostile.many_rows_xlsx,
    "rows-110k.xlsx": lambda: hostile.many_rows_xlsx(110_000),
    "sheets-3x100k.xlsx": lambda: hostile.many_sheets_xlsx(3, 100_000),
    "zip-bomb-900MB.xlsx": lambda: hostile.zip_bomb_xlsx(900),
    "junk-xml.xlsx": hostile.junk_xml_xlsx,
    "rows-5k.csv": lambda: b"title\n" + b"x\n" * 5_000,
    "spaces-100k.csv": lambda: ("title,materials\nx,a" + " " * 100_000 + "b\n").encode(),
    "too-big.yaml": lambda: b"#" * 1_000_001,
}


def maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size so far, in MB (Linux reports KB)."""
    return resource.getrusage(who).ru_maxrss / 1024


async def parse(name: str, content: bytes) -> str:
    """What the user would be told: the import's outcome or its error."""
    try:
        if name.startswith("faq-"):
            entries = await uploads.read_faq_base(content.decode(), filename=name, org_id=1)
            return f"ok, {len(entries)} entries"
        drafts = await uploads.read_study_plan((name, content), NOW, TZ)
    except UserFacingError as exc:
        return str(exc).replace("计划文件有1处错误，没有导入任何主题：\n", "").replace("\n", " ")
    return f"ok, {len(drafts)} topics"


def measure_one(name: str, path: Path) -> None:
    """In a fresh process: time one file's parse and the parent's growth; print JSON."""
    content = path.read_bytes()
    asyncio.run(parse("template.yaml", template_yaml(TOPICS)))  # warm the loop and imports
    before = maxrss_mb()
    start = time.perf_counter()
    message = asyncio.run(parse(name, content))
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds": seconds,
                "parent_growth_mb": maxrss_mb() - before,
                "child_peak_mb": maxrss_mb(resource.RUSAGE_CHILDREN),
                "message": message,
            },
            ensure_ascii=False,
        )
    )


def main() -> None:
    """Write every file to a temporary folder, then measure each in its own process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs=2, metavar=("NAME", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        measure_one(args.one[0], Path(args.one[1]))
        return
    print(f"{'file':22} {'size':>9} {'time':>7} {'parent':>8} {'child':>7}  reply")
    worst_time = worst_growth = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name, make in FILES.items():
            path = Path(folder) / name
            path.write_bytes(make())
            run = [sys.executable, __file__, "--one", name, str(path)]
            result = json.loads(subprocess.run(run, capture_output=True, check=True).stdout)
            if not name.startswith("template"):
                worst_time = max(worst_time, result["seconds"])
                worst_growth = max(worst_growth, result["parent_growth_mb"])
            print(
                f"{name:22} {path.stat().st_size:>9,} {result['seconds']:>6.2f}s"
                f" {result['parent_growth_mb']:>+6.1f}MB {result['child_peak_mb']:>5.0f}MB"
                f"  {result['message'][:48]}"
            )
    print(f"hostile files: slowest {worst_time:.2f} s (target < 2 s),", end=" ")
    print(f"parent grew at most {worst_growth:.1f} MB (target < 50 MB)")


if __name__ == "__main__":
    main()
