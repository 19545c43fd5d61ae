"""/broadcast as managers use it: start from a message, pick the scope, see the count, confirm.

Every button is checked again: only the person who started, and only while they still
manage the organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.errors import InvalidInput
from bot.services import broadcast
from bot.services.access import Actor
from bot.services.base import Service, retried
from bot.services.broadcast import Preview, ProgressEdit
from bot.texts import broadcast as texts
from storage.records import BroadcastRecord
from storage.repositories.study_broadcasts import BroadcastRepo


@dataclass(frozen=True, slots=True)
class Pressed:
    """What a scope, 确认发送 or 取消 press did: a new preview, a start (with the count), or
    the end of the draft."""

    choice: str
    preview: Preview | None = None
    count: int = 0


class BroadcastService(Service):
    """Drafts, their buttons, and the progress of those being sent."""

    @retried
    async def start(
        self, actor: Actor, name: str, source: tuple[int, int] | None
    ) -> BroadcastRecord:
        """A draft broadcast of the message `source` (chat id, message id) replied to."""
        if source is None:
            raise InvalidInput(texts.USAGE)
        now = self.now()
        async with self.database.transaction() as session:
            org = (await self.access.acting(session, actor, now, name, "/broadcast")).org
            return await broadcast.start(
                session, org.id, actor.user_id, source, actor.place.chat_id, now
            )

    @retried
    async def shown_in(self, broadcast_id: int, message_id: int) -> None:
        """The draft's scope buttons went out in this message (its progress shows there too)."""
        async with self.database.transaction() as session:
            await BroadcastRepo(session).set_control_message(broadcast_id, message_id)

    @retried
    async def press(self, actor: Actor, broadcast_id: int, choice: str) -> Pressed:
        """A scope, `ok` (确认发送) or `no` (取消), by the person who started the draft."""
        now = self.now()
        async with self.database.transaction() as session:
            draft = await broadcast.draft_of(session, broadcast_id, actor.user_id)
            await self.access.manager_of(session, actor, draft.organisation_id, now)
            if choice == "no":
                await broadcast.cancel(session, broadcast_id, actor.user_id)
                return Pressed(choice)
            if choice == "ok":
                count = await broadcast.confirm(session, broadcast_id, actor.user_id, now)
                return Pressed(choice, count=count)
            preview = await broadcast.choose(session, broadcast_id, actor.user_id, choice)
            return Pressed(choice, preview=preview)

    @retried
    async def progress(self) -> list[ProgressEdit]:
        """Progress messages to edit now (at most every 5 s each), reports of those done."""
        return await broadcast.progress_to_show(self.database, self.now())
