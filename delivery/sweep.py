"""The outbox sweep: send every due delivery once, through the rate-limited bot.

It runs when woken (a committed delivery is due now) and on a timer (schedules/sweep.py),
one sweep at a time per process; several processes share the work through the outbox's
atomic claim.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from telegram import Bot
from telegram.error import TelegramError

from bot.services.outbox import Attempt, Outbox, Outcome, SweepReport
from delivery.calls import classify, send
from storage.records import DeliveryRecord

log = logging.getLogger(__name__)

STOP_WAIT = 10.0  # seconds a stopping process gives the message in flight


class Sweeper:
    """Claims due deliveries, has them composed, sends them and records the outcome."""

    def __init__(self, bot: Bot, outbox: Outbox) -> None:
        self._bot, self._outbox = bot, outbox
        self._lock = asyncio.Lock()
        self._again = False
        self._task: asyncio.Task[SweepReport] | None = None
        # When the sweep last finished a pass over due deliveries (the injected clock): the
        # health check's sign that it runs. A long broadcast finishes a pass every batch.
        self.last_sweep: datetime | None = None

    def wake(self) -> None:
        """Sweep soon; if a sweep is running, it looks once more before it ends."""
        self._again = True
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._woken(), name="sweep")

    async def sweep(self) -> SweepReport:
        """Send everything due now."""
        report = SweepReport()
        async with self._lock:
            self._again = False
            # Until nothing is due: a delivery re-queued for "now" (a migrated chat) goes out
            # in the same sweep; every claim counts an attempt, so this ends.
            while (batch := await self._outbox.claim()) or self._again:
                self._again = False
                for delivery in batch:
                    attempt = await self._attempt(delivery)
                    report.count(await self._outbox.record(delivery, attempt), delivery, attempt)
                self.last_sweep = self._outbox.clock.now()
            self.last_sweep = self._outbox.clock.now()
        return report

    async def stop(self) -> None:
        """Let a running sweep finish its message in flight (the rest waits in the outbox)."""
        task = self._task
        if task is not None and not task.done():
            try:
                await asyncio.wait_for(asyncio.shield(task), STOP_WAIT)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()

    async def _woken(self) -> SweepReport:
        report = await self.sweep()
        if report.errors:
            log.warning("Sweep could not deliver: %s", "; ".join(report.errors))
        return report

    async def _attempt(self, delivery: DeliveryRecord) -> Attempt:
        prepared = await self._outbox.prepare(delivery)
        if isinstance(prepared, Attempt):
            return prepared
        if prepared is None:
            return Attempt(Outcome.SENT)  # it fanned out: nothing of its own to send
        try:
            return Attempt(Outcome.SENT, sent=await send(self._bot, delivery.chat_id, prepared))
        except TelegramError as exc:
            return classify(exc, delivery.attempts)
        except Exception as exc:
            log.exception("Sending %s crashed", delivery.key)
            return classify(exc, delivery.attempts)
