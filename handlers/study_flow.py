"""`/study add [组织]`: one question per field, each answer checked at once, then confirm.

As in meeting_flow, a small state machine per (chat, person) on handlers/drafts.py: in
groups only a reply to the current prompt moves the draft on; in a private chat any text does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import AppApplication, AppContext
from bot.core.errors import InvalidInput
from bot.core.study_fields import LABELS
from bot.services.study_views import when_text
from bot.texts import error_text
from bot.texts import study as texts
from handlers.common import acknowledge, actor, command_args, sender
from handlers.drafts import SKIP_WORDS, GuidedFlow, ask, confirm_keyboard, dump, load

STEPS = (
    ("title", texts.FLOW_ASK_TITLE),
    ("publish_at", texts.FLOW_ASK_PUBLISH),
    ("summary", texts.FLOW_ASK_SUMMARY),
    ("materials", texts.FLOW_ASK_MATERIALS),
    ("questions", texts.FLOW_ASK_QUESTIONS),
    ("deadline", texts.FLOW_ASK_DEADLINE),
    ("quiz", texts.FLOW_ASK_QUIZ),
    ("scope", texts.FLOW_ASK_SCOPE),
)
OPTIONAL = {"materials", "quiz"}
PREFIX = "study:add:"


@dataclass
class Draft:
    """A topic being described, and the message whose answer moves it on."""

    organisation_id: int
    origin_id: int
    prompt_id: int = 0
    step: int = 0
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def confirming(self) -> bool:
        """Every field is in; the confirm buttons are shown."""
        return self.step >= len(STEPS)


def _summary(values: dict[str, Any]) -> str:
    lines = []
    for key, _ in STEPS:
        value = values.get(key)
        shown = "；".join(value) if isinstance(value, list) else str(value or "无")
        lines.append(f"{LABELS[key]}：{shown}")
    return "\n".join(lines)


class StudyFlow(GuidedFlow[Draft]):
    """The guided /study add."""

    name = "study"
    cancelled = texts.FLOW_CANCELLED
    any_text_in_private = True

    def restore(self, state: dict[str, Any]) -> Draft:
        """The draft from its stored state."""
        return Draft(
            organisation_id=state["organisation_id"],
            origin_id=state["origin_id"],
            prompt_id=state["prompt_id"],
            step=state["step"],
            values=load(state["values"]),
        )

    def state(self, draft: Draft) -> dict[str, Any]:
        """The draft's state to store."""
        return {
            "organisation_id": draft.organisation_id,
            "origin_id": draft.origin_id,
            "prompt_id": draft.prompt_id,
            "step": draft.step,
            "values": dump(draft.values),
        }

    def takes_text(self, draft: Draft) -> bool:
        """Every field is typed; only the confirmation is a button."""
        return not draft.confirming

    async def start(self, update: Update, context: AppContext) -> None:
        """`/study add [组织]`: check the caller manages an organisation, ask for the title."""
        if (found := sender(update)) is None:
            return
        message, user = found
        acting = await context.services.study.start_adding(
            actor(user, message.chat), command_args(message)
        )
        draft = Draft(acting.org.id, origin_id=message.message_id)
        await ask(context, message.chat.id, draft, STEPS[0][1], reply_to=draft.origin_id)
        await self.save(context, message.chat.id, user.id, draft)

    async def on_answer(self, update: Update, context: AppContext, draft: Draft) -> None:
        """An answer to the current question: checked, stored, and the next one asked."""
        if (found := sender(update)) is None:
            return
        message, user = found
        key, _ = STEPS[draft.step]
        try:
            value = self._value(key, (message.text or "").strip(), context)
        except InvalidInput as err:
            question = f"{error_text(err)}\n{texts.FLOW_RETRY}"
        else:
            draft.values[key] = value
            draft.step += 1
            question = "" if draft.confirming else STEPS[draft.step][1]
        if question:
            await ask(context, message.chat.id, draft, question, reply_to=draft.origin_id)
        else:
            confirm = await message.reply_text(
                texts.FLOW_CONFIRM.format(body=_summary(draft.values)),
                reply_markup=confirm_keyboard(PREFIX, texts.BUTTON_CONFIRM, texts.BUTTON_ABORT),
            )
            draft.prompt_id = confirm.message_id
        await self.save(context, message.chat.id, user.id, draft)

    @staticmethod
    def _value(key: str, text: str, context: AppContext) -> Any:
        if key in OPTIONAL and text in SKIP_WORDS:
            return ""
        return context.services.study.field_value(key, text)

    async def on_button(self, update: Update, context: AppContext) -> None:
        """确认添加 or 取消."""
        if (press := await self.pressed(update, context, texts.FLOW_NOT_YOURS)) is None:
            return
        query, draft, chat = press.query, press.draft, press.message.chat
        await self.drop(context, chat.id, press.user.id)
        if query.data == f"{PREFIX}no":
            await acknowledge(query)
            await query.edit_message_text(texts.FLOW_CANCELLED)
            return
        here = actor(press.user, chat)
        topic = await context.services.study.add(here, draft.organisation_id, draft.values)
        await acknowledge(query)
        when = when_text(topic.publish_at, context.settings.timezone)
        await query.edit_message_text(texts.FLOW_ADDED.format(id=topic.id, when=when))


def setup(application: AppApplication, group: int) -> StudyFlow:
    """Register the flow before the /study command that handles the other verbs; return it
    for the drafts' answer handler."""
    flow = StudyFlow()
    adding = filters.Regex(r"^/study(@\w+)?\s+(add|添加)\b")
    application.add_handler(CommandHandler("study", flow.start, adding), group)
    application.add_handler(CallbackQueryHandler(flow.on_button, pattern=f"^{PREFIX}"), group)
    return flow
