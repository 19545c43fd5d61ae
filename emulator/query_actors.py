"""The test side, queries: pressing inline buttons, voting in polls, inline queries."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from .actors import ChatRef, UserRef
from .group_actors import GroupActions
from .interactions import Interactions, PendingQuery, tally
from .world import PRESENT, Chat


class UserActions(GroupActions):
    """Every action a test can take as a user (see the README for an overview)."""

    interactions: Interactions

    def press_button(
        self,
        chat: ChatRef,
        user: UserRef,
        message_id: int,
        data: str | None = None,
        *,
        text: str | None = None,
    ) -> str:
        """Press an inline button (chosen by callback_data or label); returns the query id.

        Raises ValueError when the message has no such callback button, so a test that
        presses a button the bot never offered fails right there.
        """
        target, person = self.chat(chat), self.user(user)
        message = target.messages.get(message_id)
        if message is None:
            raise ValueError(f"no message {message_id} in chat {target.id}")
        if target.is_group and target.status_of(person.id) not in PRESENT:
            raise ValueError(f"{person.first_name} is not a member of chat {target.id}")
        button = _find_button(message, data, text)
        return self._callback(target, person.id, message, button["callback_data"])

    def forge_button(self, chat: ChatRef, user: UserRef, message_id: int, data: str) -> str:
        """A callback with `data` under a message that never offered it (a modified client,
        or a button copied from elsewhere); returns the query id."""
        target = self.chat(chat)
        message = target.messages[message_id]
        return self._callback(target, self.user(user).id, message, data)

    def _callback(self, target: Chat, user_id: int, message: dict[str, Any], data: str) -> str:
        query_id = self.interactions.new_id("4")
        self.interactions.callbacks[query_id] = PendingQuery(
            query_id, user_id, self.clock(), data, target.id, message["message_id"]
        )
        query = {
            "id": query_id,
            "from": self.world.users[user_id].to_dict(),
            "message": copy.deepcopy(message),
            "chat_instance": _chat_instance(target),
            "data": data,
        }
        self.push_update("callback_query", query)
        return query_id

    def answer_poll(self, user: UserRef, poll_id: str, option_ids: Sequence[int]) -> None:
        """Vote (or retract with []): poll_answer for non-anonymous polls, then a poll update."""
        person = self.user(user)
        state = self.interactions.polls.get(poll_id)
        chat = self.world.chats[state.chat_id] if state is not None else None
        message = chat.messages.get(state.message_id) if chat and state else None
        if state is None or message is None:
            raise ValueError(f"unknown (or deleted) poll {poll_id}")
        poll: dict[str, Any] = message["poll"]
        _check_vote(poll, option_ids, revote=person.id in state.votes)
        state.votes[person.id] = list(option_ids)
        tally(poll, state)
        if not poll["is_anonymous"]:
            answer = {
                "poll_id": poll_id,
                "user": person.to_dict(),
                "option_ids": list(option_ids),
                "option_persistent_ids": [poll["options"][i]["persistent_id"] for i in option_ids],
            }
            self.push_update("poll_answer", answer)
        self.push_update("poll", copy.deepcopy(poll))

    def inline_query(self, user: UserRef, query: str, offset: str = "") -> str:
        """The user types "@bot query"; returns the inline query id."""
        person = self.user(user)
        query_id = self.interactions.new_id("7")
        self.interactions.inline[query_id] = PendingQuery(query_id, person.id, self.clock())
        body = {"id": query_id, "from": person.to_dict(), "query": query, "offset": offset}
        self.push_update("inline_query", body)
        return query_id


def _find_button(message: dict[str, Any], data: str | None, text: str | None) -> dict[str, Any]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    buttons = [button for row in rows for button in row if "callback_data" in button]
    for button in buttons:
        if (data is None or button["callback_data"] == data) and (
            text is None or button["text"] == text
        ):
            found: dict[str, Any] = button
            return found
    offered = [(b["text"], b["callback_data"]) for b in buttons]
    raise ValueError(f"no callback button data={data!r} text={text!r}; offered: {offered}")


def _check_vote(poll: dict[str, Any], option_ids: Sequence[int], *, revote: bool) -> None:
    if poll["is_closed"]:
        raise ValueError("the poll is closed")
    if any(not 0 <= i < len(poll["options"]) for i in option_ids):
        raise ValueError(f"option ids {list(option_ids)} out of range")
    if len(option_ids) > 1 and not poll["allows_multiple_answers"]:
        raise ValueError("this poll takes one answer")
    if revote and not poll["allows_revoting"]:
        raise ValueError("votes in this poll cannot be changed")


def _chat_instance(chat: Chat) -> str:
    """A stable opaque id per chat, like Telegram's chat_instance."""
    return str((chat.id * 2_654_435_761) % 10**19)
