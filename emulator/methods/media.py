"""Files and polls: sendDocument, sendPhoto, getFile, sendPoll, stopPoll."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import bad_request
from ..factories import poll_object
from ..interactions import PollState
from ..limits import check_caption
from ..params import Params, Upload
from ..world import StoredFile
from .common import bot_chat, caption_content, deliver, inline_markup, rendered, stored_message
from .registry import api_method

if TYPE_CHECKING:
    from ..emulator import BotApiEmulator

_PHOTO_SIZE = 320
_MAX_OPTIONS = 12
_MAX_QUESTION = 300


def _file(emu: BotApiEmulator, p: Params, name: str, folder: str) -> StoredFile:
    """The file a send names: a new upload, a known file_id, or an HTTP URL."""
    value = p.upload(name)
    if isinstance(value, Upload):
        return emu.world.store_file(value.content, value.filename, value.content_type, folder)
    if value is None:
        raise bad_request(f"there is no {name} in the request")
    known = emu.world.files.get(value)
    if known is not None:
        return known
    if value.startswith(("http://", "https://")):
        return emu.world.store_file(b"", value.rsplit("/", 1)[-1] or "file", None, folder)
    raise bad_request("wrong file identifier/HTTP URL specified")


def _caption(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    caption = rendered(emu, p, "caption", "parse_mode", "caption_entities")
    check_caption(caption[0] if caption else None)
    return caption_content(caption)


@api_method("sendDocument")
async def send_document(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    """sendDocument: multipart upload, attach://, file_id or URL."""
    chat = bot_chat(emu, p.chat_ref(), send=True)
    stored = _file(emu, p, "document", "documents")
    return deliver(emu, p, chat, {"document": stored.document(), **_caption(emu, p)})


@api_method("sendPhoto")
async def send_photo(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    """sendPhoto: one PhotoSize (the emulator does not decode images)."""
    chat = bot_chat(emu, p.chat_ref(), send=True)
    stored = _file(emu, p, "photo", "photos")
    size = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "width": _PHOTO_SIZE,
        "height": _PHOTO_SIZE,
        "file_size": len(stored.content),
    }
    return deliver(emu, p, chat, {"photo": [size], **_caption(emu, p)})


@api_method("getFile")
async def get_file(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    """getFile: the File with a file_path to download from /file/bot<token>/."""
    stored = emu.world.files.get(p.req_str("file_id"))
    if stored is None:
        raise bad_request("wrong file_id or the file is temporarily unavailable")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "file_path": stored.file_path,
    }


def _option_texts(p: Params) -> list[str]:
    options = p.obj("options")
    if not isinstance(options, list) or not 1 <= len(options) <= _MAX_OPTIONS:
        raise bad_request(f"poll must have 1-{_MAX_OPTIONS} options", violation="limit")
    return [str(o["text"]) if isinstance(o, dict) else str(o) for o in options]


def _poll_settings(p: Params, option_count: int) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "type": p.opt_str("type") or "regular",
        "is_anonymous": p.flag("is_anonymous", default=True),
        "allows_multiple_answers": p.flag("allows_multiple_answers"),
        "is_closed": p.flag("is_closed"),
    }
    if settings["type"] not in {"regular", "quiz"}:
        raise bad_request("wrong poll type specified", violation="spec")
    correct = p.obj("correct_option_ids")
    if settings["type"] == "quiz":
        if not correct or not all(0 <= int(i) < option_count for i in correct):
            raise bad_request("wrong correct option id specified", violation="spec")
        settings["correct_option_ids"] = [int(i) for i in correct]
        settings["allows_revoting"] = False
    for key in ("explanation", "open_period", "close_date"):
        if p.has(key):
            settings[key] = p.raw[key] if key == "explanation" else p.opt_int(key)
    return settings


@api_method("sendPoll")
async def send_poll(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    """sendPoll: regular or quiz (correct_option_ids), anonymous by default."""
    chat = bot_chat(emu, p.chat_ref(), send=True)
    question = p.req_str("question")
    if not 1 <= len(question) <= _MAX_QUESTION:
        raise bad_request("poll question length must be 1-300 characters", violation="limit")
    options = _option_texts(p)
    poll_id = emu.interactions.new_id("5")
    poll = poll_object(poll_id, question, options, _poll_settings(p, len(options)))
    message = deliver(emu, p, chat, {"poll": poll})
    emu.interactions.polls[poll_id] = PollState(poll_id, chat.id, message["message_id"])
    return message


@api_method("stopPoll")
async def stop_poll(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    """stopPoll: closes the bot's poll and returns the final Poll."""
    chat = bot_chat(emu, p.chat_ref(), send=False)
    missing = "message with poll to stop not found"
    message = stored_message(chat, p.req_int("message_id"), missing)
    if "poll" not in message:
        raise bad_request(missing)
    if message["from"]["id"] != emu.bot.id:
        raise bad_request("message can't be edited")
    poll: dict[str, Any] = message["poll"]
    if poll["is_closed"]:
        raise bad_request("poll has already been closed")
    poll["is_closed"] = True
    markup = inline_markup(p)
    if markup is None:
        message.pop("reply_markup", None)
    else:
        message["reply_markup"] = markup
    return poll
