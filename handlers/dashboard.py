"""/dashboard: the button that opens the Mini App (the dashboard, or a member's own record)."""

from __future__ import annotations

import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    Message,
    Update,
    WebAppInfo,
)
from telegram.error import TelegramError
from telegram.ext import CommandHandler, filters

from bot.context import AppApplication, AppContext
from bot.texts import dashboard as texts
from handlers.common import is_group, person, sender

log = logging.getLogger(__name__)


# Telegram's deep link (t.me/<bot>?start=dashboard): the group's /dashboard answer links to
# the private chat, where tapping 开始 sends `/start dashboard` and the dashboard opens.
DEEP_LINK = "dashboard"


def deep_link(username: str) -> str:
    """The link that opens the private chat with the bot and then the dashboard."""
    return f"https://t.me/{username}?start={DEEP_LINK}"


async def cmd_dashboard(update: Update, context: AppContext) -> None:
    """Privately: a Web App button (managers also get it as the chat's menu button). In a
    group, where Telegram allows no Web App buttons, a deep link to the private chat."""
    if (found := sender(update)) is None:
        return
    message, user = found
    if context.settings.public_url is None:
        await message.reply_text(texts.NO_PUBLIC_URL)
        return
    if is_group(message.chat):
        link = InlineKeyboardButton(texts.IN_GROUP_BUTTON, url=deep_link(context.bot.username))
        await message.reply_text(texts.IN_GROUP, reply_markup=InlineKeyboardMarkup([[link]]))
        return
    await _entrance(message, user.id, context)


async def cmd_start_dashboard(update: Update, context: AppContext) -> None:
    """`/start dashboard`, sent by the group's deep link: a /start like any other (the bot
    may message the user from now on), answered with the dashboard's button."""
    if (found := sender(update)) is None:
        return
    message, user = found
    await context.services.people.start(person(user))
    if context.settings.public_url is None:
        await message.reply_text(texts.NO_PUBLIC_URL)
        return
    await _entrance(message, user.id, context)


async def _entrance(message: Message, user_id: int, context: AppContext) -> None:
    """The button that opens the Mini App (the dashboard, or the member's own record)."""
    public_url = context.settings.public_url
    assert public_url is not None  # checked by the callers, who answer without it
    viewer = await context.services.dashboard.viewer(user_id)
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


def setup_deep_link(application: AppApplication, group: int) -> None:
    """Register `/start dashboard` (before the plain /start, which would take it)."""
    link = filters.ChatType.PRIVATE & filters.Regex(rf"^/start(@\w+)?\s+{DEEP_LINK}\s*$")
    application.add_handler(CommandHandler("start", cmd_start_dashboard, link), group)


def setup(application: AppApplication, group: int) -> None:
    """Register /dashboard."""
    application.add_handler(CommandHandler("dashboard", cmd_dashboard), group)
