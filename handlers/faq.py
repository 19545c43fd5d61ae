"""Policy Q&A in chat: /ask, @mentions, replies to the bot, overheard questions, inline mode.

Managing the base (/faq …) is in faq_manage.py and its guided flow in faq_flow.py; `setup`
registers all three. Triggers in groups, from the most to the least explicit:
- /ask and @mentions always get a reply ("没有找到" included); the question is kept for the
  managers when it came by /ask or reads like a question;
- a reply to one of the bot's messages is answered when it matches, or when it reads like a
  question (so "收到" or "谢谢" under a notice stay unanswered);
- any other message reaches the bot only where it reads every message (admin, or privacy
  off): it is answered only when it reads like a question and the match is confident, never
  twice within faq.COOLDOWN for the same entry in the same group, and otherwise left alone.
callback_data: `faq:<key>` (key: `s<hash>` shipped, `o<id>` an organisation's entry).
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
    User,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.context import AppContext
from bot.core.faq import is_question_like
from bot.services import faq
from bot.services.faq import Choice, Reply, Trigger
from bot.services.faq_book import FaqBook
from bot.texts import faq as texts
from handlers import faq_flow, faq_manage
from handlers.common import command_args, group_record, is_group, person

log = logging.getLogger(__name__)

BUTTON_CHARS = 40
INLINE_CACHE_SECONDS = 60


def mentions_bot(message: Message) -> bool:
    """True when the message @mentions the bot (by username or as a text mention)."""
    bot = message.get_bot()
    handle = f"@{bot.username}".lower()
    for entity, text in message.parse_entities().items():
        if entity.type == MessageEntity.MENTION and text.lower() == handle:
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot.id:
            return True
    return False


def replies_to_bot(message: Message) -> bool:
    """True when the message replies to one of the bot's messages."""
    replied = message.reply_to_message
    return (
        replied is not None
        and replied.from_user is not None
        and replied.from_user.id == message.get_bot().id
    )


def without_mention(message: Message) -> str:
    """The message text with the bot's @username taken out."""
    text = message.text or ""
    handle = f"@{message.get_bot().username}"
    return " ".join(text.replace(handle, " ").split())


class _ForTheBot(filters.MessageFilter):
    """Group text the FAQ should look at: a mention, a reply to the bot, or a question."""

    def __init__(self) -> None:
        super().__init__(name="faq_group_text")

    def filter(self, message: Message) -> bool:
        """Cheap checks only: jieba runs later, and only for these."""
        text = message.text or ""
        if not text or text.startswith("/"):
            return False
        return replies_to_bot(message) or mentions_bot(message) or is_question_like(text)


def suggestion_keyboard(candidates: tuple[Choice, ...]) -> InlineKeyboardMarkup:
    """One button per candidate question; pressing it answers in place."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_short(c.entry.question), callback_data=f"faq:{c.key}")]
            for c in candidates
        ]
    )


def _short(text: str) -> str:
    return text if len(text) <= BUTTON_CHARS else text[: BUTTON_CHARS - 1] + "…"


def render_suggestions(candidates: tuple[Choice, ...]) -> str:
    """The 您是不是想问 message."""
    lines = [f"{n}. {c.entry.question}" for n, c in enumerate(candidates, 1)]
    return "\n".join([texts.SUGGEST, *lines])


class FaqChat:
    """Answers questions; holds the FaqBook and when it last spoke up unasked in groups."""

    def __init__(self, book: FaqBook) -> None:
        self.book = book
        self.cooldown = faq.Cooldown()

    async def cmd_ask(self, update: Update, context: AppContext) -> None:
        """/ask 问题, anywhere."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        question = command_args(message)
        if not question:
            await message.reply_text(texts.ASK_USAGE)
            return
        await self._answer(message, user, question, "command", context)

    async def on_group_text(self, update: Update, context: AppContext) -> None:
        """A mention of the bot, a reply to it, or a question overheard in a group."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or user.is_bot:
            return
        trigger: Trigger = "overheard"
        if mentions_bot(message):
            trigger = "mention"
        elif replies_to_bot(message):
            trigger = "reply"
        question = without_mention(message)
        if not question:
            await message.reply_text(texts.ASK_USAGE)
            return
        await self._answer(message, user, question, trigger, context)

    async def _answer(
        self, message: Message, user: User, question: str, trigger: Trigger, context: AppContext
    ) -> None:
        snapshot = await self.book.snapshot()  # before the transaction: it may build
        async with context.transaction() as session:
            chat = None
            if is_group(message.chat):
                chat = await group_record(session, message.chat, context)
                org_ids = await faq.scope_of_chat(session, chat)
            else:
                org_ids = await faq.scope_of_user(session, user.id)
            reply = faq.ask(snapshot, question, org_ids)
            if not faq.worth_replying(reply, trigger, question):
                return
            if not self._fresh(reply, trigger, message.chat.id, context.now()):
                return
            kept = (
                reply.outcome == "none"
                and faq.worth_keeping(trigger, question)
                and await faq.keep_unanswered(
                    session, chat=chat, asker=person(user), question=question, now=context.now()
                )
            )
        await self._send(message, reply, kept=kept)

    def _fresh(self, reply: Reply, trigger: Trigger, chat_id: int, now: datetime) -> bool:
        """Unasked, the same answer is not repeated in a group within the cooldown."""
        if trigger != "overheard" or reply.answer is None:
            return True
        return self.cooldown.allow(chat_id, reply.answer.key, now)

    @staticmethod
    async def _send(message: Message, reply: Reply, *, kept: bool) -> None:
        if reply.answer is not None:
            await message.reply_text(reply.answer.text)
        elif reply.candidates:
            await message.reply_text(
                render_suggestions(reply.candidates),
                reply_markup=suggestion_keyboard(reply.candidates),
            )
        else:
            await message.reply_text(texts.NOT_FOUND_KEPT if kept else texts.NOT_FOUND)

    async def cb_choice(self, update: Update, context: AppContext) -> None:
        """A suggestion was pressed: the message becomes that entry's answer."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None or query.data is None or query.message is None:
            return
        snapshot = await self.book.snapshot()
        choice = faq.entry_by_key(snapshot, query.data.removeprefix("faq:"))
        if choice is not None and choice.entry.org_id is not None:
            # Buttons can be forged: an organisation's entry only where it applies.
            chat = query.message.chat
            async with context.transaction() as session:
                if is_group(chat):
                    record = await group_record(session, chat, context)
                    scope = await faq.scope_of_chat(session, record)
                else:
                    scope = await faq.scope_of_user(session, user.id)
            if choice.entry.org_id not in scope:
                choice = None
        if choice is None:
            await query.answer(texts.ENTRY_GONE, show_alert=True)
            return
        await query.answer()
        await query.edit_message_text(choice.text)

    async def on_inline(self, update: Update, context: AppContext) -> None:
        """`@bot 党费`: the best matches, each sending its answer and source."""
        query = update.inline_query
        if query is None:
            return
        text = query.query.strip()
        results: list[InlineQueryResultArticle] = []
        if text:
            snapshot = await self.book.snapshot()
            async with context.transaction() as session:
                org_ids = await faq.scope_of_user(session, query.from_user.id)
            results = inline_results(faq.ask(snapshot, text, org_ids))
        await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=True)

    async def warm_up(self, context: AppContext) -> None:  # noqa: ARG002
        """Build the matcher soon after start, in a worker thread, before the first question."""
        try:
            await self.book.snapshot()
        except Exception:
            log.exception("Could not build the FAQ matcher; it will be retried on first use")


def inline_results(reply: Reply) -> list[InlineQueryResultArticle]:
    """Inline results: the answer first, then the other candidates."""
    choices = list(reply.candidates)
    if reply.answer is not None:
        choices = [reply.answer, *(c for c in choices if c.key != reply.answer.key)]
    return [
        InlineQueryResultArticle(
            id=choice.key,
            title=choice.entry.question,
            description=_short(choice.entry.answer),
            input_message_content=InputTextMessageContent(choice.text),
        )
        for choice in choices
    ]


def setup(application: Application, group: int) -> None:  # type: ignore[type-arg]
    """Register Q&A and its management. Keep it after other features' handlers of `group`:
    its group-text handler takes mentions and replies to the bot that nobody claimed before.
    """
    runtime = application.bot_data.runtime
    book = FaqBook(runtime.sessions, runtime.clock)
    chat = FaqChat(book)
    flow = faq_flow.setup(application, group, book)
    faq_manage.setup(application, group, book, flow)
    application.add_handler(CommandHandler("ask", chat.cmd_ask), group)
    application.add_handler(CallbackQueryHandler(chat.cb_choice, pattern=r"^faq:[so]\w+$"), group)
    application.add_handler(InlineQueryHandler(chat.on_inline), group)
    # New messages only: an edited question was already answered (or ignored).
    group_text = (
        filters.UpdateType.MESSAGE
        & filters.ChatType.GROUPS
        & filters.TEXT
        & ~filters.COMMAND
        & _ForTheBot()
    )
    application.add_handler(MessageHandler(group_text, chat.on_group_text), group)
    job_queue = application.job_queue
    if job_queue is not None:
        job_queue.run_once(chat.warm_up, 0, name="faq_warm_up")
