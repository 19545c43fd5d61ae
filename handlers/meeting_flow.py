"""`/meeting` without arguments: type buttons, then time, place and agenda as replies, confirm.

A small state machine per (group, person) rather than PTB's ConversationHandler, whose
callback-query tracking warns unless per_message; the drafts, prompts and /cancel are
those of handlers/drafts.py. Only a reply to the current prompt moves the draft on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
from bot.core.recurrence import RecurrenceRule
from bot.services.meeting_views import render_announced
from bot.texts import error_text
from bot.texts import meetings as texts
from handlers.common import acknowledge, actor, sender
from handlers.drafts import SKIP_WORDS, GuidedFlow, ask, confirm_keyboard, dump, load

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
    """The guided /meeting."""

    name = "meeting"
    cancelled = texts.FLOW_CANCELLED

    def restore(self, state: dict[str, Any]) -> Draft:
        """The draft from its stored state."""
        rule = state.get("rule")
        when = When(
            starts_at=load(state.get("starts_at")),
            rule=RecurrenceRule.from_text(rule) if rule else None,
        )
        return Draft(
            origin_id=state["origin_id"],
            prompt_id=state["prompt_id"],
            step=state["step"],
            kind=MeetingType(state["kind"]),
            when=when,
            place=state["place"],
            agenda=state["agenda"],
        )

    def state(self, draft: Draft) -> dict[str, Any]:
        """The draft's state to store."""
        rule = draft.when.rule
        return {
            "origin_id": draft.origin_id,
            "prompt_id": draft.prompt_id,
            "step": draft.step,
            "kind": draft.kind.value,
            "starts_at": dump(draft.when.starts_at),
            "rule": rule.to_text() if rule else None,
            "place": draft.place,
            "agenda": draft.agenda,
        }

    def takes_text(self, draft: Draft) -> bool:
        """Time, place and agenda are typed; the type and the confirmation are buttons."""
        return draft.step in TEXT_STEPS

    async def start(self, update: Update, context: AppContext) -> None:
        """`/meeting` alone: offer the types."""
        if (found := sender(update)) is None:
            return
        message, user = found
        await context.services.meetings.check_manager(actor(user, message.chat))
        prompt = await message.reply_text(texts.FLOW_PICK_TYPE, reply_markup=_type_keyboard())
        draft = Draft(origin_id=message.message_id, prompt_id=prompt.message_id)
        await self.save(context, message.chat.id, user.id, draft)

    async def on_button(self, update: Update, context: AppContext) -> None:
        """A type, 确认发布 or 取消 was pressed."""
        press = await self.pressed(update, context, texts.FLOW_NOT_YOURS, _expected)
        if press is None:
            return
        query, draft, chat, user = press.query, press.draft, press.message.chat, press.user
        choice = (query.data or "").removeprefix(PREFIX)
        if choice in ("no", "ok"):
            await self.drop(context, chat.id, user.id)
        if choice == "no":
            await acknowledge(query)
            await query.edit_message_text(texts.FLOW_CANCELLED)
        elif choice == "ok":
            result = await context.services.meetings.announce(actor(user, chat), draft.request())
            await acknowledge(query)
            await query.edit_message_text(
                render_announced(result, context.settings.timezone, context.now())
            )
        else:
            draft.kind, draft.step = MeetingType(choice), "time"
            await acknowledge(query)
            await query.edit_message_text(texts.NOTICE_TYPE.format(kind=draft.kind.label))
            question = texts.FLOW_ASK_TIME.format(kind=draft.kind.label)
            await ask(context, chat.id, draft, question, reply_to=draft.origin_id)
            await self.save(context, chat.id, user.id, draft)

    async def on_answer(self, update: Update, context: AppContext, draft: Draft) -> None:
        """A reply to the current question."""
        if (found := sender(update)) is None:
            return
        message, user = found
        text = (message.text or "").strip()
        try:
            question = self._take(draft, text, context)
        except InvalidInput as err:
            question = f"{error_text(err)}\n{texts.FLOW_RETRY}"  # the same step, asked again
        if question is not None:
            await ask(context, message.chat.id, draft, question, reply_to=draft.origin_id)
        else:
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
        await self.save(context, message.chat.id, user.id, draft)

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


def setup(application: AppApplication, group: int) -> MeetingFlow:
    """Register the flow's start and buttons; its /meeting (no arguments) must come before the
    one with them. Returns it for the drafts' answer handler."""
    flow = MeetingFlow()
    in_groups = filters.ChatType.GROUPS
    application.add_handler(
        CommandHandler("meeting", flow.start, in_groups, has_args=False), group
    )
    application.add_handler(CallbackQueryHandler(flow.on_button, pattern=f"^{PREFIX}"), group)
    return flow
