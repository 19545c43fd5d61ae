"""Chat information and membership: getChat*, leaveChat, pinning."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import bad_request
from ..factories import chat_member, full_chat_info
from ..params import Params
from ..world import PRESENT, Chat
from .common import bot_chat, stored_message
from .registry import api_method

if TYPE_CHECKING:
    from ..emulator import BotApiEmulator

_PRIVATE_STATUS = "chat member status can't be changed in private chats"


@api_method("getChat")
async def get_chat(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    """getChat: ChatFullInfo."""
    return full_chat_info(bot_chat(emu, p.chat_ref(), send=False))


def member_status(emu: BotApiEmulator, chat: Chat, user_id: int) -> str:
    """Status of a user (or the bot) in a chat, as getChatMember reports it."""
    if user_id == emu.bot.id:
        return "member" if chat.user is not None else chat.bot_status
    if chat.user is not None:
        return "member" if user_id == chat.user.id else "left"
    return chat.status_of(user_id)


@api_method("getChatMember")
async def get_chat_member(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    """getChatMember: ChatMember of the right subtype; unknown users are an error."""
    chat = bot_chat(emu, p.chat_ref(), send=False)
    user = emu.world.users.get(p.req_int("user_id"))
    if user is None:
        raise bad_request("user not found")
    return chat_member(user, member_status(emu, chat, user.id))


@api_method("getChatAdministrators")
async def get_chat_administrators(emu: BotApiEmulator, p: Params) -> list[dict[str, Any]]:
    """getChatAdministrators: creator and administrators, the bot included if it is one."""
    chat = bot_chat(emu, p.chat_ref(), send=False)
    if not chat.is_group:
        raise bad_request("there are no administrators in the private chat")
    admins = [
        chat_member(emu.world.users[user_id], status)
        for user_id, status in chat.members.items()
        if status in {"creator", "administrator"}
    ]
    if chat.bot_status == "administrator":
        admins.append(chat_member(emu.bot, "administrator"))
    return admins


@api_method("getChatMemberCount")
async def get_chat_member_count(emu: BotApiEmulator, p: Params) -> int:
    """getChatMemberCount: present members, the bot included."""
    chat = bot_chat(emu, p.chat_ref(), send=False)
    if not chat.is_group:
        return 2
    humans = sum(1 for status in chat.members.values() if status in PRESENT)
    return humans + (1 if chat.bot_status in PRESENT else 0)


@api_method("leaveChat")
async def leave_chat(emu: BotApiEmulator, p: Params) -> bool:
    """leaveChat: the bot leaves; Telegram then sends it a my_chat_member update."""
    chat = bot_chat(emu, p.chat_ref(), send=False)
    if not chat.is_group:
        raise bad_request(_PRIVATE_STATUS)
    emu.set_bot_status(chat, "left", actor=emu.bot)
    return True


@api_method("pinChatMessage", "unpinChatMessage")
async def pin_chat_message(emu: BotApiEmulator, p: Params) -> bool:
    """pin/unpinChatMessage: needs the message, and admin rights in groups."""
    chat = bot_chat(emu, p.chat_ref(), send=False)
    if p.has("message_id"):
        stored_message(chat, p.req_int("message_id"), "message to pin not found")
    if chat.is_group and chat.bot_status != "administrator":
        raise bad_request("not enough rights to manage pinned messages in the chat")
    return True


@api_method(
    "setMyDescription",
    "setMyShortDescription",
    "setMyName",
    "setChatMenuButton",
    "setMyDefaultAdministratorRights",
)
async def accept_bot_setting(emu: BotApiEmulator, p: Params) -> bool:
    """Bot profile settings: checked against the spec, then accepted without effect."""
    return True
