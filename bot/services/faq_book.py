"""The live FAQ matcher: the shipped base plus every organisation's entries, kept current.

Building a matcher segments every entry with jieba (about 0.25 s for the shipped base, plus
0.4 s to load jieba the first time), so it happens in a worker thread, on first use or when
warmed up after start, never on the event loop. A change made by this process reloads at
once; a change made by another process (several bots on one PostgreSQL) is noticed by a
cheap fingerprint query, at most every ``check_every``.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import Clock
from bot.core.faq import FaqEntry, FaqMatcher, load_shipped_entries
from storage.records import EntriesStamp, StoredEntry
from storage.repositories.faq import FaqEntryRepo

CHECK_EVERY = timedelta(seconds=30)
SHIPPED_PREFIX, ORG_PREFIX = "s", "o"


@functools.lru_cache(maxsize=1)
def shipped_entries() -> tuple[FaqEntry, ...]:
    """The shipped base, read once per process (it is package data)."""
    return tuple(load_shipped_entries())


@functools.lru_cache(maxsize=1)
def build_matcher(entries: tuple[FaqEntry, ...]) -> FaqMatcher:
    """A matcher over these entries; the same entries again (another bot, nothing changed)
    reuse the last one, since a matcher never changes once built."""
    return FaqMatcher(entries)


def shipped_key(slug: str) -> str:
    """A short, stable key for a shipped entry (its slug can be too long for callback data)."""
    return SHIPPED_PREFIX + hashlib.sha1(slug.encode(), usedforsecurity=False).hexdigest()[:10]


def org_key(entry_id: int) -> str:
    """The key of an organisation's entry: its 编号."""
    return f"{ORG_PREFIX}{entry_id}"


@dataclass(frozen=True)
class Snapshot:
    """One built matcher and the keys of its entries."""

    matcher: FaqMatcher
    by_key: dict[str, FaqEntry]
    keys: dict[tuple[int | None, str], str]
    stamp: EntriesStamp

    def key(self, entry: FaqEntry) -> str:
        """The key of an entry of this snapshot."""
        return self.keys[(entry.org_id, entry.id)]


def _snapshot(
    shipped: Sequence[FaqEntry],
    stored: list[StoredEntry],
    stamp: EntriesStamp,
    build: Callable[[tuple[FaqEntry, ...]], FaqMatcher],
) -> Snapshot:
    keys: dict[tuple[int | None, str], str] = {(None, e.id): shipped_key(e.id) for e in shipped}
    if len(set(keys.values())) != len(keys):
        raise RuntimeError("two shipped FAQ ids share a key; lengthen shipped_key")
    keys.update({(s.entry.org_id, s.entry.id): org_key(s.id) for s in stored})
    entries = (*shipped, *(s.entry for s in stored))
    by_key = {keys[(e.org_id, e.id)]: e for e in entries}
    return Snapshot(build(entries), by_key, keys, stamp)


@dataclass
class FaqBook:
    """Holds the current snapshot and rebuilds it when the organisations' entries change."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    check_every: timedelta = CHECK_EVERY
    build: Callable[[tuple[FaqEntry, ...]], FaqMatcher] = build_matcher
    shipped_loader: Callable[[], tuple[FaqEntry, ...]] = shipped_entries
    builds: int = 0
    _current: Snapshot | None = None
    _checked_at: datetime | None = None
    _shipped: tuple[FaqEntry, ...] | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _pending: asyncio.Task[Snapshot] | None = None  # the background rebuild (kept alive)

    async def snapshot(self) -> Snapshot:
        """The current snapshot, built on first use and refreshed when the table changed."""
        if self._pending is not None and not self._pending.done():
            return await asyncio.shield(self._pending)  # this process's change, being built
        current = self._current
        now = self.clock.now()
        if current is not None and (
            self._checked_at is not None and now - self._checked_at < self.check_every
        ):
            return current
        async with self.sessions() as session:
            stamp = await FaqEntryRepo(session).stamp()
        self._checked_at = now
        if current is not None and current.stamp == stamp:
            return current
        return await self._rebuild(force=False)

    async def reload(self) -> Snapshot:
        """Rebuild now (this process just changed an organisation's entries)."""
        return await self._rebuild(force=True)

    def changed(self) -> None:
        """This process just changed entries: rebuild in the background (whoever asks before
        it is done waits for it), so that the manager's reply need not wait."""
        self._pending = asyncio.get_running_loop().create_task(self.reload())

    async def shipped(self) -> tuple[FaqEntry, ...]:
        """The shipped base (read once, in a worker thread)."""
        if self._shipped is None:
            self._shipped = tuple(await asyncio.to_thread(self.shipped_loader))
        return self._shipped

    async def _rebuild(self, *, force: bool) -> Snapshot:
        async with self._lock:
            shipped = await self.shipped()
            # Read under the lock so that the newest change always ends up in a build.
            async with self.sessions() as session:
                repo = FaqEntryRepo(session)
                stamp = await repo.stamp()
                if not force and self._current is not None and self._current.stamp == stamp:
                    return self._current
                stored = await repo.all()
            snapshot = await asyncio.to_thread(_snapshot, shipped, stored, stamp, self.build)
            self._current, self._checked_at = snapshot, self.clock.now()
            self.builds += 1
            return snapshot
