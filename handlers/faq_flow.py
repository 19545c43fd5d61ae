"""Writing an entry step by step: `/faq add`, or 答复 on a pending question.

/faq add asks for the question, other phrasings, keywords, the answer and its source;
答复 starts from the asked question and asks for the answer and source first, then the
phrasings (the asked question counts as one) and keywords. Then 保存 / 取消.
As in meeting_flow, the drafts, prompts and /cancel are those of handlers/drafts.py; each
prompt mentions the manager, so that only they get the reply box, and only their reply to
the current prompt moves the draft on. Saving checks again that the person manages the
organisation.
"""

from __future__ import annotations

import asyncio
import html
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from telegram import Update, User
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler

from bot.context import AppApplication, AppContext
from bot.core.errors import InvalidInput
from bot.core.faq.kb import MAX_ANSWER_CHARS, MIN_PHRASINGS
from bot.services import faq_input
from bot.services.faq_input import EntryText
from bot.texts import error_text
from bot.texts import faq as texts
from handlers.common import acknowledge, actor, sender
from handlers.drafts import GuidedFlow, ask, confirm_keyboard, dump

ADD_STEPS = ("question", "phrasings", "keywords", "answer", "source")
REPLY_STEPS = ("answer", "source", "phrasings", "keywords")
PREFIX = "faq:new:"


@dataclass
class Draft:
    """An entry being written, and the message whose reply moves it on."""

    organisation_id: int
    steps: list[str]
    text: EntryText = field(default_factory=EntryText)
    prompt_id: int = 0
    pending_id: int | None = None
    auto_keywords: tuple[str, ...] = ()

    @property
    def tag(self) -> str:
        """The line that starts every prompt, so the manager knows which draft it is."""
        if self.pending_id is None:
            return texts.FLOW_TAG_NEW
        return texts.FLOW_TAG_REPLY.format(question=self.text.question)

    def take(self, value: str) -> None:
        """Store the reply to the current step (raises InvalidInput) and move on."""
        step = self.steps[0]
        if step == "keywords" and value.strip() in texts.SKIP_WORDS and self.auto_keywords:
            self.text = replace(self.text, keywords=self.auto_keywords)
        elif step == "phrasings" and self.pending_id is not None:
            phrasings = faq_input.read_phrasings(value, existing=(self.text.question,))
            self.text = replace(self.text, phrasings=phrasings)
        else:
            self.text = self.text.with_field(step, value)
        self.steps.pop(0)


def _step_question(draft: Draft) -> str:
    step = draft.steps[0]
    if step == "question":
        return texts.FLOW_ASK_QUESTION
    if step == "phrasings":
        have = 1 if draft.pending_id is not None else 0
        return texts.FLOW_ASK_PHRASINGS.format(n=MIN_PHRASINGS - have)
    if step == "keywords":
        if not draft.auto_keywords:
            return texts.FLOW_ASK_KEYWORDS_NO_AUTO
        return texts.FLOW_ASK_KEYWORDS.format(auto="、".join(draft.auto_keywords))
    if step == "answer":
        return texts.FLOW_ASK_ANSWER.format(limit=MAX_ANSWER_CHARS)
    return texts.FLOW_ASK_SOURCE


def render_draft(text: EntryText) -> str:
    """The summary shown before saving."""
    return texts.FLOW_CONFIRM.format(
        question=text.question,
        phrasings="；".join(text.phrasings),
        keywords="、".join(text.keywords),
        answer=text.answer,
        source=text.source,
    )


class FaqFlow(GuidedFlow[Draft]):
    """The guided entry."""

    name = "faq"
    cancelled = texts.FLOW_CANCELLED

    def restore(self, state: dict[str, Any]) -> Draft:
        """The draft from its stored state."""
        text = EntryText(**{key: _tuple(value) for key, value in state["text"].items()})
        return Draft(
            organisation_id=state["organisation_id"],
            steps=list(state["steps"]),
            text=text,
            prompt_id=state["prompt_id"],
            pending_id=state["pending_id"],
            auto_keywords=tuple(state["auto_keywords"]),
        )

    def state(self, draft: Draft) -> dict[str, Any]:
        """The draft's state to store."""
        return {
            "organisation_id": draft.organisation_id,
            "steps": draft.steps,
            "text": dump(asdict(draft.text)),
            "prompt_id": draft.prompt_id,
            "pending_id": draft.pending_id,
            "auto_keywords": list(draft.auto_keywords),
        }

    def takes_text(self, draft: Draft) -> bool:
        """Once every step is answered the prompt is the summary with 保存 / 取消."""
        return bool(draft.steps)

    async def start_add(
        self, context: AppContext, chat_id: int, user: User, organisation_id: int
    ) -> None:
        """`/faq add`: ask for the question."""
        draft = Draft(organisation_id, list(ADD_STEPS))
        await self._ask(context, chat_id, user, draft)

    async def start_reply(
        self,
        context: AppContext,
        chat_id: int,
        user: User,
        organisation_id: int,
        pending: tuple[int, str],
    ) -> None:
        """答复 on a pending question (id, text): the entry starts as that question."""
        question = pending[1][: faq_input.MAX_QUESTION_CHARS]
        draft = Draft(organisation_id, list(REPLY_STEPS), EntryText(question=question))
        draft.pending_id = pending[0]
        await self._ask(context, chat_id, user, draft)

    async def _ask(
        self, context: AppContext, chat_id: int, user: User, draft: Draft, error: str = ""
    ) -> None:
        """Send the current step's prompt; the mention makes ForceReply target the manager."""
        if draft.steps[0] == "keywords" and not draft.auto_keywords:
            # jieba: in a worker thread, so a cold tokenizer never blocks the event loop.
            draft.auto_keywords = await asyncio.to_thread(
                faq_input.suggest_keywords, draft.text.question
            )
        body = f"{error}\n{texts.FLOW_RETRY}" if error else draft.tag + _step_question(draft)
        mention = f'<a href="tg://user?id={user.id}">{html.escape(user.full_name)}</a>'
        text = f"{mention} {html.escape(body)}"
        await ask(context, chat_id, draft, text, parse_mode=ParseMode.HTML)
        await self.save(context, chat_id, user.id, draft)

    async def on_answer(self, update: Update, context: AppContext, draft: Draft) -> None:
        """A reply to the current prompt."""
        if (found := sender(update)) is None:
            return
        message, user = found
        try:
            draft.take(message.text or "")
        except InvalidInput as err:
            await self._ask(context, message.chat.id, user, draft, error_text(err))
            return
        if draft.steps:
            await self._ask(context, message.chat.id, user, draft)
            return
        confirm = await message.reply_text(
            render_draft(draft.text),
            reply_markup=confirm_keyboard(PREFIX, texts.BUTTON_SAVE, texts.BUTTON_ABORT),
        )
        draft.prompt_id = confirm.message_id
        await self.save(context, message.chat.id, user.id, draft)

    async def on_button(self, update: Update, context: AppContext) -> None:
        """保存 or 取消 under the summary."""
        press = await self.pressed(update, context, texts.FLOW_NOT_YOURS, _finished)
        if press is None:
            return
        query, draft = press.query, press.draft
        await self.drop(context, press.message.chat.id, press.user.id)
        if query.data != f"{PREFIX}ok":
            await acknowledge(query)
            await query.edit_message_text(texts.FLOW_CANCELLED)
            return
        here = actor(press.user, press.message.chat)
        stored = await context.services.faq.save(
            here, draft.organisation_id, draft.text, draft.pending_id
        )
        await acknowledge(query)
        done = texts.FLOW_SAVED if draft.pending_id is None else texts.FLOW_SAVED_PENDING
        await query.edit_message_text(done.format(id=stored.id, question=draft.text.question))


def _finished(draft: Draft, _data: str) -> bool:
    """Every step is answered: the summary's buttons are live."""
    return not draft.steps


def setup(application: AppApplication, group: int) -> FaqFlow:
    """Register the flow's buttons; return it for /faq to start and for the drafts' answers."""
    flow = FaqFlow()
    application.add_handler(CallbackQueryHandler(flow.on_button, pattern=f"^{PREFIX}"), group)
    return flow


def _tuple(value: Any) -> Any:
    """JSON lists back as the tuples EntryText holds."""
    return tuple(value) if isinstance(value, list) else value
