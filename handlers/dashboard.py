"""/dashboard: the button that opens the Mini App (the dashboard, or a member's own record)."""

from __future__ import annotations

import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot.context import AppApplication, AppContext
from bot.texts import dashboard as texts
from handlers.common import is_group, sender

log = logging.getLogger(__name__)


async def cmd_dashboard(update: Update, context: AppContext) -> None:
    """Privately: a Web App button (managers also get it as the chat's menu button). In a
    group, where Telegram allows no Web App buttons, a link to the private chat."""
    if (found := sender(update)) is None:
        return
    message, user = found
    public_url = context.settings.public_url
    if public_url is None:
        await message.reply_text(texts.NO_PUBLIC_URL)
        return
    if is_group(message.chat):
        link = InlineKeyboardButton(
            texts.IN_GROUP_BUTTON, url=f"https://t.me/{context.bot.username}"
        )
        await message.reply_text(texts.IN_GROUP, reply_markup=InlineKeyboardMarkup([[link]]))
        return
    viewer = await context.services.dashboard.viewer(user.id)
    app = WebAppInfo(f"{public_url}/app/")
    text, label = (
        (texts.MANAGER, texts.MANAGER_BUTTON)
        if viewer.manager
        else (texts.MEMBER, texts.MEMBER_BUTTON)
    )
    button = InlineKeyboardButton(label, web_app=app)
    await message.reply_text(text, reply_markup=InlineKeyboardMarkup([[button]]))
    if viewer.manager:
        try:
            await context.bot.set_chat_menu_button(
                message.chat_id, MenuButtonWebApp(texts.MENU_BUTTON, app)
            )
        except TelegramError as exc:  # the button above still works
            log.warning("Could not set the dashboard menu button: %s", exc)


def setup(application: AppApplication, group: int) -> None:
    """Register /dashboard."""
    application.add_handler(CommandHandler("dashboard", cmd_dashboard), group)
