"""`/study add [组织]`: one question per field, each answer checked at once, then confirm.

As in meeting_flow, a small state machine per (chat, person): in groups each question is
a ForceReply prompt and only a reply to it by the person who started moves the draft on
(privacy mode lets the bot see just that); in a private chat any text does. Drafts live
in memory: after a restart the person starts again. /cancel leaves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import (
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
)
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import AppContext
from bot.core.errors import InvalidInput
from bot.core.study import LABELS, check_field, validate_fields
from bot.services import study
from bot.services.study_views import when_text
from bot.texts import study as texts
from handlers.common import command_args, is_group
from handlers.study_common import acting_org

SKIP_WORDS = {"无", "没有", "跳过", "-", "—"}
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
Key = tuple[int, int]  # (chat id, user id)


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


class _Answers(filters.MessageFilter):
    """Text by a drafting person: a reply to the prompt in groups, anything in private."""

    def __init__(self, drafts: dict[Key, Draft]) -> None:
        super().__init__(name="study_draft_answer")
        self._drafts = drafts

    def filter(self, message: Message) -> bool:
        """True when the message answers a live draft's current question."""
        if message.from_user is None:
            return False
        draft = self._drafts.get((message.chat.id, message.from_user.id))
        if draft is None or draft.confirming:
            return False
        if not is_group(message.chat):
            return True
        replied = message.reply_to_message
        return replied is not None and replied.message_id == draft.prompt_id


class _Drafting(filters.MessageFilter):
    """The sender has a study draft in this chat (for /cancel)."""

    def __init__(self, drafts: dict[Key, Draft]) -> None:
        super().__init__(name="study_drafting")
        self._drafts = drafts

    def filter(self, message: Message) -> bool:
        """True while the sender is drafting here."""
        user = message.from_user
        return user is not None and (message.chat.id, user.id) in self._drafts


def _confirm_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.BUTTON_CONFIRM, callback_data="study:add:ok"),
                InlineKeyboardButton(texts.BUTTON_ABORT, callback_data="study:add:no"),
            ]
        ]
    )


def _summary(values: dict[str, Any]) -> str:
    lines = []
    for key, _ in STEPS:
        value = values.get(key)
        shown = "；".join(value) if isinstance(value, list) else str(value or "无")
        lines.append(f"{LABELS[key]}：{shown}")
    return "\n".join(lines)


class StudyFlow:
    """The guided /study add: its drafts and its handlers."""

    def __init__(self) -> None:
        self.drafts: dict[Key, Draft] = {}

    async def start(self, update: Update, context: AppContext) -> None:
        """`/study add [组织]`: check the caller manages an organisation, ask for the title."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        name = command_args(message).removeprefix("add").strip()
        async with context.transaction() as session:
            acting = await acting_org(session, context, message, user, name)
        draft = Draft(acting.organisation.id, origin_id=message.message_id)
        self.drafts[(message.chat.id, user.id)] = draft
        await self._ask(context, message.chat.id, draft, STEPS[0][1])

    async def _ask(self, context: AppContext, chat_id: int, draft: Draft, text: str) -> None:
        prompt = await context.bot.send_message(
            chat_id,
            text,
            reply_markup=ForceReply(selective=True),
            reply_parameters=ReplyParameters(draft.origin_id, allow_sending_without_reply=True),
        )
        draft.prompt_id = prompt.message_id

    async def on_answer(self, update: Update, context: AppContext) -> None:
        """An answer to the current question: checked, stored, and the next one asked."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        draft = self.drafts[(message.chat.id, user.id)]
        key, _ = STEPS[draft.step]
        text = (message.text or "").strip()
        try:
            value = self._value(key, text, context)
        except InvalidInput as err:
            await self._ask(context, message.chat.id, draft, f"{err}\n{texts.FLOW_RETRY}")
            return
        draft.values[key] = value
        draft.step += 1
        if not draft.confirming:
            await self._ask(context, message.chat.id, draft, STEPS[draft.step][1])
            return
        confirm = await message.reply_text(
            texts.FLOW_CONFIRM.format(body=_summary(draft.values)),
            reply_markup=_confirm_keyboard(),
        )
        draft.prompt_id = confirm.message_id

    @staticmethod
    def _value(key: str, text: str, context: AppContext) -> Any:
        now, tz = context.now(), context.settings.timezone
        if key in OPTIONAL and text in SKIP_WORDS:
            return ""
        value = study.typed_value(key, text, now, tz)
        check_field(key, value, now, tz)
        return value

    async def on_button(self, update: Update, context: AppContext) -> None:
        """确认添加 or 取消."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None or query.message is None:
            return
        key = (query.message.chat.id, user.id)
        draft = self.drafts.get(key)
        if draft is None or draft.prompt_id != query.message.message_id:
            await query.answer(texts.FLOW_NOT_YOURS, show_alert=True)
            return
        del self.drafts[key]
        if query.data == "study:add:no":
            await query.answer()
            await query.edit_message_text(texts.FLOW_CANCELLED)
            return
        now, tz = context.now(), context.settings.timezone
        validate_fields(draft.values, now, tz)  # the cross-field rules, before writing
        async with context.transaction() as session:
            topic = await study.add_topic(
                session, draft.organisation_id, user.id, draft.values, now, tz
            )
        await query.answer()
        when = when_text(topic.publish_at, tz)
        await query.edit_message_text(texts.FLOW_ADDED.format(id=topic.id, when=when))

    async def cancel(self, update: Update, context: AppContext) -> None:  # noqa: ARG002
        """/cancel: drop the draft."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        self.drafts.pop((message.chat.id, user.id), None)
        await message.reply_text(texts.FLOW_CANCELLED)


def setup(application: Application, group: int) -> None:  # type: ignore[type-arg]
    """Register the flow before the /study command that handles the other verbs."""
    flow = StudyFlow()
    adding = filters.Regex(r"^/study(@\w+)?\s+(add|添加)\b")
    application.add_handler(CommandHandler("study", flow.start, adding), group)
    application.add_handler(CallbackQueryHandler(flow.on_button, pattern=r"^study:add:"), group)
    answers = filters.TEXT & ~filters.COMMAND & _Answers(flow.drafts)
    application.add_handler(MessageHandler(answers, flow.on_answer), group)
    application.add_handler(CommandHandler("cancel", flow.cancel, _Drafting(flow.drafts)), group)
