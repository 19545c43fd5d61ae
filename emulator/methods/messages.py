"""Text messages: send, edit, delete, copy, forward, chat actions."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from ..errors import bad_request
from ..limits import check_caption, check_text
from ..params import Params
from .common import (
    bot_chat,
    caption_content,
    deliver,
    inline_markup,
    rendered,
    stored_message,
    text_content,
)
from .registry import api_method

if TYPE_CHECKING:
    from ..emulator import BotApiEmulator

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_CONTENT_KEYS = ("text", "entities", "document", "photo", "caption", "caption_entities")
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


@api_method("sendMessage")
async def send_message(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    """sendMessage: text 1-4096 characters after entity parsing."""
    chat = bot_chat(emu, p.chat_ref(), send=True)
    text = rendered(emu, p, "text", "parse_mode", "entities")
    if text is None:
        raise bad_request("message text is empty", violation="limit")
    check_text(text[0])
    return deliver(emu, p, chat, text_content(*text))


def _own_message(emu: BotApiEmulator, p: Params) -> dict[str, Any] | None:
    """The bot message an edit targets; None for inline messages (nothing stored)."""
    if p.has("inline_message_id"):
        return None
    chat = bot_chat(emu, p.chat_ref(), send=True)
    message = stored_message(chat, p.req_int("message_id"), "message to edit not found")
    if message["from"]["id"] != emu.bot.id:
        raise bad_request("message can't be edited")
    return message


def _apply_edit(
    emu: BotApiEmulator, message: dict[str, Any], changes: dict[str, Any | None]
) -> dict[str, Any]:
    """Apply changed fields (None deletes) unless nothing changes; counts as a message."""
    if all(message.get(key) == value for key, value in changes.items()):
        raise bad_request(NOT_MODIFIED)
    chat = emu.world.chats[message["chat"]["id"]]
    emu.rate_limiter.acquire(chat.id, chat.type)
    for key, value in changes.items():
        if value is None or value == []:
            message.pop(key, None)
        else:
            message[key] = value
    message["edit_date"] = emu.world.now()
    return message


@api_method("editMessageText")
async def edit_message_text(emu: BotApiEmulator, p: Params) -> dict[str, Any] | bool:
    """editMessageText; omitting reply_markup removes the inline keyboard, as in Telegram."""
    message = _own_message(emu, p)
    text = rendered(emu, p, "text", "parse_mode", "entities")
    if text is None:
        raise bad_request("message text is empty", violation="limit")
    check_text(text[0])
    markup = inline_markup(p)
    if message is None:
        return True
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    changes = {"text": text[0], "entities": text[1] or None, "reply_markup": markup}
    return _apply_edit(emu, message, changes)


@api_method("editMessageCaption")
async def edit_message_caption(emu: BotApiEmulator, p: Params) -> dict[str, Any] | bool:
    """editMessageCaption on a media message."""
    message = _own_message(emu, p)
    caption = rendered(emu, p, "caption", "parse_mode", "caption_entities")
    check_caption(caption[0] if caption else None)
    markup = inline_markup(p)
    if message is None:
        return True
    if "text" in message:
        raise bad_request("there is no caption in the message to edit")
    fields = caption_content(caption)
    changes = {
        "caption": fields.get("caption"),
        "caption_entities": fields.get("caption_entities"),
        "reply_markup": markup,
    }
    return _apply_edit(emu, message, changes)


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(emu: BotApiEmulator, p: Params) -> dict[str, Any] | bool:
    """editMessageReplyMarkup; an absent or empty keyboard removes it."""
    message = _own_message(emu, p)
    markup = inline_markup(p)
    if message is None:
        return True
    return _apply_edit(emu, message, {"reply_markup": markup})


@api_method("deleteMessage")
async def delete_message(emu: BotApiEmulator, p: Params) -> bool:
    """deleteMessage: own messages, or anyone's where the bot is an administrator."""
    chat = bot_chat(emu, p.chat_ref(), send=False)
    message_id = p.req_int("message_id")
    message = stored_message(chat, message_id, "message to delete not found")
    own = message["from"]["id"] == emu.bot.id
    if not own and chat.is_group and chat.bot_status != "administrator":
        raise bad_request("message can't be deleted")
    del chat.messages[message_id]
    emu.deleted.append((chat.id, message_id))
    return True


@api_method("deleteMessages")
async def delete_messages(emu: BotApiEmulator, p: Params) -> bool:
    """deleteMessages: deletes those of the listed messages that exist."""
    chat = bot_chat(emu, p.chat_ref(), send=False)
    for message_id in p.obj("message_ids") or []:
        if chat.messages.pop(int(message_id), None) is not None:
            emu.deleted.append((chat.id, int(message_id)))
    return True


def _source(emu: BotApiEmulator, p: Params, missing: str) -> dict[str, Any]:
    source_chat = bot_chat(emu, p.chat_ref("from_chat_id"), send=False)
    message = stored_message(source_chat, p.req_int("message_id"), missing)
    content = {k: copy.deepcopy(message[k]) for k in _CONTENT_KEYS if k in message}
    if not content:
        raise bad_request("message can't be copied")
    return content


@api_method("copyMessage")
async def copy_message(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    """copyMessage: same content (caption replaceable), no link to the original."""
    content = _source(emu, p, "message to copy not found")
    chat = bot_chat(emu, p.chat_ref(), send=True)
    if p.has("caption") and "text" not in content:
        caption = rendered(emu, p, "caption", "parse_mode", "caption_entities")
        check_caption(caption[0] if caption else None)
        content.pop("caption_entities", None)
        content.update(caption_content(caption))
    message = deliver(emu, p, chat, content)
    return {"message_id": message["message_id"]}


@api_method("forwardMessage")
async def forward_message(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    """forwardMessage: the content plus forward_origin naming the original sender."""
    source_chat = bot_chat(emu, p.chat_ref("from_chat_id"), send=False)
    original = stored_message(source_chat, p.req_int("message_id"), "message to forward not found")
    content = _source(emu, p, "message to forward not found")
    content["forward_origin"] = {
        "type": "user",
        "sender_user": original["from"],
        "date": original["date"],
    }
    chat = bot_chat(emu, p.chat_ref(), send=True)
    return deliver(emu, p, chat, content)


@api_method("sendChatAction")
async def send_chat_action(emu: BotApiEmulator, p: Params) -> bool:
    """sendChatAction ("typing" ...): checked and logged, nothing stored."""
    bot_chat(emu, p.chat_ref(), send=True)
    if p.req_str("action") not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request", violation="spec")
    return True
