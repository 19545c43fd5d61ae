"""Life in a group, as Telegram reports it: the bot arrives or leaves, people come and go,
groups upgrade. No permission is involved: these are facts, not requests."""

from __future__ import annotations

from bot.services import chats, members
from bot.services.access import Place
from bot.services.base import Service, retried
from bot.services.members import Person
from storage.records import OrganisationRecord
from storage.repositories import OrganisationRepo


class ChatService(Service):
    """Keeps chats and rosters in step with the groups."""

    @retried
    async def bot_added(self, place: Place) -> OrganisationRecord | None:
        """The bot joined a group; the organisation it is (still) bound to, if any."""
        async with self.database.transaction() as session:
            chat = await chats.seen_chat(
                session, place.chat_id, place.title, place.type, self.now()
            )
            if chat.organisation_id is None:
                return None
            return await OrganisationRepo(session).get(chat.organisation_id)

    @retried
    async def bot_removed(self, chat_id: int) -> None:
        """The bot left or was removed: keep everything, mark the chat inactive."""
        async with self.database.transaction() as session:
            await chats.bot_removed(session, chat_id, self.now())

    @retried
    async def private_closed(self, user_id: int) -> None:
        """The person blocked the bot: stop messaging them privately."""
        async with self.database.transaction() as session:
            await members.close_private_chat(session, user_id, self.now())

    @retried
    async def roster_changed(
        self, place: Place, joined: list[Person], left: list[int] | None = None
    ) -> None:
        """People joined and/or left the group (bots are filtered out by the caller)."""
        now = self.now()
        async with self.database.transaction() as session:
            chat = await chats.seen_chat(session, place.chat_id, place.title, place.type, now)
            for person in joined:
                await members.member_joined(session, chat, person, now)
            for user_id in left or ():
                await members.member_left(session, chat, user_id, now)

    @retried
    async def migrated(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: move its rows to the new id."""
        async with self.database.transaction() as session:
            await chats.chat_migrated(session, old_id, new_id, self.now())

    @retried
    async def seen_writing(self, place: Place, person: Person) -> None:
        """Someone wrote in a group: they are on its roster."""
        now = self.now()
        async with self.database.transaction() as session:
            chat = await chats.seen_chat(session, place.chat_id, place.title, place.type, now)
            await members.record_presence(session, chat, person, now)
