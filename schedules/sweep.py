"""The repeating outbox sweep (design.md: the database, not the scheduler, decides).

A delivery due now wakes the sweep itself after its commit; this tick catches what becomes
due with the passing of time (reminders) and what another process enqueued.
"""

from __future__ import annotations

from datetime import timedelta

from bot.context import AppApplication, AppContext
from bot.services.processes import BEAT_EVERY
from schedules.jobs import repeat

SWEEP_EVERY = timedelta(seconds=2)
JOB_NAME = "sweep_due_deliveries"


async def sweep_due_deliveries(context: AppContext) -> None:
    """Start a sweep of what is due (it runs beside the job: a broadcast can take minutes)."""
    context.runtime.sweeper.wake()


async def beat(context: AppContext) -> None:
    """This process is alive: the processes of the bot share Telegram's budgets."""
    await context.services.processes.beat()


def setup(application: AppApplication) -> None:
    """Start the repeating sweep and the heartbeat."""
    repeat(application, beat, every=BEAT_EVERY, first=timedelta(0), name="heartbeat")
    repeat(
        application,
        sweep_due_deliveries,
        every=SWEEP_EVERY,
        first=timedelta(seconds=1),
        name=JOB_NAME,
    )
