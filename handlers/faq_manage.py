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

from telegram import Document, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import AppContext
from bot.core.errors import InvalidInput
from bot.core.faq import FaqFormatError
from bot.services import faq_manage
from bot.services.faq_book import FaqBook
from bot.texts import faq as texts
from handlers.common import command_args, is_group
from handlers.faq_common import managed_group, managed_organisation
from handlers.faq_flow import FaqFlow
from storage.records import QuestionRecord

LIST_SHOWN = 40
QUESTION_SHOWN = 100  # eight pending questions and their buttons stay within one message
ISSUES_SHOWN = 20
Verb = Callable[[Message, User, str, AppContext], Awaitable[None]]


def parse_number(word: str) -> int:
    """An entry's 编号."""
    if not word.isdigit():
        raise InvalidInput(texts.BAD_NUMBER.format(word=word))
    return int(word)


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

    def __init__(self, book: FaqBook, flow: FaqFlow) -> None:
        self.book, self.flow = book, flow
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
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        if not is_group(message.chat):
            await message.reply_text(texts.PRIVATE_MANAGE)
            return
        verb, _, rest = command_args(message).partition(" ")
        handler = self.verbs.get(verb.strip().lower())
        if handler is None:
            await self._usage(message, user, context)
            return
        await handler(message, user, rest.strip(), context)

    async def _usage(self, message: Message, user: User, context: AppContext) -> None:
        async with context.transaction() as session:
            organisation = await managed_organisation(session, message.chat, user, context)
            waiting = (await faq_manage.pending(session, organisation.id)).total
        hint = texts.PENDING_HINT.format(count=waiting) if waiting else ""
        await message.reply_text(texts.FAQ_USAGE + hint)

    async def pending(self, message: Message, user: User, _: str, context: AppContext) -> None:
        """The oldest questions nobody could answer, each with 答复 and 忽略."""
        async with context.transaction() as session:
            organisation = await managed_organisation(session, message.chat, user, context)
            found = await faq_manage.pending(session, organisation.id)
        text, keyboard = render_pending(found, context.settings.timezone)
        await message.reply_text(text, reply_markup=keyboard)

    async def add(self, message: Message, user: User, _: str, context: AppContext) -> None:
        """Start the guided entry."""
        async with context.transaction() as session:
            organisation = await managed_organisation(session, message.chat, user, context)
        await self.flow.start_add(context, message.chat.id, user, organisation.id)

    async def list_entries(
        self, message: Message, user: User, _: str, context: AppContext
    ) -> None:
        """The organisation's entries with their 编号."""
        async with context.transaction() as session:
            organisation = await managed_organisation(session, message.chat, user, context)
            entries = await faq_manage.list_entries(session, organisation.id)
        if not entries:
            await message.reply_text(texts.LIST_EMPTY.format(org=organisation.name))
            return
        lines = [texts.LIST_HEADER.format(org=organisation.name, count=len(entries))]
        lines += [
            texts.LIST_LINE.format(id=s.id, question=shorten(s.entry.question, 60))
            for s in entries[:LIST_SHOWN]
        ]
        if len(entries) > LIST_SHOWN:
            lines.append(texts.LIST_MORE.format(more=len(entries) - LIST_SHOWN))
        lines.append(texts.LIST_FOOTER)
        await message.reply_text("\n".join(lines))

    async def edit(self, message: Message, user: User, args: str, context: AppContext) -> None:
        """`/faq edit 编号 字段 新内容`."""
        async with context.transaction() as session:
            organisation = await managed_organisation(session, message.chat, user, context)
            words = args.split(maxsplit=2)
            if len(words) < 3:
                raise InvalidInput(texts.EDIT_USAGE)
            entry_id, field = parse_number(words[0]), texts.FIELDS.get(words[1])
            if field is None:
                raise InvalidInput(texts.UNKNOWN_FIELD.format(word=words[1]))
            await faq_manage.edit_entry(
                session, organisation.id, entry_id, field, words[2], context.now()
            )
        await self.book.reload()
        await message.reply_text(texts.EDIT_DONE.format(id=entry_id, field=words[1]))

    async def delete(self, message: Message, user: User, args: str, context: AppContext) -> None:
        """`/faq delete 编号`."""
        async with context.transaction() as session:
            organisation = await managed_organisation(session, message.chat, user, context)
            if not args:
                raise InvalidInput(texts.DELETE_USAGE)
            entry_id = parse_number(args.split()[0])
            gone = await faq_manage.delete_entry(session, organisation.id, entry_id)
        await self.book.reload()
        await message.reply_text(
            texts.DELETE_DONE.format(id=entry_id, question=gone.entry.question)
        )

    async def export(self, message: Message, user: User, args: str, context: AppContext) -> None:
        """The organisation's entries as a YAML document (and the shipped base on request)."""
        async with context.transaction() as session:
            organisation = await managed_organisation(session, message.chat, user, context)
            text, count = await faq_manage.export_yaml(session, organisation.id)
        await message.reply_document(
            io.BytesIO(text.encode()),
            filename=f"faq-{organisation.id}.yaml",
            caption=texts.EXPORT_CAPTION.format(org=organisation.name, count=count),
        )
        if args.strip().lower() in texts.EXPORT_ALL_WORDS:
            shipped = await self.book.shipped()
            await message.reply_document(
                io.BytesIO(faq_manage.export_shipped(shipped).encode()),
                filename="faq-shipped.yaml",
                caption=texts.EXPORT_SHIPPED_CAPTION.format(count=len(shipped)),
            )

    async def import_reply(
        self, message: Message, user: User, _: str, context: AppContext
    ) -> None:
        """`/faq import` as a reply to a document."""
        replied = message.reply_to_message
        if replied is None or replied.document is None:
            async with context.transaction() as session:
                await managed_group(session, message.chat, user, context)  # refusal first
            raise InvalidInput(texts.IMPORT_USAGE)
        await self._import(message, replied.document, user, context)

    async def on_document(self, update: Update, context: AppContext) -> None:
        """A document sent with the caption `/faq import`."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.document is None:
            return
        if not is_group(message.chat):
            await message.reply_text(texts.PRIVATE_MANAGE)
            return
        await self._import(message, message.document, user, context)

    async def _import(
        self, message: Message, document: Document, user: User, context: AppContext
    ) -> None:
        async with context.transaction() as session:
            await managed_group(session, message.chat, user, context)  # before downloading
        if (document.file_size or 0) > faq_manage.MAX_IMPORT_BYTES:
            raise InvalidInput(
                texts.IMPORT_TOO_BIG.format(limit=faq_manage.MAX_IMPORT_BYTES // 1024)
            )
        data = bytes(await (await document.get_file()).download_as_bytearray())
        text = faq_manage.decode_upload(data)
        filename = document.file_name or "faq.yaml"
        try:
            async with context.transaction() as session:
                organisation = await managed_organisation(session, message.chat, user, context)
                done = await faq_manage.import_yaml(
                    session,
                    organisation.id,
                    text,
                    filename=filename,
                    by=user.id,
                    now=context.now(),
                )
        except FaqFormatError as err:
            await message.reply_text(render_issues(err))
            return
        await self.book.reload()
        await message.reply_text(
            texts.IMPORT_DONE.format(
                added=done.added, updated=done.updated, org=organisation.name, total=done.total
            )
        )

    async def cb_pending(self, update: Update, context: AppContext) -> None:
        """答复 or 忽略 under the pending list."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None or query.data is None or query.message is None:
            return
        action, question_id = query.data.split(":")[1], int(query.data.split(":")[2])
        chat = query.message.chat
        async with context.transaction() as session:
            organisation = await managed_organisation(session, chat, user, context)
            if action == "pd":
                gone = await faq_manage.dismiss(
                    session, organisation.id, question_id, by=user.id, now=context.now()
                )
                refreshed = await faq_manage.pending(session, organisation.id)
            else:
                asked = await faq_manage.pending_question(session, organisation.id, question_id)
        if action == "pd":
            await query.answer(texts.DISMISSED.format(question=gone.question)[:200])
            text, keyboard = render_pending(refreshed, context.settings.timezone)
            await query.edit_message_text(text, reply_markup=keyboard)
            return
        await query.answer()
        await self.flow.start_reply(
            context, chat.id, user, organisation.id, (asked.id, asked.question)
        )


def setup(application: Application, group: int, book: FaqBook, flow: FaqFlow) -> None:  # type: ignore[type-arg]
    """Register /faq, imports by caption, and the pending list's buttons."""
    manage = FaqManage(book, flow)
    application.add_handler(CommandHandler("faq", manage.cmd_faq), group)
    caption = filters.CaptionRegex(r"^/faq(@\w+)?\s+import\b")
    application.add_handler(
        MessageHandler(filters.Document.ALL & caption, manage.on_document), group
    )
    application.add_handler(
        CallbackQueryHandler(manage.cb_pending, pattern=r"^faq:p[ad]:\d+$"), group
    )
