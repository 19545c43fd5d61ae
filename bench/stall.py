"""How long the event loop stalls while something runs: what every other chat would wait.

A ticker wakes every TICK seconds and keeps its worst lateness. Shared by the benches
(ledger, report, campaigns, dashboard, posts, stalls): `watched(work)` runs `work()` beside it;
`timed(label, work)` also prints its line.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
TICK = 0.005


async def ticker(stop: asyncio.Event, worst: list[float]) -> None:
    """Wake every TICK seconds; keep the worst lateness."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        before = loop.time()
        await asyncio.sleep(TICK)
        worst[0] = max(worst[0], loop.time() - before - TICK)


async def idle_stall(seconds: float) -> float:
    """The worst lateness of the ticker with nothing else running: what the machine itself
    adds (on a shared 2-core machine, other processes' turns), to read the figure against."""
    stop, worst = asyncio.Event(), [0.0]
    ticking = asyncio.create_task(ticker(stop, worst))
    await asyncio.sleep(seconds)
    stop.set()
    await ticking
    return worst[0]


@dataclass(frozen=True)
class Watched(Generic[T]):
    """What `work()` returned, how long it took and the worst stall meanwhile (seconds)."""

    result: T
    seconds: float
    stall: float

    def line(self, label: str) -> str:
        """One line of a bench's output."""
        return f"{label}: {self.seconds:.3f} s, worst event-loop stall {self.stall * 1000:.0f} ms"


async def watched(work: Callable[[], Awaitable[T]]) -> Watched[T]:
    """Run `work()` with the ticker beside it."""
    stop, worst = asyncio.Event(), [0.0]
    ticking = asyncio.create_task(ticker(stop, worst))
    await asyncio.sleep(TICK * 2)  # the ticker is waiting before the work starts
    start = time.perf_counter()
    try:
        result = await work()
    finally:
        seconds = time.perf_counter() - start
        stop.set()
        await ticking
    return Watched(result, seconds, worst[0])


async def timed(label: str, work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` beside the ticker, print how long it took and the worst stall."""
    found = await watched(work)
    print(found.line(label))
    return found.result
