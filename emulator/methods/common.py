"""Checks and steps shared by the method implementations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ApiError, bad_request, forbidden
from ..formatting import render_text
from ..limits import check_reply_markup
from ..params import Params
from ..world import Chat

if TYPE_CHECKING:
    from ..emulator import BotApiEmulator


def bot_chat(emu: BotApiEmulator, ref: int | str, *, send: bool) -> Chat:
    """The chat the bot addresses, or the error Telegram gives for it.

    `send` adds the checks that only apply to posting: a private chat needs the user to
    have started the bot and not blocked it.
    """
    chat = emu.world.find_chat(ref)
    if chat is None and isinstance(ref, int) and ref in emu.world.users and ref != emu.bot.id:
        chat = emu.world.private_chat(emu.world.users[ref])  # a user the bot has seen
    if chat is None:
        raise bad_request("chat not found")
    if chat.migrated_to is not None:
        raise ApiError(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            parameters={"migrate_to_chat_id": chat.migrated_to},
        )
    if chat.user is not None:
        if send and chat.user.blocked_bot:
            raise forbidden("bot was blocked by the user")
        if send and not chat.user.started:
            raise forbidden("bot can't initiate conversation with a user")
        return chat
    if chat.bot_status == "kicked":
        raise forbidden(f"bot was kicked from the {chat.kind_name}")
    if chat.bot_status == "left":
        if chat.bot_was_member:
            raise forbidden(f"bot is not a member of the {chat.kind_name}")
        raise bad_request("chat not found")
    return chat


def stored_message(chat: Chat, message_id: int, missing: str) -> dict[str, Any]:
    """A stored message, or 400 with Telegram's method-specific "not found" text."""
    message = chat.messages.get(message_id)
    if message is None:
        raise bad_request(missing)
    return message


def rendered(
    emu: BotApiEmulator, p: Params, text_key: str, mode_key: str, entities_key: str
) -> tuple[str, list[dict[str, Any]]] | None:
    """Text (or caption) with parse_mode applied, or None when the parameter is absent."""
    text = p.opt_str(text_key)
    if text is None:
        return None
    return render_text(text, p.opt_str(mode_key), p.obj(entities_key), emu.user_dict)


def inline_markup(p: Params) -> dict[str, Any] | None:
    """The reply_markup if it is a non-empty inline keyboard (the only kind a Message shows)."""
    markup = p.obj("reply_markup")
    check_reply_markup(markup)
    if isinstance(markup, dict) and markup.get("inline_keyboard"):
        return markup
    return None


def reply_target(emu: BotApiEmulator, p: Params, chat: Chat) -> dict[str, Any] | None:
    """The message being replied to (a snapshot), per reply_parameters."""
    params = p.obj("reply_parameters")
    if not isinstance(params, dict) or "message_id" not in params:
        return None
    target_chat = chat
    if "chat_id" in params:
        target_chat = bot_chat(emu, params["chat_id"], send=False)
    message = target_chat.messages.get(int(params["message_id"]))
    if message is None:
        if params.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return {k: v for k, v in message.items() if k != "reply_to_message"}


def deliver(emu: BotApiEmulator, p: Params, chat: Chat, content: dict[str, Any]) -> dict[str, Any]:
    """Post a bot message: markup, reply, rate limit, store. Returns the Message."""
    markup = inline_markup(p)
    reply = reply_target(emu, p, chat)
    emu.rate_limiter.acquire(chat.id, chat.type)
    if reply is not None:
        content["reply_to_message"] = reply
    if markup is not None:
        content["reply_markup"] = markup
    if p.flag("protect_content"):
        content["has_protected_content"] = True
    message = emu.world.add_message(chat, emu.bot, content)
    emu.record_sent(message)
    return message


def text_content(text: str, entities: list[dict[str, Any]]) -> dict[str, Any]:
    """The text fields of a Message."""
    return {"text": text, "entities": entities} if entities else {"text": text}


def caption_content(caption: tuple[str, list[dict[str, Any]]] | None) -> dict[str, Any]:
    """The caption fields of a media Message."""
    if caption is None or not caption[0]:
        return {}
    text, entities = caption
    return {"caption": text, "caption_entities": entities} if entities else {"caption": text}
