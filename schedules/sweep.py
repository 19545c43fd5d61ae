"""The repeating outbox sweep (design.md: the database, not the scheduler, decides)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, cast

from telegram.ext import Application, JobQueue

from bot.context import AppContext, Runtime
from bot.services.outbox import Outbox, SweepReport

log = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(seconds=2)
JOB_NAME = "sweep_due_deliveries"


def outbox_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Outbox:
    """The sweep's view of the application."""
    runtime: Runtime = application.bot_data.runtime
    return Outbox(bot=application.bot, sessions=runtime.sessions, clock=runtime.clock)


async def sweep_due_deliveries(context: AppContext) -> None:
    """Start a sweep of what is due, unless one is running (it will pick that up too).

    The sweep runs as the application's task, not inside the job: a long broadcast would
    otherwise hold the job and APScheduler would warn about every skipped tick.
    """
    senders = context.runtime.senders
    if not senders.sweeping:
        context.application.create_task(_sweep(context.application), name=JOB_NAME)


async def _sweep(application: Application[Any, Any, Any, Any, Any, Any]) -> SweepReport:
    runtime: Runtime = application.bot_data.runtime
    report = await runtime.senders.sweep(outbox_of(application))
    if report.errors:
        log.warning("Sweep could not deliver: %s", "; ".join(report.errors))
    return report


def kick(context: AppContext) -> None:
    """Sweep right away (something became due now) instead of waiting for the next tick."""
    job_queue = cast("JobQueue[AppContext] | None", context.job_queue)
    if job_queue is not None:
        job_queue.run_once(sweep_due_deliveries, 0)


def setup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Start the repeating sweep."""
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        sweep_due_deliveries,
        interval=SWEEP_EVERY,
        first=timedelta(seconds=1),
        name=JOB_NAME,
        # Late ticks are harmless (the outbox decides what is due); never skip one.
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
