"""Bot API method implementations; importing this package registers them all."""

from . import account, chats, media, messages, queries
from .registry import HANDLERS, Handler, api_method

__all__ = ["HANDLERS", "Handler", "account", "api_method", "chats", "media", "messages", "queries"]
