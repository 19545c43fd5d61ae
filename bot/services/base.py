"""What every handler-facing service holds: the database, the clock and the access check."""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from bot.core.clock import Clock
from bot.services.access import AccessService
from storage.db import Database

P = ParamSpec("P")
T = TypeVar("T")
S = TypeVar("S", bound="Service")


class Service:
    """A group of use cases; each method is one transaction with one access check."""

    def __init__(self, database: Database, clock: Clock, access: AccessService) -> None:
        self.database, self.clock, self.access = database, clock, access

    def now(self) -> datetime:
        """The current time from the injected clock (UTC)."""
        return self.clock.now()


class ZonedService(Service):
    """A service that reads dates and times as people there do: in the configured zone."""

    def __init__(
        self, database: Database, clock: Clock, access: AccessService, tz: ZoneInfo
    ) -> None:
        super().__init__(database, clock, access)
        self.tz = tz


def retried(
    method: Callable[Concatenate[S, P], Coroutine[Any, Any, T]],
) -> Callable[Concatenate[S, P], Coroutine[Any, Any, T]]:
    """The use case runs again, whole, when its transaction failed on a lock or a
    serialisation conflict (Database.retrying): no button press is lost to contention."""

    @functools.wraps(method)
    async def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await self.database.retrying(lambda: method(self, *args, **kwargs))

    run.retried = True  # type: ignore[attr-defined]  # checked by the services' test
    return run
