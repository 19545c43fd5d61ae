"""What the bot sends, as plain data: services say what, the delivery door says how.

A service renders a message into one of these; the door (delivery/) turns it into a Bot
API call. Buttons are label/data pairs; nothing here knows Telegram's types.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeAlias


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: what it says and the callback data it sends (≤ 64 bytes)."""

    label: str
    data: str


Keyboard: TypeAlias = tuple[tuple[Button, ...], ...]


def keyboard(*rows: Iterable[Button]) -> Keyboard:
    """Rows of buttons."""
    return tuple(tuple(row) for row in rows)


@dataclass(frozen=True, slots=True)
class Text:
    """A new message (HTML unless `html` is False), optionally a reply with buttons."""

    text: str
    html: bool = True
    keyboard: Keyboard | None = None
    reply_to: int | None = None


@dataclass(frozen=True, slots=True)
class Edit:
    """New text (and buttons) for a message already sent; unchanged text counts as done."""

    message_id: int
    text: str
    html: bool = True
    keyboard: Keyboard | None = None


@dataclass(frozen=True, slots=True)
class Quiz:
    """A quiz poll (named, so that answers come back)."""

    question: str
    options: tuple[str, ...]
    correct: int


@dataclass(frozen=True, slots=True)
class Copy:
    """A copy of another message (no "forwarded from" header)."""

    from_chat_id: int
    message_id: int


Outgoing: TypeAlias = Text | Edit | Quiz | Copy


@dataclass(frozen=True, slots=True)
class Sent:
    """What Telegram answered: the message's id, and a poll's id for quizzes."""

    message_id: int
    poll_id: str | None = None
