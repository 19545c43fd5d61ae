"""Policy Q&A use cases on SQLite and PostgreSQL: scope, the live matcher, pending questions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import FakeClock
from bot.core.domain import Domain, OrgKind
from bot.core.errors import InvalidInput, NotFound
from bot.services import faq, faq_manage
from bot.services.faq import Reply
from bot.services.faq_book import FaqBook, shipped_entries, shipped_key
from bot.services.faq_input import EntryText
from bot.services.faq_service import parse_entry_number
from bot.services.members import Person
from storage.records import ChatRecord
from storage.repositories import ChatRepo, MemberRepo, OrganisationRepo, UserRepo
from storage.repositories.faq import FaqEntryRepo, FaqQuestionRepo

Sessions = async_sessionmaker[AsyncSession]
KEY_QUESTION = "党员活动室的钥匙在谁那里？"
KEY_ENTRY = EntryText(
    question=KEY_QUESTION,
    phrasings=(KEY_QUESTION, "活动室钥匙找谁拿", "活动室怎么开门"),
    keywords=("活动室", "钥匙"),
    answer="钥匙由支部组织委员保管，用前请提前联系。",
    source="本支部委员会决定",
)
ASKER = Person(7, "dangyuan", "党员甲")


@dataclass
class Tree:
    """town ─ branch ─ cell, and a sibling town; a group per organisation but the county."""

    town: int
    branch: int
    cell: int
    sibling: int
    chats: dict[str, ChatRecord]


async def make_tree(session: AsyncSession, now: datetime) -> Tree:
    orgs, chats = OrganisationRepo(session), ChatRepo(session)
    ids: dict[str, int] = {}
    records: dict[str, ChatRecord] = {}
    for n, (name, parent, kind) in enumerate(
        [
            ("town", None, OrgKind.COMMITTEE),
            ("branch", "town", OrgKind.BRANCH),
            ("cell", "branch", OrgKind.GROUP),
            ("sibling", None, OrgKind.COMMITTEE),
        ],
        start=1,
    ):
        org = await orgs.create(
            name=name,
            kind=kind,
            domain=Domain.RURAL,
            now=now,
            parent_id=ids[parent] if parent else None,
        )
        ids[name] = org.id
        await chats.upsert(-100 - n, title=name, type_="supergroup", now=now)
        await chats.bind(-100 - n, org.id, now)
        record = await chats.get(-100 - n)
        assert record is not None
        records[name] = record
    return Tree(ids["town"], ids["branch"], ids["cell"], ids["sibling"], records)


@pytest.fixture
async def tree(sessions: Sessions, clock: FakeClock) -> Tree:
    async with sessions.begin() as session:
        return await make_tree(session, clock.now())


@pytest.fixture
def book(sessions: Sessions, clock: FakeClock) -> FaqBook:
    return FaqBook(sessions, clock)


async def ask_in(
    sessions: Sessions, book: FaqBook, chat: ChatRecord | None, question: str
) -> Reply:
    async with sessions.begin() as session:
        org_ids = await faq.scope_of_chat(session, chat)
    return faq.ask(await book.snapshot(), question, org_ids, date(2026, 12, 1))


async def add_key_entry(sessions: Sessions, book: FaqBook, org_id: int, now: datetime) -> int:
    async with sessions.begin() as session:
        stored = await faq_manage.add_entry(session, org_id, KEY_ENTRY, by=1, now=now)
    await book.reload()
    return stored.id


async def test_scope_is_the_group_and_everything_above(
    sessions: Sessions, tree: Tree, clock: FakeClock
) -> None:
    async with sessions.begin() as session:
        assert await faq.scope_of_chat(session, tree.chats["cell"]) == {
            tree.cell,
            tree.branch,
            tree.town,
        }
        assert await faq.scope_of_chat(session, tree.chats["sibling"]) == {tree.sibling}
        assert await faq.scope_of_chat(session, None) == frozenset()
        users, members = UserRepo(session), MemberRepo(session)
        await users.upsert(ASKER.id, username=None, display_name="甲", now=clock.now())
        assert await faq.scope_of_user(session, ASKER.id) == frozenset()
        assert await faq.home_organisation(session, ASKER.id) is None
        await members.join(tree.branch, ASKER.id, clock.now())
        assert await faq.scope_of_user(session, ASKER.id) == {tree.branch, tree.town}
        assert await faq.home_organisation(session, ASKER.id) == tree.branch


async def test_an_entry_applies_to_its_organisation_and_below_only(
    sessions: Sessions, tree: Tree, book: FaqBook, clock: FakeClock
) -> None:
    before = await ask_in(sessions, book, tree.chats["branch"], KEY_QUESTION)
    assert before.outcome == "none"
    entry_id = await add_key_entry(sessions, book, tree.branch, clock.now())
    for place in ("branch", "cell"):
        reply = await ask_in(sessions, book, tree.chats[place], KEY_QUESTION)
        assert reply.answer is not None, place
        assert reply.answer.key == f"o{entry_id}"
        assert reply.answer.text == (
            f"问：{KEY_QUESTION}\n钥匙由支部组织委员保管，用前请提前联系。\n——本支部委员会决定"
        )
    for place in ("town", "sibling"):
        assert (await ask_in(sessions, book, tree.chats[place], KEY_QUESTION)).outcome == "none"
    assert (await ask_in(sessions, book, None, KEY_QUESTION)).outcome == "none"


async def test_an_organisation_can_replace_a_shipped_answer(
    sessions: Sessions, tree: Tree, book: FaqBook, clock: FakeClock
) -> None:
    shipped = await ask_in(sessions, book, tree.chats["branch"], "支部党员大会多久开一次？")
    assert shipped.answer is not None
    slug = shipped.answer.entry.id
    local = f"entries:\n  - id: {slug}\n    question: 支部党员大会多久开一次？\n" + (
        "    phrasings: [党员大会多久开, 党员大会几个月开一次, 多久开一次党员大会]\n"
        "    keywords: [党员大会]\n    answer: 本支部每季度第一个月的主题党日召开。\n"
        "    source: 本支部委员会决定\n"
    )
    async with sessions.begin() as session:
        done = await faq_manage.import_yaml(
            session, tree.town, local, filename="town.yaml", by=1, now=clock.now()
        )
    assert (done.added, done.updated, done.total) == (1, 0, 1)
    await book.reload()
    replaced = await ask_in(sessions, book, tree.chats["cell"], "支部党员大会多久开一次？")
    assert replaced.answer is not None
    assert replaced.answer.entry.source == "本支部委员会决定"
    elsewhere = await ask_in(sessions, book, tree.chats["sibling"], "支部党员大会多久开一次？")
    assert elsewhere.answer == shipped.answer


async def test_keys_fit_callback_data_and_find_their_entry(
    sessions: Sessions, tree: Tree, book: FaqBook, clock: FakeClock
) -> None:
    entry_id = await add_key_entry(sessions, book, tree.branch, clock.now())
    snapshot = await book.snapshot()
    keys = {shipped_key(e.id) for e in shipped_entries()}
    assert len(keys) == len(shipped_entries())  # no two shipped entries share a key
    assert max(len(f"faq:{key}".encode()) for key in keys) <= 64
    choice = faq.entry_by_key(snapshot, f"o{entry_id}")
    assert choice is not None
    assert choice.entry.org_id == tree.branch
    assert faq.entry_by_key(snapshot, "o999") is None
    first = shipped_entries()[0]
    found = faq.entry_by_key(snapshot, shipped_key(first.id))
    assert found is not None
    assert found.entry == first


async def test_the_book_builds_once_and_notices_other_processes(
    sessions: Sessions, tree: Tree, clock: FakeClock
) -> None:
    mine, theirs = FaqBook(sessions, clock), FaqBook(sessions, clock)
    first = await mine.snapshot()
    assert await mine.snapshot() is first
    await theirs.snapshot()
    await add_key_entry(sessions, theirs, tree.branch, clock.now())  # another process writes
    assert await mine.snapshot() is first  # checked less than check_every ago
    clock.advance(timedelta(seconds=31))
    fresh = await mine.snapshot()
    assert fresh is not first
    assert fresh.matcher.match(KEY_QUESTION, org_ids=frozenset({tree.branch})).answered
    clock.advance(timedelta(seconds=31))
    assert await mine.snapshot() is fresh  # nothing changed: no rebuild
    assert mine.builds == 2


async def test_unanswered_questions_are_kept_once_per_organisation(
    sessions: Sessions, tree: Tree, clock: FakeClock
) -> None:
    async with sessions.begin() as session:
        for _ in range(2):
            kept = await faq.keep_unanswered(
                session,
                chat=tree.chats["branch"],
                asker=ASKER,
                question=f" {KEY_QUESTION} ",
                now=clock.now(),
            )
            assert kept
        nobody = await faq.keep_unanswered(
            session, chat=None, asker=Person(99, None, "路人"), question="问题？", now=clock.now()
        )
        assert not nobody
        waiting = await faq_manage.pending(session, tree.branch)
    assert waiting.total == 1
    [question] = waiting.questions
    assert (question.question, question.times, question.asker_name) == (KEY_QUESTION, 2, "党员甲")
    assert question.chat_telegram_id == tree.chats["branch"].telegram_id
    assert question.asked_at == clock.now()


async def test_answering_a_pending_question_makes_an_entry(
    sessions: Sessions, tree: Tree, clock: FakeClock
) -> None:
    async with sessions.begin() as session:
        await faq.keep_unanswered(
            session, chat=tree.chats["branch"], asker=ASKER, question=KEY_QUESTION, now=clock.now()
        )
        [question] = (await faq_manage.pending(session, tree.branch)).questions
    with pytest.raises(NotFound):  # another organisation's managers cannot
        async with sessions.begin() as session:
            await faq_manage.add_entry(
                session, tree.sibling, KEY_ENTRY, by=1, now=clock.now(), pending_id=question.id
            )
    async with sessions.begin() as session:
        stored = await faq_manage.add_entry(
            session, tree.branch, KEY_ENTRY, by=1, now=clock.now(), pending_id=question.id
        )
        assert stored.entry.id == "entry-1"
        resolved = await FaqQuestionRepo(session).get(question.id)
        assert resolved is not None
        assert (resolved.status, resolved.entry_id) == ("answered", stored.id)
        assert (await faq_manage.pending(session, tree.branch)).total == 0
    with pytest.raises(NotFound):  # answered twice (two managers at once): the second fails
        async with sessions.begin() as session:
            await faq_manage.add_entry(
                session, tree.branch, KEY_ENTRY, by=2, now=clock.now(), pending_id=question.id
            )
    async with sessions.begin() as session:
        assert await FaqEntryRepo(session).count(tree.branch) == 1


async def test_dismissing_a_question(sessions: Sessions, tree: Tree, clock: FakeClock) -> None:
    async with sessions.begin() as session:
        await faq.keep_unanswered(
            session, chat=tree.chats["cell"], asker=ASKER, question="问题一？", now=clock.now()
        )
        [question] = (await faq_manage.pending(session, tree.cell)).questions
        with pytest.raises(NotFound):
            await faq_manage.dismiss(session, tree.branch, question.id, by=1, now=clock.now())
        await faq_manage.dismiss(session, tree.cell, question.id, by=1, now=clock.now())
        with pytest.raises(NotFound):
            await faq_manage.dismiss(session, tree.cell, question.id, by=1, now=clock.now())
        assert (await faq_manage.pending(session, tree.cell)).total == 0


async def test_edit_and_delete_only_the_organisations_own_entries(
    sessions: Sessions, tree: Tree, book: FaqBook, clock: FakeClock
) -> None:
    entry_id = await add_key_entry(sessions, book, tree.branch, clock.now())
    async with sessions.begin() as session:
        with pytest.raises(NotFound):
            await faq_manage.edit_entry(
                session, tree.cell, entry_id, "answer", "别的答案", clock.now()
            )
        edited = await faq_manage.edit_entry(
            session, tree.branch, entry_id, "keywords", "活动室、钥匙 开门", clock.now()
        )
        assert edited.entry.keywords == ("活动室", "钥匙", "开门")
        assert edited.entry.id == "entry-1"
        with pytest.raises(NotFound):
            await faq_manage.delete_entry(session, tree.town, entry_id)
        gone = await faq_manage.delete_entry(session, tree.branch, entry_id)
        assert gone.entry.question == KEY_QUESTION
        assert await FaqEntryRepo(session).get(entry_id) is None


@pytest.mark.parametrize("word", ["²", "2147483648", "99999999999999999999999", "-1", "3.5"])
def test_an_entry_number_is_up_to_nine_decimal_digits(word: str) -> None:
    """Regression (issue 9, the command fuzzer): `/faq delete ²` raised ValueError in int(),
    and a huge 编号 overflowed the database's integer (SQLite OverflowError, PostgreSQL
    DataError); both answered 抱歉，刚才处理时出了点问题."""
    with pytest.raises(InvalidInput, match="不是问答编号"):
        parse_entry_number(word)
    assert parse_entry_number("１２") == 12  # full-width digits are digits
