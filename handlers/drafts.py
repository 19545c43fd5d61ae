"""What the guided flows (meeting_flow, study_flow, faq_flow) share: drafts, prompts, filters.

A guided flow asks one question at a time and keeps the answers in a draft, one per
(chat, person). With group privacy mode on the bot sees only replies to its own messages,
so each question is a ForceReply prompt, and only a reply to the current prompt by the
person drafting moves the draft on; in a private chat a flow may take any text instead.
Drafts live in memory: after a restart the person starts again. /cancel leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeAlias, TypeVar

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
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.context import AppContext
from handlers.common import is_group

# Answers that leave an optional step empty.
SKIP_WORDS = frozenset({"无", "没有", "跳过", "-", "—"})


class Prompted(Protocol):
    """A draft: it remembers the message (prompt or confirm buttons) that moves it on."""

    prompt_id: int


D = TypeVar("D", bound=Prompted)
Key: TypeAlias = tuple[int, int]  # (chat id, user id)
Drafts: TypeAlias = dict[Key, D]  # one flow's drafts
Callback: TypeAlias = Callable[[Update, AppContext], Coroutine[Any, Any, None]]


class _Answers(filters.MessageFilter, Generic[D]):
    """Text by a drafting person for the current question (see answer_handler)."""

    def __init__(
        self,
        drafts: Drafts[D],
        flow: str,
        takes_text: Callable[[D], bool],
        any_text_in_private: bool,
    ) -> None:
        super().__init__(name=f"{flow}_draft_answer")
        self._drafts = drafts
        self._takes_text = takes_text
        self._any_text_in_private = any_text_in_private

    def filter(self, message: Message) -> bool:
        """True when the message answers a live draft's current question."""
        if message.from_user is None:
            return False
        draft = self._drafts.get((message.chat.id, message.from_user.id))
        if draft is None or not self._takes_text(draft):
            return False
        if self._any_text_in_private and not is_group(message.chat):
            return True
        replied = message.reply_to_message
        return replied is not None and replied.message_id == draft.prompt_id


class _Drafting(filters.MessageFilter):
    """The sender has a draft of this flow in this chat (for /cancel)."""

    def __init__(self, drafts: Drafts[Any], flow: str) -> None:
        super().__init__(name=f"{flow}_drafting")
        self._drafts = drafts

    def filter(self, message: Message) -> bool:
        """True while the sender is drafting here."""
        user = message.from_user
        return user is not None and (message.chat.id, user.id) in self._drafts


def answer_handler(
    drafts: Drafts[D],
    flow: str,
    callback: Callback,
    *,
    takes_text: Callable[[D], bool],
    any_text_in_private: bool = False,
) -> MessageHandler[AppContext, None]:
    """Text (not a command) answering a draft's current question, for `callback`.

    In groups only a reply by the drafting person to the draft's current prompt counts;
    with `any_text_in_private`, any text of theirs in a private chat does too. `takes_text`
    is False while the draft's step is answered by buttons (a type, confirm). `flow` names
    the filter in logs.
    """
    answers = _Answers(drafts, flow, takes_text, any_text_in_private)
    return MessageHandler(filters.TEXT & ~filters.COMMAND & answers, callback)


def cancel_handler(
    drafts: Drafts[Any], flow: str, cancelled: str
) -> CommandHandler[AppContext, None]:
    """/cancel from someone drafting in this chat: drop the draft and reply `cancelled`."""

    async def cancel(update: Update, context: AppContext) -> None:  # noqa: ARG001
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        drafts.pop((message.chat.id, user.id), None)
        await message.reply_text(cancelled)

    return CommandHandler("cancel", cancel, _Drafting(drafts, flow))


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

    @property
    def key(self) -> Key:
        """The draft's key."""
        return (self.message.chat.id, self.user.id)


class GuidedFlow(Generic[D]):
    """A flow's drafts, one per (chat, person), and the check of the buttons pressed."""

    def __init__(self) -> None:
        self.drafts: Drafts[D] = {}

    async def pressed(
        self,
        update: Update,
        not_yours: str,
        accepts: Callable[[D, str], bool] = lambda _draft, _data: True,
    ) -> Press[D] | None:
        """The press, when the button belongs to the presser's draft's current prompt and
        `accepts` its data; otherwise the presser is told `not_yours`."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None or not isinstance(query.message, Message):
            return None
        draft = self.drafts.get((query.message.chat.id, user.id))
        if (
            draft is None
            or draft.prompt_id != query.message.message_id
            or not accepts(draft, query.data or "")
        ):
            await query.answer(not_yours, show_alert=True)
            return None
        return Press(query, user, query.message, draft)


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
