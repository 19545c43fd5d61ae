"""Policy Q&A in chat: /ask, @mentions, replies to the bot, overheard questions, inline mode.

Managing the base (/faq …) is in faq_manage.py and its guided flow in faq_flow.py; `setup`
registers all three. Triggers in groups, from the most to the least explicit:
- /ask and @mentions always get a reply ("没有找到" included); the question is kept for the
  managers when it came by /ask or reads like a question;
- a reply to one of the bot's messages is answered when it matches, or when it reads like a
  question (so "收到" or "谢谢" under a notice stay unanswered);
- any other message reaches the bot only where it reads every message (admin, or privacy
  off): it is answered only when it reads like a question and the match is confident, never
  twice within faq.COOLDOWN for the same entry in the same group, and otherwise left alone;
- in a private chat, text that is no command and no reply is a question, answered by the
  same rule as /ask (silence only for chatter that matches nothing).
An answer names the question it answers (问：…) and offers up to two related questions as
buttons. callback_data: `faq:<key>` (a suggestion: the message becomes its answer) and
`faqr:<key>` (a related question: answered in a new message); key: `s<hash>` shipped, `o<id>`
an organisation's entry. Anyone may press them; the service checks the entry applies here.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import (
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
    User,
)
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.context import AppApplication, AppContext
from bot.core.faq import is_question_like
from bot.services.faq import (
    RELATED_PREFIX,
    SUGGESTION_PREFIX,
    Choice,
    Reply,
    Trigger,
    related_keyboard,
    suggestion_keyboard,
)
from bot.texts import faq as texts
from delivery.keyboards import markup
from handlers import faq_flow, faq_manage
from handlers.common import acknowledge, actor, command_args, sender
from handlers.drafts import GuidedFlow

log = logging.getLogger(__name__)

BUTTON_CHARS = 40
# A suggestion (faq:) or a related question (faqr:) and an entry's key: validated before use.
CHOICE_DATA = r"^faqr?:[so]\w{1,40}$"
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


def _short(text: str) -> str:
    return text if len(text) <= BUTTON_CHARS else text[: BUTTON_CHARS - 1] + "…"


def render_suggestions(candidates: tuple[Choice, ...]) -> str:
    """The 您是不是想问 message."""
    lines = [f"{n}. {c.entry.question}" for n, c in enumerate(candidates, 1)]
    return "\n".join([texts.SUGGEST, *lines])


async def cmd_ask(update: Update, context: AppContext) -> None:
    """/ask 问题, anywhere."""
    if (found := sender(update)) is None:
        return
    message, user = found
    question = command_args(message)
    if not question:
        await message.reply_text(texts.ASK_USAGE)
        return
    await _answer(message, user, question, "command", context)


async def on_group_text(update: Update, context: AppContext) -> None:
    """A mention of the bot, a reply to it, or a question overheard in a group."""
    if (found := sender(update)) is None or found[1].is_bot:
        return
    message, user = found
    trigger: Trigger = "overheard"
    if mentions_bot(message):
        trigger = "mention"
    elif replies_to_bot(message):
        trigger = "reply"
    question = without_mention(message)
    if not question:
        await message.reply_text(texts.ASK_USAGE)
        return
    await _answer(message, user, question, trigger, context)


async def on_private_text(update: Update, context: AppContext) -> None:
    """A message in a private chat with the bot: a question, as if asked with /ask."""
    if (found := sender(update)) is None:
        return
    message, user = found
    await _answer(message, user, message.text or "", "private", context)


async def _answer(
    message: Message, user: User, question: str, trigger: Trigger, context: AppContext
) -> None:
    asked = await context.services.faq.ask(actor(user, message.chat), question, trigger)
    if asked is None:
        return
    reply = asked.reply
    if reply.answer is not None:
        await message.reply_text(
            reply.answer.text, reply_markup=markup(related_keyboard(reply.related))
        )
    elif reply.candidates:
        await message.reply_text(
            render_suggestions(reply.candidates),
            reply_markup=markup(suggestion_keyboard(reply.candidates)),
        )
    elif reply.local:
        await message.reply_text(texts.OWN_DATA)
    else:
        await message.reply_text(texts.NOT_FOUND_KEPT if asked.kept else texts.NOT_FOUND)


async def cb_choice(update: Update, context: AppContext) -> None:
    """A suggestion was pressed (the message becomes its answer) or a related question (it is
    answered in a new message, under the answer it was offered with)."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None or query.message is None:
        return
    await acknowledge(query)  # first: building the matcher may take a moment
    related = query.data.startswith(RELATED_PREFIX)
    key = query.data.removeprefix(RELATED_PREFIX if related else SUGGESTION_PREFIX)
    picked = await context.services.faq.choice(actor(user, query.message.chat), key)
    message = query.message
    if picked is None or picked.answer is None:
        if isinstance(message, Message):
            await message.reply_text(texts.ENTRY_GONE)
        return
    keyboard = markup(related_keyboard(picked.related))
    if related and isinstance(message, Message):
        await message.reply_text(picked.answer.text, reply_markup=keyboard)
    else:
        await query.edit_message_text(picked.answer.text, reply_markup=keyboard)


async def on_inline(update: Update, context: AppContext) -> None:
    """`@bot 党费`: the best matches, each sending its answer and source."""
    query = update.inline_query
    if query is None:
        return
    reply = await context.services.faq.inline(query.from_user.id, query.query.strip())
    results = inline_results(reply) if reply is not None else []
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=True)


async def warm_up(context: AppContext) -> None:
    """Build the matcher soon after start, in a worker thread, before the first question."""
    try:
        await context.services.faq.warm_up()
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


def setup(application: AppApplication, group: int) -> GuidedFlow[Any]:
    """Register Q&A and its management. Keep it after other features' handlers of `group`:
    its group-text handler takes mentions and replies to the bot that nobody claimed before.
    """
    flow = faq_flow.setup(application, group)
    faq_manage.setup(application, group, flow)
    application.add_handler(CommandHandler("ask", cmd_ask), group)
    application.add_handler(CallbackQueryHandler(cb_choice, pattern=CHOICE_DATA), group)
    application.add_handler(InlineQueryHandler(on_inline), group)
    # New messages only: an edited question was already answered (or ignored).
    group_text = (
        filters.UpdateType.MESSAGE
        & filters.ChatType.GROUPS
        & filters.TEXT
        & ~filters.COMMAND
        & _ForTheBot()
    )
    application.add_handler(MessageHandler(group_text, on_group_text), group)
    # Replies are left to the prompts that asked for them (a reason for leave, a draft).
    private_text = (
        filters.UpdateType.MESSAGE
        & filters.ChatType.PRIVATE
        & filters.TEXT
        & ~filters.COMMAND
        & ~filters.REPLY
    )
    application.add_handler(MessageHandler(private_text, on_private_text), group)
    job_queue = application.job_queue
    if job_queue is not None:
        job_queue.run_once(warm_up, 0, name="faq_warm_up")
    return flow
