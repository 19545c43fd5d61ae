"""`/meeting` without arguments: type buttons, then time, place and agenda as replies, confirm.

A small state machine per (group, person) rather than PTB's ConversationHandler, whose
callback-query tracking warns unless per_message; the drafts, prompts and /cancel are
those of handlers/drafts.py. Only a reply to the current prompt moves the draft on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import AppApplication, AppContext
from bot.core.errors import InvalidInput
from bot.core.meeting_args import (
    MeetingRequest,
    When,
    clean_agenda,
    clean_place,
    parse_when,
)
from bot.core.meetings import MeetingType, format_when
from bot.services.meeting_views import render_announced
from bot.texts import error_text
from bot.texts import meetings as texts
from handlers.common import actor, sender
from handlers.drafts import (
    SKIP_WORDS,
    GuidedFlow,
    answer_handler,
    ask,
    cancel_handler,
    confirm_keyboard,
)

TEXT_STEPS = {"time", "place", "agenda"}  # answered by a reply; type and confirm by buttons
TYPE_VALUES = {kind.value for kind in MeetingType}
PREFIX = "m:new:"


@dataclass
class Draft:
    """A meeting being described, and the message whose answer moves it on."""

    origin_id: int
    prompt_id: int = 0
    step: str = "type"
    kind: MeetingType = MeetingType.OTHER
    when: When = field(default_factory=When)
    place: str = ""
    agenda: str = ""

    def request(self) -> MeetingRequest:
        """The finished draft as a request."""
        return MeetingRequest(kind=self.kind, when=self.when, place=self.place, agenda=self.agenda)


def _expected(draft: Draft, data: str) -> bool:
    """A type while choosing one, 确认发布 once confirming, 取消 always."""
    expected = TYPE_VALUES if draft.step == "type" else {"ok"}
    return data.removeprefix(PREFIX) in {*expected, "no"}


def _type_keyboard() -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(kind.label, callback_data=f"{PREFIX}{kind.value}")
        for kind in MeetingType
    ]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    rows.append([InlineKeyboardButton(texts.BUTTON_ABORT, callback_data=f"{PREFIX}no")])
    return InlineKeyboardMarkup(rows)


class MeetingFlow(GuidedFlow[Draft]):
    """The guided /meeting: its drafts and its handlers."""

    async def start(self, update: Update, context: AppContext) -> None:
        """`/meeting` alone: offer the types."""
        if (found := sender(update)) is None:
            return
        message, user = found
        await context.services.meetings.check_manager(actor(user, message.chat))
        prompt = await message.reply_text(texts.FLOW_PICK_TYPE, reply_markup=_type_keyboard())
        draft = Draft(origin_id=message.message_id, prompt_id=prompt.message_id)
        self.drafts[(message.chat.id, user.id)] = draft

    async def on_button(self, update: Update, context: AppContext) -> None:
        """A type, 确认发布 or 取消 was pressed."""
        if (press := await self.pressed(update, texts.FLOW_NOT_YOURS, _expected)) is None:
            return
        query, draft, chat = press.query, press.draft, press.message.chat
        choice = (query.data or "").removeprefix(PREFIX)
        if choice == "no":
            del self.drafts[press.key]
            await query.answer()
            await query.edit_message_text(texts.FLOW_CANCELLED)
        elif choice == "ok":
            del self.drafts[press.key]
            here = actor(press.user, chat)
            result = await context.services.meetings.announce(here, draft.request())
            await query.answer()
            await query.edit_message_text(
                render_announced(result, context.settings.timezone, context.now())
            )
        else:
            draft.kind, draft.step = MeetingType(choice), "time"
            await query.answer()
            await query.edit_message_text(texts.NOTICE_TYPE.format(kind=draft.kind.label))
            question = texts.FLOW_ASK_TIME.format(kind=draft.kind.label)
            await ask(context, chat.id, draft, question, reply_to=draft.origin_id)

    async def on_answer(self, update: Update, context: AppContext) -> None:
        """A reply to the current question."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        draft = self.drafts[(message.chat.id, user.id)]
        text = (message.text or "").strip()
        try:
            question = self._take(draft, text, context)
        except InvalidInput as err:
            question = f"{error_text(err)}\n{texts.FLOW_RETRY}"  # the same step, asked again
        if question is not None:
            await ask(context, message.chat.id, draft, question, reply_to=draft.origin_id)
            return
        summary = texts.FLOW_SUMMARY.format(
            kind=draft.kind.label,
            when=self._when_text(draft, context),
            place=draft.place or texts.PLACE_NONE,
            agenda=draft.agenda or texts.AGENDA_NONE,
        )
        confirm = await message.reply_text(
            texts.FLOW_CONFIRM.format(summary=summary),
            reply_markup=confirm_keyboard(PREFIX, texts.BUTTON_CONFIRM, texts.BUTTON_ABORT),
        )
        draft.prompt_id, draft.step = confirm.message_id, "confirm"

    @staticmethod
    def _when_text(draft: Draft, context: AppContext) -> str:
        if draft.when.rule is not None:
            return draft.when.rule.describe()
        assert draft.when.starts_at is not None
        return format_when(draft.when.starts_at, context.settings.timezone, context.now())

    @staticmethod
    def _take(draft: Draft, text: str, context: AppContext) -> str | None:
        """Store the answer to the current step; return the next question (None: confirm)."""
        skip = text in SKIP_WORDS
        if draft.step == "time":
            words = text.split()
            when, used = parse_when(words, context.now(), context.settings.timezone)
            if used != len(words):
                raise InvalidInput(texts.FLOW_TIME_ONLY)
            draft.when, draft.step = when, "place"
            return texts.FLOW_ASK_PLACE
        if draft.step == "place":
            draft.place, draft.step = ("" if skip else clean_place(text)), "agenda"
            return texts.FLOW_ASK_AGENDA
        draft.agenda = "" if skip else clean_agenda(text)
        return None


def setup(application: AppApplication, group: int) -> None:
    """Register the flow; its /meeting (no arguments) must come before the one with them."""
    flow = MeetingFlow()
    in_groups = filters.ChatType.GROUPS
    application.add_handler(
        CommandHandler("meeting", flow.start, in_groups, has_args=False), group
    )
    application.add_handler(CallbackQueryHandler(flow.on_button, pattern=f"^{PREFIX}"), group)
    answers = answer_handler(
        flow.drafts, "meeting", flow.on_answer, takes_text=lambda draft: draft.step in TEXT_STEPS
    )
    application.add_handler(answers, group)
    application.add_handler(cancel_handler(flow.drafts, "meeting", texts.FLOW_CANCELLED), group)
