"""Policy Q&A as people use it: ask, pick a suggestion, inline; managers keep the base.

Asking needs no rights; managing the organisation's entries is for managers of the group's
organisation, in that group (the group names the organisation, and Telegram's admin list
there is part of who manages it). After every change the FaqBook is rebuilt.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.core.clock import Clock
from bot.core.errors import InvalidInput
from bot.core.faq import FaqEntry
from bot.services import faq, faq_manage
from bot.services.access import AccessService, Actor
from bot.services.base import Service, retried
from bot.services.faq import Reply, Trigger
from bot.services.faq_book import FaqBook
from bot.services.faq_input import EntryText
from bot.texts import faq as texts
from storage.db import Database
from storage.records import OrganisationRecord, QuestionRecord, StoredEntry


@dataclass(frozen=True, slots=True)
class Asked:
    """What to tell an asker, and whether the question was kept for the managers."""

    reply: Reply
    kept: bool


@dataclass(frozen=True, slots=True)
class Entries:
    """An organisation's own entries."""

    organisation: OrganisationRecord
    entries: list[StoredEntry]


@dataclass(frozen=True, slots=True)
class Exported:
    """The organisation's entries as YAML, and the shipped base when asked for."""

    organisation: OrganisationRecord
    text: str
    count: int
    shipped: tuple[FaqEntry, ...] | None = None


@dataclass(frozen=True, slots=True)
class PendingPress:
    """答复 (the question to answer) or 忽略 (the dismissed one and the list now)."""

    organisation: OrganisationRecord
    question: QuestionRecord
    refreshed: faq_manage.Pending | None = None


def parse_entry_number(word: str) -> int:
    """An entry's 编号: up to nine decimal digits (an integer column; "²" is no number)."""
    if not (word.isdecimal() and len(word) <= 9):
        raise InvalidInput(texts.BAD_NUMBER.format(word=word))
    return int(word)


class FaqService(Service):
    """The matcher (through the FaqBook) and the organisation's base."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        access: AccessService,
        book: FaqBook,
        tz: ZoneInfo,
    ) -> None:
        super().__init__(database, clock, access)
        self.book, self.tz = book, tz
        self.cooldown = faq.Cooldown()

    def today(self) -> date:
        """The local date: 去年, 今年 and 党龄到今天 in questions are read against it."""
        return self.now().astimezone(self.tz).date()

    async def warm_up(self) -> None:
        """Build the matcher before the first question (in a worker thread)."""
        await self.book.snapshot()

    @retried
    async def ask(self, actor: Actor, question: str, trigger: Trigger) -> Asked | None:
        """Answer where it was asked; None when the bot had better stay silent."""
        snapshot = await self.book.snapshot()  # before the transaction: it may build
        now = self.now()
        async with self.database.transaction() as session:
            chat = None
            if actor.place.is_group:
                chat = (await self.access.here(session, actor, now)).chat
                org_ids = await faq.scope_of_chat(session, chat)
            else:
                org_ids = await faq.scope_of_user(session, actor.user_id)
            reply = faq.ask(snapshot, question, org_ids, self.today())
            if not faq.worth_replying(reply, trigger, question):
                return None
            if not self._fresh(reply, trigger, actor.place.chat_id):
                return None
            kept = (
                reply.outcome == "none"
                and not reply.local  # a fact of the day, not a question for the base
                and faq.worth_keeping(trigger, question)
                and await faq.keep_unanswered(
                    session, chat=chat, asker=actor.person, question=question, now=now
                )
            )
        return Asked(reply, kept)

    def _fresh(self, reply: Reply, trigger: Trigger, chat_id: int) -> bool:
        """Unasked, the same answer is not repeated in a group within the cooldown."""
        if trigger != "overheard" or reply.answer is None:
            return True
        return self.cooldown.allow(chat_id, reply.answer.key, self.now())

    @retried
    async def choice(self, actor: Actor, key: str) -> Reply | None:
        """The entry a suggestion or related-question button names, with its own related
        questions; None unless it exists and applies here (buttons can be forged)."""
        snapshot = await self.book.snapshot()
        choice = faq.entry_by_key(snapshot, key)
        if choice is None:
            return None
        async with self.database.transaction() as session:
            if actor.place.is_group:
                chat = (await self.access.here(session, actor, self.now())).chat
                scope = await faq.scope_of_chat(session, chat)
            else:
                scope = await faq.scope_of_user(session, actor.user_id)
        if choice.entry.org_id is not None and choice.entry.org_id not in scope:
            return None
        related = faq.related_to(snapshot, choice, scope)
        return Reply("answer", choice, (choice, *related))

    @retried
    async def inline(self, user_id: int, text: str) -> Reply | None:
        """`@bot 党费`: the best matches for the person's organisations."""
        if not text:
            return None
        snapshot = await self.book.snapshot()
        async with self.database.transaction() as session:
            org_ids = await faq.scope_of_user(session, user_id)
        return faq.ask(snapshot, text, org_ids, self.today())

    @retried
    async def waiting(self, actor: Actor) -> int:
        """How many questions wait for the managers (the /faq usage shows it)."""
        async with self.database.transaction() as session:
            org = (await self.access.manager(session, actor, self.now())).org
            return (await faq_manage.pending(session, org.id)).total

    @retried
    async def pending(self, actor: Actor) -> faq_manage.Pending:
        """The oldest questions nobody could answer."""
        async with self.database.transaction() as session:
            org = (await self.access.manager(session, actor, self.now())).org
            return await faq_manage.pending(session, org.id)

    @retried
    async def managed(self, actor: Actor) -> OrganisationRecord:
        """The group's organisation, if the caller manages it (before a flow or a download)."""
        async with self.database.transaction() as session:
            return (await self.access.manager(session, actor, self.now())).org

    @retried
    async def entries(self, actor: Actor) -> Entries:
        """The organisation's own entries with their 编号."""
        async with self.database.transaction() as session:
            org = (await self.access.manager(session, actor, self.now())).org
            return Entries(org, await faq_manage.list_entries(session, org.id))

    @retried
    async def edit(self, actor: Actor, args: str) -> tuple[int, str]:
        """`/faq edit 编号 字段 新内容`; (编号, the field's name as typed)."""
        async with self.database.transaction() as session:
            org = (await self.access.manager(session, actor, self.now())).org
            words = args.split(maxsplit=2)
            if len(words) < 3:
                raise InvalidInput(texts.EDIT_USAGE)
            entry_id, field = parse_entry_number(words[0]), texts.FIELDS.get(words[1])
            if field is None:
                raise InvalidInput(texts.UNKNOWN_FIELD.format(word=words[1]))
            await faq_manage.edit_entry(session, org.id, entry_id, field, words[2], self.now())
        self.book.changed()
        return entry_id, words[1]

    @retried
    async def delete(self, actor: Actor, args: str) -> StoredEntry:
        """`/faq delete 编号`; the entry as it was."""
        async with self.database.transaction() as session:
            org = (await self.access.manager(session, actor, self.now())).org
            if not args:
                raise InvalidInput(texts.DELETE_USAGE)
            entry_id = parse_entry_number(args.split()[0])
            gone = await faq_manage.delete_entry(session, org.id, entry_id)
        self.book.changed()
        return gone

    @retried
    async def export(self, actor: Actor, with_shipped: bool) -> Exported:
        """The organisation's entries as a base file (and the shipped base on request)."""
        async with self.database.transaction() as session:
            org = (await self.access.manager(session, actor, self.now())).org
            text, count = await faq_manage.export_yaml(session, org.id)
        shipped = await self.book.shipped() if with_shipped else None
        return Exported(org, text, count, shipped)

    @retried
    async def import_file(
        self,
        actor: Actor,
        filename: str,
        size: int | None,
        download: Callable[[], Awaitable[bytes]],
    ) -> tuple[OrganisationRecord, faq_manage.Imported]:
        """A base file: checked whole, written in one transaction (FaqFormatError if bad).

        The caller is checked before anything is fetched (`download`).
        """
        async with self.database.transaction() as session:
            org = (await self.access.manager(session, actor, self.now())).org
        if (size or 0) > faq_manage.MAX_IMPORT_BYTES:
            limit = faq_manage.MAX_IMPORT_BYTES // 1024
            raise InvalidInput(texts.IMPORT_TOO_BIG.format(limit=limit))
        text = faq_manage.decode_upload(await download())  # no transaction open meanwhile
        async with self.database.transaction() as session:
            done = await faq_manage.import_yaml(
                session, org.id, text, filename=filename, by=actor.user_id, now=self.now()
            )
        self.book.changed()
        return org, done

    @retried
    async def press_pending(self, actor: Actor, action: str, question_id: int) -> PendingPress:
        """答复 (`pa`) or 忽略 (`pd`) under the pending list."""
        now = self.now()
        async with self.database.transaction() as session:
            org = (await self.access.manager(session, actor, now)).org
            if action == "pd":
                gone = await faq_manage.dismiss(
                    session, org.id, question_id, by=actor.user_id, now=now
                )
                return PendingPress(org, gone, await faq_manage.pending(session, org.id))
            asked = await faq_manage.pending_question(session, org.id, question_id)
            return PendingPress(org, asked)

    @retried
    async def save(
        self, actor: Actor, org_id: int, text: EntryText, pending_id: int | None
    ) -> StoredEntry:
        """保存 under a finished draft: the caller still manages that organisation here."""
        now = self.now()
        async with self.database.transaction() as session:
            org = (await self.access.manager(session, actor, now)).org
            if org.id != org_id:
                raise InvalidInput(texts.FLOW_EXPIRED)  # the group was bound elsewhere meanwhile
            stored = await faq_manage.add_entry(
                session, org_id, text, by=actor.user_id, now=now, pending_id=pending_id
            )
        self.book.changed()
        return stored
