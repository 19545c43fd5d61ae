"""Score Chinese time parsers on the table of tests/test_timeparse.py.

For each parser: installed size (with its dependencies), import plus first call (fresh
process, best of 3), cases read right, bad input rejected, and the time per call.
Libraries get the same thin wrapper an integration would add: a result not after ``now`` is
rejected, and so is jionlp's whole-day answer to a date without a time.

Reproduce (the libraries go into a throwaway venv, never into the project's):

    python3 -m venv /tmp/tp && /tmp/tp/bin/pip install -q jionlp dateparser pytest
    PYTHONPATH=. /tmp/tp/bin/python bench/timeparse.py [-v]

Without them it scores this project's parser only: ``.venv/bin/python bench/timeparse.py``.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core import timeparse
from tests.test_timeparse import (
    INVALID_AT_NOW,
    INVALID_AT_YEAR_END,
    NOW,
    SHANGHAI,
    VALID_AT_NOW,
    VALID_AT_YEAR_END,
    YEAR_END,
)

Parser = Callable[[str, datetime, ZoneInfo], datetime]


class Rejected(Exception):
    """The parser gave no usable answer."""


def _not_past(moment: datetime, now: datetime) -> datetime:
    """The check every integration adds: a meeting time must lie ahead."""
    if moment <= now:
        raise Rejected
    return moment


def parse_with_jionlp(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """jionlp.parse_time, its start instant, with whole days rejected."""
    import jionlp

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        result: dict[str, Any] = jionlp.parse_time(text, time_base=now.replace(tzinfo=None))
    if result.get("type") != "time_point":
        raise Rejected
    start, end = (datetime.fromisoformat(moment) for moment in result["time"])
    if end - start >= timedelta(hours=23):  # a date without a time
        raise Rejected
    return _not_past(start.replace(tzinfo=tz), now)


def parse_with_dateparser(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """dateparser.parse in Chinese, preferring future dates."""
    import dateparser

    settings = {
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "TIMEZONE": tz.key,
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    moment = dateparser.parse(text, languages=["zh"], settings=settings)
    if moment is None:
        raise Rejected
    return _not_past(moment.replace(tzinfo=tz), now)


PARSERS: dict[str, tuple[str, Parser, str]] = {
    # name: (module to import, parser, first call for the import timing)
    "bot.core.timeparse": ("bot.core.timeparse", timeparse.parse_meeting_time, "pass"),
    "jionlp": ("jionlp", parse_with_jionlp, "jionlp.parse_time('明天下午3点')"),
    "dateparser": (
        "dateparser",
        parse_with_dateparser,
        "dateparser.parse('明天', languages=['zh'])",
    ),
}


def answer(parser: Parser, text: str, now: datetime) -> datetime | None:
    """The parser's answer, or None when it rejects the text (or crashes on it)."""
    try:
        return parser(text, now, SHANGHAI)
    except Exception:  # any failure counts as a rejection
        return None


def score(parser: Parser, verbose: bool) -> tuple[int, int, int, int]:
    """(valid read right, valid total, bad rejected, bad total) over the whole table."""
    valid = [(t, e, NOW) for t, e in VALID_AT_NOW] + [
        (t, e, YEAR_END) for t, e in VALID_AT_YEAR_END
    ]
    bad = [(t, NOW) for t, _ in INVALID_AT_NOW] + [(t, YEAR_END) for t, _ in INVALID_AT_YEAR_END]
    right = 0
    for text, expected, now in valid:
        got = answer(parser, text, now)
        right += got == expected
        if verbose and got != expected:
            print(f"    miss   {text!r}: {got} (want {expected})")
    rejected = 0
    for text, now in bad:
        got = answer(parser, text, now)
        rejected += got is None
        if verbose and got is not None:
            print(f"    accept {text!r}: {got}")
    return right, len(valid), rejected, len(bad)


def installed_size(dist_name: str) -> int:
    """Bytes on disk of a distribution and everything it requires (installed ones)."""
    seen: set[str] = set()
    pending = [dist_name]
    total = 0
    while pending:
        name = pending.pop().lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        total += sum(f.locate().stat().st_size for f in dist.files or [] if f.locate().exists())
        for requirement in dist.requires or []:
            if "extra ==" not in requirement:
                pending.append(re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0])
    return total


def import_seconds(module: str, first_call: str) -> float:
    """Import (and first call) time in a fresh interpreter, best of three."""
    code = (
        "import time; t = time.perf_counter(); "
        f"import {module}; {first_call}; print(time.perf_counter() - t)"
    )
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                check=True,
                cwd=Path(__file__).resolve().parent.parent,
            ).stdout.split()[-1]
        )
        for _ in range(3)
    ]
    return min(runs)


def microseconds_per_call(parser: Parser) -> float:
    """Mean time per call over the valid cases, for about half a second."""
    texts = [text for text, _ in VALID_AT_NOW]
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < 0.5:
        for text in texts:
            answer(parser, text, NOW)
        calls += len(texts)
    return (time.perf_counter() - start) / calls * 1e6


def main() -> None:
    """Print one line per parser that is installed here."""
    verbose = "-v" in sys.argv
    print(f"{'parser':20} {'installed':>10} {'import+1st':>10} {'valid':>7} {'bad':>7}  µs/call")
    for name, (module, parser, first_call) in PARSERS.items():
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner
                __import__(module)
        except ImportError:
            print(f"{name:20} not installed")
            continue
        own = name.startswith("bot.")
        size = Path(timeparse.__file__).stat().st_size if own else installed_size(name)
        seconds = import_seconds(module, first_call)
        right, valid, rejected, bad = score(parser, verbose)
        print(
            f"{name:20} {size / 1e6:>8.2f}MB {seconds:>9.3f}s {right:>3}/{valid:<3} "
            f"{rejected:>3}/{bad:<3} {microseconds_per_call(parser):>8.0f}"
        )


if __name__ == "__main__":
    main()
