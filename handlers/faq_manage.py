"""`/faq pending|add|list|edit|delete|export|import`: the organisation's own entries.

Only managers of the group's organisation, in that group (faq_common.managed_group), checked
again for every button. callback_data: `faq:pa:<question id>` (答复), `faq:pd:<id>` (忽略).
A base file is imported from a document whose caption is `/faq import`, or by replying
`/faq import` to it; it is validated whole and written in one transaction.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from telegram import Document, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import AppApplication, AppContext
from bot.core.errors import InvalidInput
from bot.core.faq import FaqFormatError
from bot.services import faq_manage
from bot.services.access import Actor
from bot.texts import faq as texts
from handlers.common import acknowledge, actor, command_args, is_group, sender
from handlers.faq_flow import FaqFlow
from storage.records import QuestionRecord

LIST_SHOWN = 40
QUESTION_SHOWN = 100  # eight pending questions and their buttons stay within one message
ISSUES_SHOWN = 20
Verb = Callable[[Message, Actor, str, AppContext], Awaitable[None]]


def render_pending(
    pending: faq_manage.Pending, tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The pending list with a 答复 / 忽略 pair per question."""
    if not pending.questions:
        return texts.PENDING_EMPTY, None
    lines = [texts.PENDING_HEADER.format(count=pending.total)]
    rows = []
    for n, question in enumerate(pending.questions, 1):
        lines.append(_pending_line(n, question, tz))
        rows.append(
            [
                InlineKeyboardButton(
                    texts.BUTTON_ANSWER.format(n=n), callback_data=f"faq:pa:{question.id}"
                ),
                InlineKeyboardButton(
                    texts.BUTTON_DISMISS.format(n=n), callback_data=f"faq:pd:{question.id}"
                ),
            ]
        )
    if pending.total > len(pending.questions):
        lines.append(texts.PENDING_MORE.format(more=pending.total - len(pending.questions)))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def _pending_line(n: int, question: QuestionRecord, tz: ZoneInfo) -> str:
    # Questions asked privately stay anonymous in the group.
    who = question.asker_name if question.chat_telegram_id is not None else texts.PENDING_PRIVATE
    times = texts.PENDING_TIMES.format(times=question.times) if question.times > 1 else ""
    when = question.asked_at.astimezone(tz).strftime("%m-%d %H:%M")
    return texts.PENDING_LINE.format(
        n=n, question=shorten(question.question), who=who, when=when, times=times
    )


def shorten(text: str, limit: int = QUESTION_SHOWN) -> str:
    """A long question cut to fit a list line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_issues(err: FaqFormatError) -> str:
    """A rejected file's errors with their lines, cut to fit one message."""
    lines = [str(issue) for issue in err.issues[:ISSUES_SHOWN]]
    if len(err.issues) > ISSUES_SHOWN:
        lines.append(texts.IMPORT_MORE_ISSUES.format(more=len(err.issues) - ISSUES_SHOWN))
    head = str(err).split("\n", 1)[0]
    return texts.IMPORT_REJECTED.format(error="\n".join([head, *lines]))


class FaqManage:
    """The /faq verbs and the pending list's buttons."""

    def __init__(self, flow: FaqFlow) -> None:
        self.flow = flow
        self.verbs: dict[str, Verb] = {
            "pending": self.pending,
            "add": self.add,
            "list": self.list_entries,
            "edit": self.edit,
            "delete": self.delete,
            "export": self.export,
            "import": self.import_reply,
        }

    async def cmd_faq(self, update: Update, context: AppContext) -> None:
        """/faq <verb> …: managers only, in the organisation's group."""
        if (found := sender(update)) is None:
            return
        message, user = found
        if not is_group(message.chat):
            await message.reply_text(texts.PRIVATE_MANAGE)
            return
        verb, _, rest = command_args(message).partition(" ")
        handler = self.verbs.get(verb.strip().lower(), self._usage)
        await handler(message, actor(user, message.chat), rest.strip(), context)

    async def _usage(self, message: Message, here: Actor, _: str, context: AppContext) -> None:
        waiting = await context.services.faq.waiting(here)
        hint = texts.PENDING_HINT.format(count=waiting) if waiting else ""
        await message.reply_text(texts.FAQ_USAGE + hint)

    async def pending(self, message: Message, here: Actor, _: str, context: AppContext) -> None:
        """The oldest questions nobody could answer, each with 答复 and 忽略."""
        found = await context.services.faq.pending(here)
        text, keyboard = render_pending(found, context.settings.timezone)
        await message.reply_text(text, reply_markup=keyboard)

    async def add(self, message: Message, here: Actor, _: str, context: AppContext) -> None:
        """Start the guided entry."""
        organisation = await context.services.faq.managed(here)
        assert message.from_user is not None
        await self.flow.start_add(context, message.chat.id, message.from_user, organisation.id)

    async def list_entries(
        self, message: Message, here: Actor, _: str, context: AppContext
    ) -> None:
        """The organisation's entries with their 编号."""
        found = await context.services.faq.entries(here)
        org, entries = found.organisation, found.entries
        if not entries:
            await message.reply_text(texts.LIST_EMPTY.format(org=org.name))
            return
        lines = [texts.LIST_HEADER.format(org=org.name, count=len(entries))]
        lines += [
            texts.LIST_LINE.format(id=s.id, question=shorten(s.entry.question, 60))
            for s in entries[:LIST_SHOWN]
        ]
        if len(entries) > LIST_SHOWN:
            lines.append(texts.LIST_MORE.format(more=len(entries) - LIST_SHOWN))
        lines.append(texts.LIST_FOOTER)
        await message.reply_text("\n".join(lines))

    async def edit(self, message: Message, here: Actor, args: str, context: AppContext) -> None:
        """`/faq edit 编号 字段 新内容`."""
        entry_id, field = await context.services.faq.edit(here, args)
        await message.reply_text(texts.EDIT_DONE.format(id=entry_id, field=field))

    async def delete(self, message: Message, here: Actor, args: str, context: AppContext) -> None:
        """`/faq delete 编号`."""
        gone = await context.services.faq.delete(here, args)
        await message.reply_text(
            texts.DELETE_DONE.format(id=gone.id, question=gone.entry.question)
        )

    async def export(self, message: Message, here: Actor, args: str, context: AppContext) -> None:
        """The organisation's entries as a YAML document (and the shipped base on request)."""
        wants_all = args.strip().lower() in texts.EXPORT_ALL_WORDS
        done = await context.services.faq.export(here, wants_all)
        org = done.organisation
        await message.reply_document(
            io.BytesIO(done.text.encode()),
            filename=f"faq-{org.id}.yaml",
            caption=texts.EXPORT_CAPTION.format(org=org.name, count=done.count),
        )
        if done.shipped is not None:
            await message.reply_document(
                io.BytesIO(faq_manage.export_shipped(done.shipped).encode()),
                filename="faq-shipped.yaml",
                caption=texts.EXPORT_SHIPPED_CAPTION.format(count=len(done.shipped)),
            )

    async def import_reply(
        self, message: Message, here: Actor, _: str, context: AppContext
    ) -> None:
        """`/faq import` as a reply to a document."""
        replied = message.reply_to_message
        if replied is None or replied.document is None:
            await context.services.faq.managed(here)  # refusal first
            raise InvalidInput(texts.IMPORT_USAGE)
        await self._import(message, replied.document, here, context)

    async def on_document(self, update: Update, context: AppContext) -> None:
        """A document sent with the caption `/faq import`."""
        if (found := sender(update)) is None or found[0].document is None:
            return
        message, user = found
        if not is_group(message.chat):
            await message.reply_text(texts.PRIVATE_MANAGE)
            return
        assert message.document is not None
        await self._import(message, message.document, actor(user, message.chat), context)

    @staticmethod
    async def _import(
        message: Message, document: Document, here: Actor, context: AppContext
    ) -> None:
        async def download() -> bytes:
            return bytes(await (await document.get_file()).download_as_bytearray())

        try:
            org, done = await context.services.faq.import_file(
                here, document.file_name or "faq.yaml", document.file_size, download
            )
        except FaqFormatError as err:
            await message.reply_text(render_issues(err))
            return
        await message.reply_text(
            texts.IMPORT_DONE.format(
                added=done.added, updated=done.updated, org=org.name, total=done.total
            )
        )

    async def cb_pending(self, update: Update, context: AppContext) -> None:
        """答复 or 忽略 under the pending list."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None or query.data is None or query.message is None:
            return
        _, action, question_id = query.data.split(":")
        chat = query.message.chat
        done = await context.services.faq.press_pending(
            actor(user, chat), action, int(question_id)
        )
        if done.refreshed is not None:
            await acknowledge(query, texts.DISMISSED.format(question=done.question.question)[:200])
            text, keyboard = render_pending(done.refreshed, context.settings.timezone)
            await query.edit_message_text(text, reply_markup=keyboard)
            return
        await acknowledge(query)
        await self.flow.start_reply(
            context,
            chat.id,
            user,
            done.organisation.id,
            (done.question.id, done.question.question),
        )


def setup(application: AppApplication, group: int, flow: FaqFlow) -> None:
    """Register /faq, imports by caption, and the pending list's buttons."""
    manage = FaqManage(flow)
    application.add_handler(CommandHandler("faq", manage.cmd_faq), group)
    caption = filters.CaptionRegex(r"^/faq(@\w+)?\s+import\b")
    application.add_handler(
        MessageHandler(filters.Document.ALL & caption, manage.on_document), group
    )
    application.add_handler(
        CallbackQueryHandler(manage.cb_pending, pattern=r"^faq:p[ad]:\d{1,9}$"), group
    )
