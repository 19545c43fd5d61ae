"""The emulated Telegram world: users, chats with members, messages, files."""

from __future__ import annotations

import itertools
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PRESENT = frozenset({"creator", "administrator", "member", "restricted"})
# Id ranges look like Telegram's: users positive, basic groups -4..., supergroups -100...
_FIRST_USER_ID = 100_000_001
_FIRST_GROUP_ID = 4_000_000_001
_FIRST_SUPERGROUP_ID = 1_002_000_000_001


@dataclass(eq=False)
class User:
    """A Telegram user (or the bot itself)."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    is_bot: bool = False
    language_code: str | None = "zh-hans"
    started: bool = False  # has opened a private chat with the bot
    blocked_bot: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The User object as Telegram sends it."""
        data: dict[str, Any] = {
            "id": self.id,
            "is_bot": self.is_bot,
            "first_name": self.first_name,
        }
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code and not self.is_bot:
            data["language_code"] = self.language_code
        return data


@dataclass(eq=False)
class Chat:
    """A private chat, group or supergroup, with members and stored messages."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    user: User | None = None  # the other side of a private chat
    members: dict[int, str] = field(default_factory=dict)  # user id -> ChatMember status
    bot_status: str = "left"
    bot_was_member: bool = False
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_message_id: int = 1
    migrated_to: int | None = None

    @property
    def is_group(self) -> bool:
        """Group or supergroup (not private)."""
        return self.type in {"group", "supergroup"}

    @property
    def kind_name(self) -> str:
        """How Telegram's errors name this chat ("group chat", "supergroup chat")."""
        return "supergroup chat" if self.type == "supergroup" else "group chat"

    def status_of(self, user_id: int) -> str:
        """A member's status; "left" for anyone never seen here."""
        return self.members.get(user_id, "left")

    def to_dict(self) -> dict[str, Any]:
        """The Chat object as Telegram sends it inside messages."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.user is not None:
            data["first_name"] = self.user.first_name
            if self.user.last_name:
                data["last_name"] = self.user.last_name
            if self.user.username:
                data["username"] = self.user.username
        else:
            data["title"] = self.title or ""
            if self.username:
                data["username"] = self.username
        return data


@dataclass(eq=False)
class StoredFile:
    """A file known to the emulator (uploaded by a user or the bot)."""

    file_id: str
    file_unique_id: str
    content: bytes
    file_name: str
    mime_type: str
    file_path: str

    def document(self) -> dict[str, Any]:
        """The Document object for this file."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": len(self.content),
        }


class World:
    """Every user, chat, message and file the emulator knows about."""

    def __init__(self, bot: User, wall_clock: Callable[[], float]) -> None:
        self.bot = bot
        self.wall_clock = wall_clock
        self.users: dict[int, User] = {bot.id: bot}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self._user_ids = itertools.count(_FIRST_USER_ID)
        self._group_ids = itertools.count(_FIRST_GROUP_ID)
        self._supergroup_ids = itertools.count(_FIRST_SUPERGROUP_ID)
        self._file_numbers = itertools.count(1)

    def now(self) -> int:
        """Unix time for message dates."""
        return int(self.wall_clock())

    def add_user(self, first_name: str, **fields: Any) -> User:
        """Create a user with the next free id (or `id=` if given)."""
        user_id = fields.pop("id", None) or next(self._user_ids)
        user = User(user_id, first_name, **fields)
        self.users[user.id] = user
        return user

    def private_chat(self, user: User) -> Chat:
        """The private chat between `user` and the bot (its id is the user's id)."""
        chat = self.chats.get(user.id)
        if chat is None:
            chat = self.chats[user.id] = Chat(user.id, "private", user=user)
        return chat

    def add_group(self, title: str, *, supergroup: bool, username: str | None = None) -> Chat:
        """Create an empty group or supergroup."""
        chat_id = -next(self._supergroup_ids if supergroup else self._group_ids)
        chat = Chat(chat_id, "supergroup" if supergroup else "group", title, username)
        self.chats[chat.id] = chat
        return chat

    def find_chat(self, ref: int | str) -> Chat | None:
        """A chat by id or @username, as the bot addresses it."""
        if isinstance(ref, int):
            return self.chats.get(ref)
        name = ref.removeprefix("@").lower()
        return next((c for c in self.chats.values() if (c.username or "").lower() == name), None)

    def add_message(self, chat: Chat, sender: User, content: dict[str, Any]) -> dict[str, Any]:
        """Store a new message in `chat` with the next message id; return it."""
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message = {
            "message_id": message_id,
            "from": sender.to_dict(),
            "chat": chat.to_dict(),
            "date": self.now(),
            **content,
        }
        chat.messages[message_id] = message
        return message

    def store_file(
        self,
        content: bytes,
        file_name: str,
        mime_type: str | None = None,
        folder: str = "documents",
    ) -> StoredFile:
        """Keep an uploaded file; give it a file_id and a download path under `folder`."""
        number = next(self._file_numbers)
        suffix = "." + file_name.rsplit(".", 1)[-1] if "." in file_name else ""
        stored = StoredFile(
            file_id=f"BQACAgEAAx{number:08d}",
            file_unique_id=f"AgAD{number:06d}",
            content=content,
            file_name=file_name,
            mime_type=mime_type or _guess_type(file_name),
            file_path=f"{folder}/file_{number}{suffix}",
        )
        self.files[stored.file_id] = stored
        return stored


def _guess_type(file_name: str) -> str:
    return mimetypes.guess_type(file_name)[0] or "application/octet-stream"
