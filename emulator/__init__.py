"""A Telegram Bot API emulator for end-to-end tests (see README.md)."""

from .emulator import DEFAULT_TOKEN, BotApiEmulator, Stats, message_text
from .errors import ApiError, Violation
from .interactions import CallbackAnswer
from .ratelimit import RateLimits
from .server import RequestRecord
from .spec import SpecMissingError
from .world import Chat, User

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "BotApiEmulator",
    "CallbackAnswer",
    "Chat",
    "RateLimits",
    "RequestRecord",
    "SpecMissingError",
    "Stats",
    "User",
    "Violation",
    "message_text",
]
