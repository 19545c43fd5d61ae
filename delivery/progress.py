"""Broadcast progress: the manager's control message shows how far the copies are."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.services.broadcast_service import BroadcastService
from delivery.calls import send

log = logging.getLogger(__name__)


async def show_broadcast_progress(bot: Bot, broadcasts: BroadcastService) -> int:
    """Edit each running broadcast's progress message (at most every 5 s); return how many."""
    edits = await broadcasts.progress()
    for item in edits:
        try:
            await send(bot, item.chat_id, item.edit)
        except TelegramError as exc:
            # The manager deleted the progress message, or left: the copies still go out.
            log.warning("Could not show progress of broadcast %s: %s", item.broadcast_id, exc)
    return len(edits)
