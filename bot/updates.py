"""Updates of one chat run in order; different chats run concurrently."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's own semaphore is taken before ours, so waiting updates of a busy chat must not hold
# the slots that do work: PTB's limit is generous, and `max_active` bounds the real work.
# 32 active slots measured best against httpcore's pool (design.md).
QUEUE_LIMIT = 1024


def ordering_key(update: object) -> object:
    """Updates with the same key are processed one after another."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Serialises updates per chat, with at most `max_active` handlers running at once."""

    def __init__(
        self,
        max_active: int = 32,
        around: Callable[[object], AbstractAsyncContextManager[None]] = lambda _key: nullcontext(),
    ) -> None:
        super().__init__(max_concurrent_updates=QUEUE_LIMIT)
        self._active = asyncio.Semaphore(max_active)
        self._locks: dict[object, tuple[asyncio.Lock, int]] = {}
        # Entered around each update with its ordering key (bot/app.py: the database defers
        # wakes of the sweep, and with several processes holds the chat's lock).
        self._around = around

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's earlier updates, then for a free slot, then run."""
        key = ordering_key(update)
        if key is None:
            async with self._active, self._around(None):
                await coroutine
            return
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock, self._active, self._around(key):
                await coroutine
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
