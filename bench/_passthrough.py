"""A rate limiter that makes every call at once: benches measure the bot, not Telegram's pacing.

Its own module so that a bot process started by a bench imports nothing else from bench/
(bench/notice.py measures that process's memory alone).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import BaseRateLimiter


class PassThrough(BaseRateLimiter[int]):
    """No pacing: the bench measures the bot, not Telegram's flood limits."""

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,  # noqa: ARG002
        data: dict[str, Any],  # noqa: ARG002
        rate_limit_args: int | None,  # noqa: ARG002
    ) -> Any:
        """Make the call at once."""
        return await callback(*args, **kwargs)
