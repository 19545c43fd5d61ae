"""The one error handler: user mistakes get their Chinese message, bugs a short apology."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot import texts
from bot.context import AppContext
from bot.core.errors import UserFacingError

log = logging.getLogger(__name__)


async def on_error(update: object, context: AppContext) -> None:
    """Log the failure with its update and tell the user briefly, without internals."""
    error = context.error
    if isinstance(error, UserFacingError):
        await _tell(update, texts.error_text(error))
        return
    log.error("Failed to handle update %r", update, exc_info=error)
    if isinstance(error, Forbidden):
        return  # the bot cannot talk there any more; nobody to answer
    await _tell(update, texts.ERROR_GENERIC)


async def _tell(update: object, text: str) -> None:
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text[:200], show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(text)
    except TelegramError:
        log.warning("Could not tell the user about an error", exc_info=True)
