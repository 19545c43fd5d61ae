"""The managers' side of policy Q&A: an organisation's entries, its pending questions, files.

Every function acts on one organisation, chosen by the caller (the group's organisation) and
checked by it; the caller commits, then reloads the FaqBook. An import is validated whole
before anything is written, and written in the caller's one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import InvalidInput, NotFound
from bot.core.faq import FaqEntry, dump_entries_yaml
from bot.core.uploads import read_faq_base
from bot.services.faq_input import EntryText
from bot.texts import faq as texts
from storage.records import ANSWERED, DISMISSED, QuestionRecord, StoredEntry
from storage.repositories.faq import FaqEntryRepo, FaqQuestionRepo

PENDING_SHOWN = 8
MAX_IMPORT_BYTES = 512 * 1024


@dataclass(frozen=True)
class Imported:
    """What an import did."""

    added: int
    updated: int
    total: int


@dataclass(frozen=True)
class Pending:
    """The oldest pending questions of an organisation and how many wait in all."""

    questions: list[QuestionRecord]
    total: int


def _free_slug(taken: dict[str, int], count: int) -> str:
    number = count + 1
    while f"entry-{number}" in taken:
        number += 1
    return f"entry-{number}"


async def own_entry(session: AsyncSession, organisation_id: int, entry_id: int) -> StoredEntry:
    """An entry of this organisation, or NotFound (entries of others are not edited here)."""
    stored = await FaqEntryRepo(session).get(entry_id)
    if stored is None or stored.organisation_id != organisation_id:
        raise NotFound(texts.ENTRY_NOT_FOUND.format(id=entry_id))
    return stored


async def add_entry(
    session: AsyncSession,
    organisation_id: int,
    text: EntryText,
    *,
    by: int,
    now: datetime,
    pending_id: int | None = None,
) -> StoredEntry:
    """Add an entry; when it answers a pending question, that question is resolved by it."""
    if pending_id is not None:  # still pending: two managers may answer the same question
        await pending_question(session, organisation_id, pending_id)
    repo = FaqEntryRepo(session)
    taken = await repo.slugs(organisation_id)
    entry = text.to_entry(_free_slug(taken, len(taken)), organisation_id)
    stored = await repo.add(entry, created_by=by, now=now)
    if pending_id is not None:
        await FaqQuestionRepo(session).resolve(
            pending_id, status=ANSWERED, by=by, now=now, entry_id=stored.id
        )
    return stored


async def edit_entry(
    session: AsyncSession,
    organisation_id: int,
    entry_id: int,
    field: str,
    value: str,
    now: datetime,
) -> StoredEntry:
    """Change one field of an entry of the organisation."""
    stored = await own_entry(session, organisation_id, entry_id)
    text = EntryText.of(stored.entry).with_field(field, value)
    entry = text.to_entry(stored.entry.id, organisation_id)
    return await FaqEntryRepo(session).replace(entry_id, entry, now)


async def delete_entry(session: AsyncSession, organisation_id: int, entry_id: int) -> StoredEntry:
    """Delete an entry of the organisation; return what it was."""
    stored = await own_entry(session, organisation_id, entry_id)
    await FaqEntryRepo(session).delete(entry_id)
    return stored


async def list_entries(session: AsyncSession, organisation_id: int) -> list[StoredEntry]:
    """The organisation's own entries, oldest first."""
    return await FaqEntryRepo(session).of_organisation(organisation_id)


async def inherited_count(session: AsyncSession, ancestor_ids: list[int]) -> int:
    """How many entries of the organisations above also apply."""
    repo = FaqEntryRepo(session)
    return sum([await repo.count(org_id) for org_id in ancestor_ids])


async def export_yaml(session: AsyncSession, organisation_id: int) -> tuple[str, int]:
    """The organisation's entries as a base file, and how many there are."""
    entries = [stored.entry for stored in await list_entries(session, organisation_id)]
    return dump_entries_yaml(entries), len(entries)


def export_shipped(shipped: tuple[FaqEntry, ...]) -> str:
    """The shipped base as one file."""
    return dump_entries_yaml(list(shipped))


def decode_upload(data: bytes) -> str:
    """A base file's text (UTF-8, with or without a BOM)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInput(texts.IMPORT_TOO_BIG.format(limit=MAX_IMPORT_BYTES // 1024))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InvalidInput(texts.IMPORT_NOT_TEXT) from err


async def import_yaml(
    session: AsyncSession,
    organisation_id: int,
    text: str,
    *,
    filename: str,
    by: int,
    now: datetime,
) -> Imported:
    """Add or update (by id) every entry of a base file; a bad file raises FaqFormatError."""
    entries = await read_faq_base(text, filename=filename, org_id=organisation_id)
    repo = FaqEntryRepo(session)
    existing = await repo.slugs(organisation_id)
    updated = 0
    for entry in entries:
        if entry.id in existing:
            await repo.replace(existing[entry.id], entry, now)
            updated += 1
        else:
            await repo.add(entry, created_by=by, now=now)
    return Imported(len(entries) - updated, updated, await repo.count(organisation_id))


async def pending(session: AsyncSession, organisation_id: int) -> Pending:
    """The organisation's oldest pending questions."""
    repo = FaqQuestionRepo(session)
    questions = await repo.pending_of(organisation_id, PENDING_SHOWN)
    return Pending(questions, await repo.count_pending(organisation_id))


async def pending_question(
    session: AsyncSession, organisation_id: int, question_id: int
) -> QuestionRecord:
    """A pending question of the organisation, or NotFound."""
    question = await FaqQuestionRepo(session).get(question_id)
    if question is None or question.organisation_id != organisation_id:
        raise NotFound(texts.PENDING_NOT_HERE)
    if question.status != "pending":
        raise NotFound(texts.PENDING_DONE)
    return question


async def dismiss(
    session: AsyncSession, organisation_id: int, question_id: int, *, by: int, now: datetime
) -> QuestionRecord:
    """Drop a pending question of the organisation without answering it."""
    question = await pending_question(session, organisation_id, question_id)
    if not await FaqQuestionRepo(session).resolve(question_id, status=DISMISSED, by=by, now=now):
        raise NotFound(texts.PENDING_DONE)
    return question
