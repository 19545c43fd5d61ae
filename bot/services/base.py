"""What every handler-facing service holds: the database, the clock and the access check."""

from __future__ import annotations

from datetime import datetime

from bot.core.clock import Clock
from bot.services.access import AccessService
from storage.db import Database


class Service:
    """A group of use cases; each method is one transaction with one access check."""

    def __init__(self, database: Database, clock: Clock, access: AccessService) -> None:
        self.database, self.clock, self.access = database, clock, access

    def now(self) -> datetime:
        """The current time from the injected clock (UTC)."""
        return self.clock.now()
