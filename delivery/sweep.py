"""The outbox sweep: send every due delivery once, through the rate-limited bot.

It runs when woken (a committed delivery is due now, or the next one falls due) and on a
timer (schedules/sweep.py), one sweep at a time per process; several processes share the
work through the outbox's atomic claim and leases.

At most one message is ever sent but not yet recorded: a process killed mid-sweep repeats
at most that one. What can overlap is harmless: the next delivery is composed (read from
the database) while the current one is sent.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from telegram import Bot
from telegram.error import TelegramError

from bot.services.outbox import RENEW_EVERY, Attempt, Outbox, Outcome, SweepReport
from bot.services.outgoing import Outgoing
from delivery.calls import classify, send
from storage.records import DeliveryRecord

log = logging.getLogger(__name__)

STOP_WAIT = 10.0  # seconds a stopping process gives the message in flight
# A delivery falling due sooner than this is swept at its moment, not at the next tick.
WAKE_AHEAD = 3.0

Prepared = Outgoing | Attempt | None


class Sweeper:
    """Claims due deliveries, has them composed, sends them and records the outcome."""

    def __init__(self, bot: Bot, outbox: Outbox) -> None:
        self._bot, self._outbox = bot, outbox
        self._lock = asyncio.Lock()
        self._again = False
        self._task: asyncio.Task[SweepReport] | None = None
        self._timer: asyncio.TimerHandle | None = None
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
            renewing = asyncio.get_running_loop().create_task(self._renew_leases())
            try:
                # Until nothing is due: a delivery re-queued for "now" (a migrated chat) goes
                # out in the same sweep; every claim counts an attempt, so this ends.
                while (batch := await self._outbox.claim()) or self._again:
                    self._again = False
                    await self._deliver(batch, report)
                    self.last_sweep = self._outbox.clock.now()
            finally:
                renewing.cancel()
            self.last_sweep = self._outbox.clock.now()
            await self._wake_at_next_due()
        return report

    async def _deliver(self, batch: list[DeliveryRecord], report: SweepReport) -> None:
        """Send the batch in order, composing each next delivery while the current one goes."""
        loop = asyncio.get_running_loop()
        composing: asyncio.Task[Prepared] | None = None
        try:
            for index, delivery in enumerate(batch):
                prepared = await composing if composing else await self._outbox.prepare(delivery)
                composing = None
                if index + 1 < len(batch):
                    composing = loop.create_task(self._outbox.prepare(batch[index + 1]))
                attempt = await self._attempt(delivery, prepared)
                report.count(await self._outbox.record(delivery, attempt), delivery, attempt)
        finally:
            if composing is not None and not composing.done():
                composing.cancel()

    async def _wake_at_next_due(self) -> None:
        """Sweep again exactly when the next delivery falls due, if that is soon."""
        delay = await self._outbox.seconds_to_next_due()
        if delay is None or delay > WAKE_AHEAD:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(max(0.0, delay), self.wake)

    async def _renew_leases(self) -> None:
        """While this process sweeps, it keeps the rows it claimed (a send may wait a minute
        for a group's rate window); a killed process stops renewing and loses them."""
        while True:
            await asyncio.sleep(RENEW_EVERY.total_seconds())
            try:
                await self._outbox.renew()
            except Exception:
                log.exception("Could not renew the outbox leases")

    async def stop(self) -> None:
        """Let a running sweep finish its message in flight (the rest waits in the outbox)."""
        if self._timer is not None:
            self._timer.cancel()
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

    async def _attempt(self, delivery: DeliveryRecord, prepared: Prepared) -> Attempt:
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
