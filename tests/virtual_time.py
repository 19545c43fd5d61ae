"""Monotonic time that moves only when a test (or its driver) says so.

`clock` and `sleep` plug into ChatRateLimiter and the emulator's rate windows. A sleeper
waits until the clock reaches its deadline; `jump` moves the clock to the earliest
deadline and wakes whoever is due, so minutes of rate limiting pass in milliseconds.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
from collections.abc import Awaitable, Callable
from typing import Any


class VirtualTime:
    """A movable monotonic clock with a sleep that waits for it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        # Jumps never go past this: a test holds time still to show what happens meanwhile.
        self.horizon = math.inf
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        """The current virtual time in seconds."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Wait until the clock has moved `seconds` on (just yield for 0 or less)."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), future))
        await future

    def next_deadline(self) -> float | None:
        """When the earliest sleeper is due, or None if nobody sleeps."""
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)  # cancelled
        return self._sleepers[0][0] if self._sleepers else None

    def jump(self) -> bool:
        """Move to the earliest deadline (within the horizon) and wake those due."""
        deadline = self.next_deadline()
        if deadline is None or deadline > self.horizon:
            return False
        self.now = max(self.now, deadline)
        while self._sleepers and self._sleepers[0][0] <= self.now:
            _, _, future = heapq.heappop(self._sleepers)
            if not future.done():
                future.set_result(None)
        return True

    async def run(self, *coroutines: Awaitable[Any]) -> list[Any]:
        """Run coroutines to the end, jumping whenever nothing else can run (no real IO)."""
        tasks = [asyncio.ensure_future(c) for c in coroutines]
        while True:
            await idle()
            if all(task.done() for task in tasks):
                break
            if not self.jump():
                raise RuntimeError("deadlock: tasks wait, but nobody sleeps")
        return [task.result() for task in tasks]


async def idle(steps: int = 50) -> None:
    """Let every ready callback run (enough loop turns for lock hand-overs and retries)."""
    for _ in range(steps):
        await asyncio.sleep(0)


async def drive_when_quiet(
    time: VirtualTime, activity: Callable[[], object], quiet: float = 0.01
) -> None:
    """Jump whenever `activity()` (e.g. the emulator's request count) stays put for `quiet`.

    For tests with real IO: time moves only while nothing else happens, as if every
    request and handler took no time at all. Jumping early would be harmless (limits
    only ever need time to pass), it would only make the virtual timestamps less telling.
    """
    while True:
        seen = activity()
        await asyncio.sleep(quiet)
        if activity() == seen:
            time.jump()
