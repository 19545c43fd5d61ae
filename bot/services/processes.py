"""Several identical processes of the bot on one PostgreSQL: who is alive, and so how much of
Telegram's budgets (30 messages a second, 20 a minute per group) each may use.

Each process beats every few seconds; the number alive is the divisor of every rate budget
(bot/ratelimit.py), so together they stay within Telegram's limits without coordinating
each send. A process that dies stops beating and its share returns to the others within
ALIVE_WITHIN.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import timedelta

from bot.core.clock import Clock
from storage.db import Database
from storage.repositories.processes import ProcessRepo

BEAT_EVERY = timedelta(seconds=2)
ALIVE_WITHIN = timedelta(seconds=7)  # three beats missed: gone


def new_owner() -> str:
    """A name for this process start: host, pid and a random tag (a restart is a new owner,
    so it never renews what its previous life held)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


class Processes:
    """This process's heartbeat and its view of how many processes send for the bot."""

    def __init__(self, database: Database, clock: Clock, owner: str) -> None:
        self.database, self.clock, self.owner = database, clock, owner
        self.count = 1  # until the first beat: alone

    def __call__(self) -> int:
        """How many processes share the budgets now (the rate limiter asks at every send)."""
        return self.count

    async def beat(self) -> int:
        """Say this process is alive; count the live ones (this one included)."""
        now = self.clock.now()
        async with self.database.transaction() as session:
            repo = ProcessRepo(session)
            await repo.beat(self.owner, now)
            await repo.forget(before=now - 10 * ALIVE_WITHIN)  # long gone: keep the table small
            self.count = max(1, await repo.alive(now - ALIVE_WITHIN))
        return self.count

    async def leave(self) -> None:
        """This process stops: its share goes back to the others at once."""
        async with self.database.transaction() as session:
            await ProcessRepo(session).forget(self.owner)
