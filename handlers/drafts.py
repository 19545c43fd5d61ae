"""What the guided flows (meeting_flow, study_flow, faq_flow) share: drafts, prompts, answers.

A guided flow asks one question at a time and keeps the answers in a draft, one per
(chat, person, flow). With group privacy mode on the bot sees only replies to its own
messages, so each question is a ForceReply prompt, and only a reply to the current prompt
by the person drafting moves the draft on; in a private chat a flow may take any text
instead. Drafts are kept in the database (bot/services/draft_service.py): a restart or
another bot process carries on where the person left off. /cancel leaves.

Answers are recognised by one handler in its own handler group, before the features': it
looks the draft up and, when the text answers it, stops the update there; otherwise the
text goes on to the features (a reply giving a 请假 reason, a question for the FAQ).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from telegram import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
    User,
)
from telegram.ext import ApplicationHandlerStop, CommandHandler, MessageHandler, filters

from bot.context import AppApplication, AppContext
from handlers.common import acknowledge, is_group

# Answers that leave an optional step empty.
SKIP_WORDS = frozenset({"无", "没有", "跳过", "-", "—"})


class Prompted(Protocol):
    """A draft: it remembers the message (prompt or confirm buttons) that moves it on."""

    prompt_id: int


D = TypeVar("D", bound=Prompted)


def dump(value: Any) -> Any:
    """A draft's value as JSON (datetimes tagged, tuples as lists)."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, list | tuple):
        return [dump(item) for item in value]
    if isinstance(value, dict):
        return {key: dump(item) for key, item in value.items()}
    return value


def load(value: Any) -> Any:
    """The inverse of `dump`."""
    if isinstance(value, dict):
        if set(value) == {"$datetime"}:
            return datetime.fromisoformat(value["$datetime"])
        return {key: load(item) for key, item in value.items()}
    if isinstance(value, list):
        return [load(item) for item in value]
    return value


async def ask(
    context: AppContext,
    chat_id: int,
    draft: Prompted,
    text: str,
    *,
    reply_to: int | None = None,
    parse_mode: str | None = None,
) -> None:
    """Send a question as a ForceReply prompt; from now on the draft waits for a reply to it.

    ForceReply(selective) opens the reply box only for the people the message replies to
    (`reply_to`, the message that started the draft) or mentions (in `text`).
    """
    replying = None
    if reply_to is not None:
        replying = ReplyParameters(reply_to, allow_sending_without_reply=True)
    prompt = await context.bot.send_message(
        chat_id,
        text,
        parse_mode=parse_mode,
        reply_markup=ForceReply(selective=True),
        reply_parameters=replying,
    )
    draft.prompt_id = prompt.message_id


@dataclass(frozen=True)
class Press(Generic[D]):
    """A button pressed under a draft's current prompt, by the person drafting."""

    query: CallbackQuery
    user: User
    message: Message
    draft: D


class GuidedFlow(ABC, Generic[D]):
    """One kind of guided flow: how its drafts are stored, answered and pressed."""

    name: ClassVar[str]  # the flow's key in the drafts table
    cancelled: ClassVar[str]  # the reply to /cancel
    any_text_in_private: ClassVar[bool] = False

    @abstractmethod
    def restore(self, state: dict[str, Any]) -> D:
        """The draft from its stored state."""

    @abstractmethod
    def state(self, draft: D) -> dict[str, Any]:
        """The draft's state to store (JSON)."""

    @abstractmethod
    def takes_text(self, draft: D) -> bool:
        """The draft waits for typed text (not for a button)."""

    @abstractmethod
    async def on_answer(self, update: Update, context: AppContext, draft: D) -> None:
        """Text answering the draft's current question (the flow saves the draft)."""

    async def save(self, context: AppContext, chat_id: int, user_id: int, draft: D) -> None:
        """Keep the draft as it is now."""
        await context.services.drafts.put(chat_id, user_id, self.name, self.state(draft))

    async def drop(self, context: AppContext, chat_id: int, user_id: int) -> None:
        """The draft is finished or abandoned."""
        await context.services.drafts.drop(chat_id, user_id, self.name)

    async def pressed(
        self,
        update: Update,
        context: AppContext,
        not_yours: str,
        accepts: Callable[[D, str], bool] = lambda _draft, _data: True,
    ) -> Press[D] | None:
        """The press, when the button belongs to the presser's draft's current prompt and
        `accepts` its data; otherwise the presser is told `not_yours`."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None or not isinstance(query.message, Message):
            return None
        stored = await context.services.drafts.get(query.message.chat.id, user.id, self.name)
        draft = self.restore(stored) if stored is not None else None
        if (
            draft is None
            or draft.prompt_id != query.message.message_id
            or not accepts(draft, query.data or "")
        ):
            await acknowledge(query, not_yours, alert=True)
            return None
        return Press(query, user, query.message, draft)

    def answers(self, message: Message, draft: D) -> bool:
        """The message is the drafting person's answer to the draft's current question."""
        if not self.takes_text(draft):
            return False
        if self.any_text_in_private and not is_group(message.chat):
            return True
        replied = message.reply_to_message
        return replied is not None and replied.message_id == draft.prompt_id


def setup(application: AppApplication, group: int, flows: list[GuidedFlow[Any]]) -> None:
    """Register the answers to drafts and /cancel, in their own group before the features."""
    by_name = {flow.name: flow for flow in flows}

    async def on_text(update: Update, context: AppContext) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        for stored in await context.services.drafts.of(message.chat.id, user.id):
            flow = by_name.get(stored.flow)
            if flow is None:
                continue
            draft = flow.restore(stored.state)
            if flow.answers(message, draft):
                await flow.on_answer(update, context, draft)
                raise ApplicationHandlerStop  # answered: no feature sees this text

    async def on_cancel(update: Update, context: AppContext) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        drafts = await context.services.drafts.of(message.chat.id, user.id)
        if not drafts:
            return
        await context.services.drafts.drop(message.chat.id, user.id)
        flow = by_name.get(drafts[0].flow)
        await message.reply_text(flow.cancelled if flow else "")
        raise ApplicationHandlerStop

    # Text a draft may be waiting for: anything privately, replies to the bot in groups.
    waiting = filters.TEXT & ~filters.COMMAND & (filters.ChatType.PRIVATE | filters.REPLY)
    application.add_handler(MessageHandler(waiting, on_text), group)
    application.add_handler(CommandHandler("cancel", on_cancel), group)


def confirm_keyboard(prefix: str, confirm: str, abort: str) -> InlineKeyboardMarkup:
    """One row of two buttons: `confirm` sends `<prefix>ok`, `abort` sends `<prefix>no`."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(confirm, callback_data=f"{prefix}ok"),
                InlineKeyboardButton(abort, callback_data=f"{prefix}no"),
            ]
        ]
    )
