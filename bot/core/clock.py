"""The injectable clock: all code asks it for `now`, so tests can move time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current time."""

    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        return datetime.now(UTC)


class FakeClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The time the test has set."""
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move time forward by `delta` and return the new now."""
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (aware)."""
        self._now = moment.astimezone(UTC)


class TravelClock:
    """The real time plus an offset that only grows: the sandbox's time-travel buttons move
    it forward, so reminders due tomorrow can be seen now (and time never runs backwards)."""

    def __init__(self) -> None:
        self._offset = timedelta()

    def now(self) -> datetime:
        """The real time, moved on by every jump so far."""
        return datetime.now(UTC) + self._offset

    @property
    def offset(self) -> timedelta:
        """How far ahead of the real time this clock is."""
        return self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Jump forward by `delta` (negative jumps are ignored); return the new now."""
        self._offset += max(delta, timedelta())
        return self.now()
