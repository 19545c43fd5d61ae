"""Documented hard limits of the Bot API that the bot must respect.

Breaking one is a bot bug: the error carries a violation kind so the test fails.
"""

from __future__ import annotations

from typing import Any

from .errors import bad_request
from .textutil import utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER = 200
MAX_INLINE_RESULTS = 50
# Exactly one of these makes an inline keyboard button do something.
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def check_text(text: str) -> None:
    """Message text: 1-4096 characters after entity parsing."""
    if not text:
        raise bad_request("message text is empty", violation="limit")
    if utf16_len(text) > MAX_TEXT:
        raise bad_request("message is too long", violation="limit")


def check_caption(caption: str | None) -> None:
    """Media caption: at most 1024 characters after entity parsing."""
    if caption is not None and utf16_len(caption) > MAX_CAPTION:
        raise bad_request("message caption is too long", violation="limit")


def check_callback_answer(text: str | None) -> None:
    """answerCallbackQuery text: at most 200 characters."""
    if text is not None and len(text) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG", violation="limit")


def check_reply_markup(markup: Any) -> None:
    """Inline keyboards: well-formed rows, one action per button, callback_data 1-64 bytes."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse inline keyboard markup", violation="limit")
    for row in rows:
        for button in row:
            _check_button(button)


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button", violation="limit")
    actions = [key for key in _BUTTON_ACTIONS if key in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline "
            "keyboard",
            violation="limit",
        )
    if len(actions) > 1:
        raise bad_request(
            f"can't parse inline keyboard button: more than one action ({', '.join(actions)})",
            violation="limit",
        )
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
        raise bad_request("BUTTON_DATA_INVALID", violation="limit")
