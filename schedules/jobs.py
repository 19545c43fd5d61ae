"""How every repeating job is started."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from bot.context import AppApplication, AppContext

# Late ticks are harmless (the database decides what is due); never skip one, never pile up.
JOB_KWARGS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


def repeat(
    application: AppApplication,
    callback: Callable[[AppContext], Coroutine[Any, Any, object]],
    *,
    every: timedelta,
    first: timedelta,
    name: str,
) -> None:
    """Run `callback` every `every`, the first time after `first`."""
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        callback, interval=every, first=first, name=name, job_kwargs=JOB_KWARGS
    )
