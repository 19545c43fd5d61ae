"""Answers to what users started: answerCallbackQuery, answerInlineQuery."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import QUERY_TOO_OLD, bad_request
from ..interactions import CallbackAnswer
from ..limits import MAX_INLINE_RESULTS, check_callback_answer, check_reply_markup
from ..params import Params
from .registry import api_method

if TYPE_CHECKING:
    from ..emulator import BotApiEmulator


@api_method("answerCallbackQuery")
async def answer_callback_query(emu: BotApiEmulator, p: Params) -> bool:
    """answerCallbackQuery: once per query, within its lifetime; text up to 200 chars."""
    text = p.opt_str("text")
    check_callback_answer(text)
    query = emu.interactions.take(
        emu.interactions.callbacks,
        p.req_str("callback_query_id"),
        emu.clock(),
        emu.callback_query_ttl,
    )
    if query is None:
        raise bad_request(QUERY_TOO_OLD)
    emu.callback_answers[query.id] = CallbackAnswer(
        query_id=query.id,
        user_id=query.user_id,
        data=query.data,
        text=text,
        show_alert=p.flag("show_alert"),
        url=p.opt_str("url"),
        cache_time=p.opt_int("cache_time"),
    )
    return True


@api_method("answerInlineQuery")
async def answer_inline_query(emu: BotApiEmulator, p: Params) -> bool:
    """answerInlineQuery: once per query; at most 50 results."""
    results = p.obj("results")
    if not isinstance(results, list) or len(results) > MAX_INLINE_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH", violation="limit")
    for result in results:
        check_reply_markup(result.get("reply_markup") if isinstance(result, dict) else None)
    query = emu.interactions.take(
        emu.interactions.inline, p.req_str("inline_query_id"), emu.clock(), emu.callback_query_ttl
    )
    if query is None:
        raise bad_request(QUERY_TOO_OLD)
    answer: dict[str, Any] = {"results": results}
    for key in ("cache_time", "is_personal", "next_offset", "button"):
        if p.has(key):
            answer[key] = p.obj(key) if key == "button" else p.raw[key]
    emu.inline_answers[query.id] = answer
    return True
