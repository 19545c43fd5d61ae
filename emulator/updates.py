"""The bot's update queue: getUpdates long polling with offset, limit, allowed_updates."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from .errors import ApiError

# What Telegram delivers when allowed_updates was never set (or set to []).
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_FIRST_UPDATE_ID = 500_000_001


def update_type(update: dict[str, Any]) -> str:
    """The kind of an Update: its one key besides update_id."""
    return next(key for key in update if key != "update_id")


class UpdateQueue:
    """Pending updates, kept until confirmed by a later offset, as Telegram does."""

    def __init__(self) -> None:
        self._pending: list[dict[str, Any]] = []
        self._next_id = _FIRST_UPDATE_ID
        self._allowed: frozenset[str] | None = None  # None: Telegram's default set
        self._arrival = asyncio.Event()
        self._poller: asyncio.Future[None] | None = None
        self._closed = False
        self.last_pushed_id = 0
        self.last_fetched_id = 0

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Enqueue an update of `kind` (e.g. "message"); wake a waiting long poll."""
        update: dict[str, Any] = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self._pending.append(update)
        self.last_pushed_id = update["update_id"]
        self._wake()
        return update

    def set_allowed(self, allowed: Iterable[str] | None) -> None:
        """Store allowed_updates as Telegram does: a list replaces, [] means the default."""
        if allowed is None:
            return
        names = frozenset(allowed)
        self._allowed = names or None

    def is_allowed(self, update: dict[str, Any]) -> bool:
        """Whether the current allowed_updates let this update through."""
        kind = update_type(update)
        if self._allowed is None:
            return kind not in DEFAULT_EXCLUDED
        return kind in self._allowed

    def drop_pending(self) -> None:
        """Forget every pending update (deleteWebhook/setWebhook drop_pending_updates)."""
        self._pending.clear()
        self.last_fetched_id = self.last_pushed_id

    def next_for_webhook(self) -> dict[str, Any] | None:
        """The oldest update Telegram would POST to a webhook now (None: nothing pending)."""
        batch = self._batch(1)
        return batch[0] if batch else None

    def delivered(self, update: dict[str, Any]) -> None:
        """The webhook answered 2xx for `update`: it is confirmed, as by a later offset."""
        self._pending = [u for u in self._pending if u["update_id"] != update["update_id"]]
        self._hand_out([update])

    async def wait_arrival(self) -> None:
        """Wait for the next pushed update (or close())."""
        if not self._closed:
            await self._arrival.wait()

    @property
    def all_fetched(self) -> bool:
        """Whether every update pushed so far was handed to the bot (or filtered out)."""
        return all(u["update_id"] <= self.last_fetched_id for u in self._deliverable())

    @property
    def all_confirmed(self) -> bool:
        """Whether the bot confirmed every update (by a later offset, or a webhook's 2xx). A
        polling bot asks again only once the fetched ones are in its own queue, so an update
        handed out but still being read is not taken for handled."""
        return not self._deliverable()

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot."""
        return list(self._pending)

    async def get(self, offset: int | None, limit: int, wait: float) -> list[dict[str, Any]]:
        """Answer one getUpdates call, waiting up to `wait` seconds for an update."""
        self._confirm(offset)
        self._terminate_other_poll()
        batch = self._batch(limit)
        if batch or wait <= 0 or self._closed:
            return self._hand_out(batch)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        poller = self._poller = loop.create_future()
        try:
            while not batch and not self._closed and loop.time() < deadline:
                await self._wait_arrival(poller, deadline - loop.time())
                batch = self._batch(limit)
        finally:
            if self._poller is poller:
                self._poller = None
        if poller.done():
            poller.result()  # raises 409 when another getUpdates took over
        return self._hand_out(batch)

    async def _wait_arrival(self, poller: asyncio.Future[None], seconds: float) -> None:
        waiter: asyncio.Future[Any] = asyncio.ensure_future(self._arrival.wait())
        waiters: list[asyncio.Future[Any]] = [waiter, poller]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when="FIRST_COMPLETED")
        finally:
            waiter.cancel()
        if poller.done():
            poller.result()

    def close(self) -> None:
        """Release every waiting long poll (server shutdown)."""
        self._closed = True
        self._wake()

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def _batch(self, limit: int) -> list[dict[str, Any]]:
        # Updates of kinds not allowed are never delivered: Telegram drops them for good.
        self._pending = [u for u in self._pending if self.is_allowed(u)]
        return self._pending[: max(1, min(limit, 100))]

    def _deliverable(self) -> list[dict[str, Any]]:
        return [u for u in self._pending if self.is_allowed(u)]

    def _hand_out(self, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if batch:
            self.last_fetched_id = max(self.last_fetched_id, batch[-1]["update_id"])
        return batch

    def _terminate_other_poll(self) -> None:
        if self._poller is not None and not self._poller.done():
            self._poller.set_exception(
                ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            )

    def _wake(self) -> None:
        self._arrival.set()
        self._arrival = asyncio.Event()
