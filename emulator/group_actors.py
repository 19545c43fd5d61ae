"""The test side, groups: create them, add/remove the bot, joins, leaves, upgrades."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .actors import ChatRef, MessageActions, UserRef
from .factories import chat_member_updated
from .world import PRESENT, Chat, User


class GroupActions(MessageActions):
    """Membership changes, each sending the service message and ChatMemberUpdated."""

    def add_group(
        self,
        title: str,
        members: Sequence[UserRef] = (),
        admins: Sequence[UserRef] = (),
        *,
        supergroup: bool = False,
        with_bot: bool = False,
        bot_admin: bool = False,
        username: str | None = None,
    ) -> Chat:
        """Create a group that already exists when the test starts (no updates are sent).

        The first admin (else the first member) is the creator. `with_bot` puts the bot
        in it already, as administrator if `bot_admin`; otherwise use add_bot_to_group.
        """
        chat = self.world.add_group(title, supergroup=supergroup, username=username)
        for ref in members:
            chat.members[self.user(ref).id] = "member"
        for ref in admins:
            chat.members[self.user(ref).id] = "administrator"
        first = admins[0] if admins else members[0] if members else None
        if first is not None:
            chat.members[self.user(first).id] = "creator"
        if with_bot or bot_admin:
            chat.bot_status = "administrator" if bot_admin else "member"
            chat.bot_was_member = True
        return chat

    def creator(self, chat: ChatRef) -> User:
        """The group's creator."""
        target = self.chat(chat)
        user_id = next(uid for uid, status in target.members.items() if status == "creator")
        return self.world.users[user_id]

    def add_bot_to_group(self, chat: ChatRef, by: UserRef, as_admin: bool = False) -> None:
        """`by` adds the bot: my_chat_member, then the new_chat_members service message."""
        target, actor = self.chat(chat), self.user(by)
        self.set_bot_status(target, "administrator" if as_admin else "member", actor)
        self._service(target, actor, {"new_chat_members": [self.bot.to_dict()]})

    def remove_bot(self, chat: ChatRef, by: UserRef) -> None:
        """`by` removes the bot: my_chat_member (-> kicked); later sends get 403."""
        target, actor = self.chat(chat), self.user(by)
        self.set_bot_status(target, "kicked", actor)
        self.world.add_message(target, actor, {"left_chat_member": self.bot.to_dict()})

    def join(self, chat: ChatRef, user: UserRef, invited_by: UserRef | None = None) -> None:
        """The user joins (or is added by `invited_by`): service message + chat_member."""
        target, person = self.chat(chat), self.user(user)
        actor = self.user(invited_by) if invited_by is not None else person
        if target.status_of(person.id) in PRESENT:
            raise ValueError(f"{person.first_name} is already in chat {target.id}")
        self._service(target, actor, {"new_chat_members": [person.to_dict()]})
        self._change_member(target, actor, person, "member")

    def leave(self, chat: ChatRef, user: UserRef) -> None:
        """The user leaves: left_chat_member service message + chat_member (-> left)."""
        target, person = self.chat(chat), self.user(user)
        self._service(target, person, {"left_chat_member": person.to_dict()})
        self._change_member(target, person, person, "left")

    def kick(self, chat: ChatRef, user: UserRef, by: UserRef) -> None:
        """An admin removes the user: service message + chat_member (-> kicked)."""
        target, person, actor = self.chat(chat), self.user(user), self.user(by)
        self._service(target, actor, {"left_chat_member": person.to_dict()})
        self._change_member(target, actor, person, "kicked")

    def promote(self, chat: ChatRef, user: UserRef, by: UserRef | None = None) -> None:
        """The creator (or `by`) makes the user an administrator: chat_member only."""
        target = self.chat(chat)
        actor = self.user(by) if by is not None else self.creator(target)
        self._change_member(target, actor, self.user(user), "administrator")

    def migrate_to_supergroup(self, chat: ChatRef, by: UserRef | None = None) -> int:
        """Upgrade a group: migrate_to_chat_id in the old chat, migrate_from in the new.

        Members, statuses and the bot's status move to the new chat; the bot's sends to
        the old id then fail with 400 and parameters.migrate_to_chat_id. Returns the new id.
        """
        old = self.chat(chat)
        if old.type != "group" or old.migrated_to is not None:
            raise ValueError(f"chat {old.id} is not a basic group")
        actor = self.user(by) if by is not None else self.creator(old)
        new = self.world.add_group(old.title or "", supergroup=True)
        new.members = dict(old.members)
        new.bot_status, new.bot_was_member = old.bot_status, old.bot_was_member
        self._service(old, actor, {"migrate_to_chat_id": new.id})
        old.migrated_to = new.id
        self._service(new, actor, {"migrate_from_chat_id": old.id})
        return new.id

    def _service(self, chat: Chat, actor: User, content: dict[str, Any]) -> dict[str, Any]:
        message = self.world.add_message(chat, actor, content)
        if self._bot_sees(chat, message):
            self.push_update("message", message)
        return message

    def _change_member(self, chat: Chat, actor: User, person: User, status: str) -> None:
        """Set a status; Telegram sends chat_member only to bots that are administrators."""
        old = chat.status_of(person.id)
        chat.members[person.id] = status
        if chat.bot_status == "administrator":
            update = chat_member_updated(chat, actor, self.world.now(), person, old, status)
            self.push_update("chat_member", update)
