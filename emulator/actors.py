"""The test side: act as Telegram users and enqueue exactly the updates Telegram sends."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .factories import chat_member_updated
from .textutil import detect_entities, utf16_slice
from .world import PRESENT, Chat, User, World

ChatRef = Chat | User | int  # a User stands for its private chat with the bot
UserRef = User | int
_SERVICE_KEYS = (
    "new_chat_members",
    "left_chat_member",
    "migrate_to_chat_id",
    "migrate_from_chat_id",
)


class UserActionsBase:
    """What the user actions need from the emulator (implemented in BotApiEmulator)."""

    world: World
    bot: User
    privacy_mode: bool
    clock: Callable[[], float]

    def push_update(self, kind: str, payload: dict[str, Any]) -> None:
        """Enqueue an update for the bot (implemented by the emulator)."""
        raise NotImplementedError

    def set_bot_status(self, chat: Chat, status: str, actor: User) -> None:
        """Change the bot's membership and send my_chat_member (implemented by the emulator)."""
        raise NotImplementedError

    def chat(self, ref: ChatRef) -> Chat:
        """A chat by object, id, or user (their private chat); KeyError if unknown."""
        if isinstance(ref, User):
            return self.world.private_chat(ref)
        return ref if isinstance(ref, Chat) else self.world.chats[ref]

    def user(self, ref: UserRef) -> User:
        """A user by object or id; KeyError if unknown."""
        return ref if isinstance(ref, User) else self.world.users[ref]


class MessageActions(UserActionsBase):
    """Users writing: private chats, texts, documents, deletions."""

    def add_user(
        self,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        *,
        language_code: str | None = "zh-hans",
    ) -> User:
        """Create a user (not yet in any chat, has not started the bot)."""
        return self.world.add_user(
            first_name, last_name=last_name, username=username, language_code=language_code
        )

    def start_private_chat(self, user: UserRef) -> dict[str, Any]:
        """The user opens the bot's private chat and presses START ("/start")."""
        chat = self.world.private_chat(self.user(user))
        return self.send_text(chat, user, "/start")

    def private_chat(self, user: UserRef) -> Chat:
        """The private chat of a user with the bot (exists even if never started)."""
        return self.world.private_chat(self.user(user))

    def send_text(
        self, chat: ChatRef, user: UserRef, text: str, reply_to: int | dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The user sends `text`; entities (bot_command, mention, url) as Telegram adds them.

        In a private chat this also counts as having started the bot. In groups with
        privacy mode on, the bot only receives commands, @mentions of it and replies to it
        (unless it is an administrator); the message is stored either way.
        """
        target = self.chat(chat)
        content: dict[str, Any] = {"text": text}
        entities = detect_entities(text)
        if entities:
            content["entities"] = entities
        if reply_to is not None:
            content["reply_to_message"] = self._snapshot(target, reply_to)
        return self._post(target, self.user(user), content)

    def send_document(
        self,
        chat: ChatRef,
        user: UserRef,
        filename: str,
        content: bytes,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> dict[str, Any]:
        """The user sends a file; the bot can getFile and download it."""
        stored = self.world.store_file(content, filename, mime_type)
        body: dict[str, Any] = {"document": stored.document()}
        return self._post(self.chat(chat), self.user(user), _with_caption(body, caption))

    def send_photo(
        self, chat: ChatRef, user: UserRef, content: bytes, caption: str | None = None
    ) -> dict[str, Any]:
        """The user sends a photo (one size, as a JPEG file the bot can fetch)."""
        stored = self.world.store_file(content, "photo.jpg", "image/jpeg")
        size = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": 640,
            "height": 480,
            "file_size": len(content),
        }
        body: dict[str, Any] = {"photo": [size]}
        return self._post(self.chat(chat), self.user(user), _with_caption(body, caption))

    def delete_message(self, chat: ChatRef, message_id: int) -> None:
        """A user deletes a message; Telegram sends the bot no update for that."""
        target = self.chat(chat)
        if target.messages.pop(message_id, None) is None:
            raise ValueError(f"no message {message_id} in chat {target.id}")

    def block_bot(self, user: UserRef) -> None:
        """The user blocks the bot: my_chat_member (member -> kicked) in the private chat."""
        person = self.user(user)
        person.blocked_bot = True
        chat = self.world.private_chat(person)
        self.push_update(
            "my_chat_member",
            chat_member_updated(chat, person, self.world.now(), self.bot, "member", "kicked"),
        )

    def _snapshot(self, chat: Chat, reply_to: int | dict[str, Any]) -> dict[str, Any]:
        message_id = reply_to if isinstance(reply_to, int) else reply_to["message_id"]
        if message_id not in chat.messages:
            raise ValueError(f"no message {message_id} in chat {chat.id} to reply to")
        return {k: v for k, v in chat.messages[message_id].items() if k != "reply_to_message"}

    def _post(self, chat: Chat, user: User, content: dict[str, Any]) -> dict[str, Any]:
        """Store a user's message and deliver it if the bot would see it."""
        if chat.user is not None:
            self._open_private(chat, user)
        elif chat.status_of(user.id) not in PRESENT:
            raise ValueError(f"{user.first_name} is not a member of chat {chat.id}")
        message = self.world.add_message(chat, user, content)
        if self._bot_sees(chat, message):
            self.push_update("message", message)
        return message

    def _open_private(self, chat: Chat, user: User) -> None:
        if chat.user is not user:
            raise ValueError("only the chat's own user can write in a private chat")
        user.started = True
        if user.blocked_bot:  # writing to a blocked bot means restarting it
            user.blocked_bot = False
            self.push_update(
                "my_chat_member",
                chat_member_updated(chat, user, self.world.now(), self.bot, "kicked", "member"),
            )

    def _bot_sees(self, chat: Chat, message: dict[str, Any]) -> bool:
        """Telegram's delivery rules: membership, then group privacy mode."""
        if chat.user is not None:
            return True
        if chat.bot_status not in PRESENT:
            return False
        if not self.privacy_mode or chat.bot_status == "administrator":
            return True
        if any(key in message for key in _SERVICE_KEYS):
            return True
        replied = message.get("reply_to_message")
        if replied is not None and replied["from"]["id"] == self.bot.id:
            return True
        return self._addresses_bot(message)

    def _addresses_bot(self, message: dict[str, Any]) -> bool:
        text = message.get("text") or message.get("caption") or ""
        entities: Iterable[dict[str, Any]] = message.get("entities") or message.get(
            "caption_entities", []
        )
        me = f"@{self.bot.username}".lower()
        for entity in entities:
            piece = utf16_slice(text, entity["offset"], entity["length"]).lower()
            if entity["type"] == "bot_command" and ("@" not in piece or piece.endswith(me)):
                return True
            if entity["type"] == "mention" and piece == me:
                return True
        return False


def _with_caption(body: dict[str, Any], caption: str | None) -> dict[str, Any]:
    """The message body with its caption and the caption's entities (commands, mentions)."""
    if caption:
        body["caption"] = caption
        if entities := detect_entities(caption):
            body["caption_entities"] = entities
    return body
