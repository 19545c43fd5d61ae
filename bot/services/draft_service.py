"""Guided flows' drafts, in the database: a restart, or another process, picks them up.

A draft is the person's own: whoever holds it is the person it belongs to, so no access
check is needed to keep it; the flow checks rights when it starts and when it saves.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.services.base import Service, retried
from storage.records import DraftRecord
from storage.repositories import presses
from storage.repositories.drafts import DraftRepo

# A draft left alone this long is forgotten (the person started something else, or gave up).
DRAFT_TTL = timedelta(days=2)


class DraftService(Service):
    """Keeps, finds and drops drafts."""

    @retried
    async def of(self, chat_id: int, user_id: int) -> list[DraftRecord]:
        """The person's live drafts in the chat, the one that moved last first."""
        # Looked up for every private text and every reply to the bot (handlers/drafts.py):
        # one statement, no transaction around it (storage/hot.py).
        return self._live(await self._of(chat_id, user_id))

    @retried
    async def get(self, chat_id: int, user_id: int, flow: str) -> dict[str, Any] | None:
        """The state of the person's draft of `flow`."""
        drafts = self._live(await self._of(chat_id, user_id))
        found = [draft for draft in drafts if draft.flow == flow]
        return found[0].state if found else None

    async def _of(self, chat_id: int, user_id: int) -> list[DraftRecord]:
        return await self.database.autocommit(
            lambda cursor: presses.drafts_of(cursor, chat_id, user_id)
        )

    def _live(self, drafts: list[DraftRecord]) -> list[DraftRecord]:
        fresh_after = self.now() - DRAFT_TTL
        return [draft for draft in drafts if draft.updated_at >= fresh_after]

    @retried
    async def put(self, chat_id: int, user_id: int, flow: str, state: dict[str, Any]) -> None:
        """Keep the draft as it is now."""
        async with self.database.transaction() as session:
            await DraftRepo(session).put(chat_id, user_id, flow, state, self.now())

    @retried
    async def drop(self, chat_id: int, user_id: int, flow: str | None = None) -> int:
        """Forget the draft of `flow` (None: all of the person's drafts in the chat)."""
        async with self.database.transaction() as session:
            return await DraftRepo(session).drop(chat_id, user_id, flow)

    @retried
    async def forget_stale(self) -> int:
        """Forget drafts left alone for DRAFT_TTL."""
        async with self.database.transaction() as session:
            return await DraftRepo(session).drop_older(self.now() - DRAFT_TTL)
