"""State of things users start and the bot answers: callback and inline queries, polls."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any


@dataclass
class PendingQuery:
    """A callback or inline query waiting for its one answer."""

    id: str
    user_id: int
    created: float  # monotonic clock
    data: str | None = None
    chat_id: int | None = None
    message_id: int | None = None
    answered: bool = False


@dataclass(frozen=True)
class CallbackAnswer:
    """What the bot answered to a callback query (answerCallbackQuery)."""

    query_id: str
    user_id: int
    data: str | None
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None


@dataclass
class PollState:
    """A poll the bot sent and the votes cast so far."""

    poll_id: str
    chat_id: int
    message_id: int
    votes: dict[int, list[int]] = field(default_factory=dict)


class Interactions:
    """Open callback/inline queries and polls, keyed by their ids."""

    def __init__(self) -> None:
        self.callbacks: dict[str, PendingQuery] = {}
        self.inline: dict[str, PendingQuery] = {}
        self.polls: dict[str, PollState] = {}
        self._ids = itertools.count(1)

    def new_id(self, prefix: str) -> str:
        """A fresh opaque id (Telegram's are long numeric strings)."""
        return f"{prefix}{next(self._ids):012d}"

    def take(
        self, queries: dict[str, PendingQuery], query_id: str, now: float, ttl: float
    ) -> PendingQuery | None:
        """Mark a query answered; None if unknown, already answered or expired."""
        query = queries.get(query_id)
        if query is None or query.answered or now - query.created > ttl:
            return None
        query.answered = True
        return query


def tally(poll: dict[str, Any], state: PollState) -> None:
    """Recount a poll's options and voters from the votes cast."""
    counts = [0] * len(poll["options"])
    for option_ids in state.votes.values():
        for option_id in option_ids:
            counts[option_id] += 1
    for option, count in zip(poll["options"], counts, strict=True):
        option["voter_count"] = count
    poll["total_voter_count"] = sum(1 for ids in state.votes.values() if ids)
