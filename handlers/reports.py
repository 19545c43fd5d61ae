"""/calendar (an .ics file of the coming meetings) and /report (PNG charts of a period)."""

from __future__ import annotations

import logging

from telegram import InputFile, Message, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest
from telegram.ext import CommandHandler

from bot.context import AppApplication, AppContext
from bot.core.charts import ChartImage
from bot.services.report_service import CalendarFile
from bot.texts import reports as texts
from handlers.common import actor, command_args, sender

log = logging.getLogger(__name__)


def calendar_caption(calendar: CalendarFile) -> str:
    """How many meetings the file holds, and how to import it."""
    cancelled = ""
    if calendar.cancelled:
        cancelled = texts.CALENDAR_CANCELLED.format(count=calendar.cancelled)
    return texts.CALENDAR_CAPTION.format(
        org=calendar.org, count=calendar.count, cancelled=cancelled
    )


async def cmd_calendar(update: Update, context: AppContext) -> None:
    """The coming meetings of the group's organisation (privately: of the caller's) as .ics."""
    if (found := sender(update)) is None:
        return
    message, user = found
    here = actor(user, message.chat)
    calendar = await context.services.reports.calendar(here, command_args(message))
    document = InputFile(calendar.content, filename=calendar.filename)
    await message.reply_document(document, caption=calendar_caption(calendar))


async def cmd_report(update: Update, context: AppContext) -> None:
    """`/report [期间]` (privately also `[组织]`): the charts, one photo each with a caption."""
    if (found := sender(update)) is None:
        return
    message, user = found
    await message.chat.send_action(ChatAction.UPLOAD_PHOTO)
    report = await context.services.reports.report(
        actor(user, message.chat), command_args(message)
    )
    for chart in report.charts:
        await send_chart(message, chart)


async def send_chart(message: Message, chart: ChartImage) -> None:
    """A chart as a photo (shown in the chat at once); as a document, lossless, should
    Telegram refuse it as a photo (its size or dimensions)."""
    try:
        await message.reply_photo(
            InputFile(chart.content, filename=chart.filename), caption=chart.caption
        )
    except BadRequest as exc:
        log.warning("Chart %s refused as a photo (%s); sending it as a file", chart.filename, exc)
        document = InputFile(chart.content, filename=chart.filename)
        await message.reply_document(document, caption=chart.caption)


def setup(application: AppApplication, group: int) -> None:
    """Register /calendar and /report."""
    application.add_handler(CommandHandler("calendar", cmd_calendar), group)
    application.add_handler(CommandHandler("report", cmd_report), group)
