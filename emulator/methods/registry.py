"""The table of implemented Bot API methods."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from ..params import Params

if TYPE_CHECKING:
    from ..emulator import BotApiEmulator

Handler = Callable[["BotApiEmulator", Params], Awaitable[Any]]
HANDLERS: dict[str, Handler] = {}


def api_method(*names: str) -> Callable[[Handler], Handler]:
    """Register a coroutine as the implementation of the named Bot API method(s)."""

    def register(handler: Handler) -> Handler:
        for name in names:
            HANDLERS[name] = handler
        return handler

    return register
