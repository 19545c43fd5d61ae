"""/ledger: the organisation's 台账 as an XLSX file; a manager of several picks one by button."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import AppApplication, AppContext
from bot.core.errors import UserFacingError
from bot.core.ledger_rows import LedgerFile
from bot.services.ledger_service import MAX_BUTTONS, OrgChoice
from bot.texts import error_text
from bot.texts import ledger as texts
from handlers.common import acknowledge, actor, command_args, sender

CALLBACK = r"^ledger:\d{1,9}:\S{1,40}$"


def caption(ledger: LedgerFile) -> str:
    """What the file says of itself: organisation, period, and the counts inside."""
    below = ""
    if ledger.below:
        below = texts.CAPTION_BELOW.format(count=ledger.below, behind=ledger.behind)
    return texts.CAPTION.format(
        org=ledger.org,
        period=ledger.period,
        span=ledger.span,
        meetings=ledger.meetings,
        topics=ledger.topics,
        members=ledger.members,
        below=below,
    )


async def send_ledger(message: Message, ledger: LedgerFile) -> None:
    """The workbook as a document with its caption."""
    document = InputFile(ledger.content, filename=ledger.filename)
    await message.reply_document(document, caption=caption(ledger))


def choice_keyboard(choice: OrgChoice) -> InlineKeyboardMarkup:
    """One button per organisation the caller manages."""
    label = choice.period.label
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(org.name, callback_data=f"ledger:{org.id}:{label}")]
            for org in choice.organisations[:MAX_BUTTONS]
        ]
    )


async def cmd_ledger(update: Update, context: AppContext) -> None:
    """`/ledger [期间]` (privately also `[组织]`): the XLSX, or buttons to pick from."""
    if (found := sender(update)) is None:
        return
    message, user = found
    result = await context.services.ledger.export(actor(user, message.chat), command_args(message))
    if isinstance(result, OrgChoice):
        text = texts.PICK_ORG.format(period=result.period.label)
        if len(result.organisations) > MAX_BUTTONS:
            text += "\n" + texts.PICK_MORE.format(shown=MAX_BUTTONS, period=result.period.label)
        await message.reply_text(text, reply_markup=choice_keyboard(result))
        return
    await send_ledger(message, result)


async def cb_ledger(update: Update, context: AppContext) -> None:
    """An organisation picked: its ledger over the period the buttons were made for."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None or query.message is None:
        return
    _, org_id, period = query.data.split(":", 2)
    # Answered before the build: a county's workbook takes longer than Telegram waits for it.
    await acknowledge(query)
    message = query.message
    assert isinstance(message, Message)
    try:
        ledger = await context.services.ledger.export_for(
            actor(user, message.chat), int(org_id), period
        )
    except UserFacingError as refused:  # the press is answered already: say it in the chat
        await message.reply_text(error_text(refused))
        return
    await send_ledger(message, ledger)


def setup(application: AppApplication, group: int) -> None:
    """Register /ledger and its buttons."""
    application.add_handler(CommandHandler("ledger", cmd_ledger), group)
    application.add_handler(CallbackQueryHandler(cb_ledger, pattern=CALLBACK), group)
