"""Telegram's flood limits as sliding windows over an injectable monotonic clock."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .errors import ApiError


@dataclass(frozen=True)
class RateLimits:
    """Message budgets; None switches a limit off.

    Sends and edits both count. Defaults are Telegram's documented ones: about 30
    messages per second overall, 20 per minute in one group. Private chats are not
    limited by default (Telegram tolerates short bursts there).
    """

    global_per_second: int | None = 30
    group_per_minute: int | None = 20
    private_per_second: int | None = None


class _Window:
    """At most `limit` events in any `period` seconds."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self.events: deque[float] = deque()

    def retry_after(self, now: float) -> int | None:
        """Seconds to wait before the next event fits, or None if it fits now."""
        while self.events and self.events[0] <= now - self.period:
            self.events.popleft()
        if len(self.events) < self.limit:
            return None
        return max(1, math.ceil(self.events[0] + self.period - now))


class RateLimiter:
    """Checks and records message sends; raises 429 like Telegram when over budget."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float]) -> None:
        self.limits = limits
        self.clock = clock
        self._global = _Window(limits.global_per_second or 0, 1.0)
        self._chats: dict[int, _Window] = {}

    def acquire(self, chat_id: int, chat_type: str) -> None:
        """Count one message to chat_id, or raise 429 with retry_after."""
        now = self.clock()
        windows = [self._global] if self.limits.global_per_second else []
        chat_window = self._chat_window(chat_id, chat_type)
        if chat_window is not None:
            windows.append(chat_window)
        waits = [w for w in (window.retry_after(now) for window in windows) if w is not None]
        if waits:
            wait = max(waits)
            raise ApiError(
                429, f"Too Many Requests: retry after {wait}", parameters={"retry_after": wait}
            )
        for window in windows:
            window.events.append(now)

    def _chat_window(self, chat_id: int, chat_type: str) -> _Window | None:
        if chat_type == "private":
            limit, period = self.limits.private_per_second, 1.0
        else:
            limit, period = self.limits.group_per_minute, 60.0
        if not limit:
            return None
        window = self._chats.get(chat_id)
        if window is None:
            window = self._chats[chat_id] = _Window(limit, period)
        return window
