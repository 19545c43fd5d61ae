"""Repositories on SQLite and PostgreSQL: what goes in comes out, as dataclasses."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import FakeClock
from bot.core.domain import Domain, MemberStatus, OrgKind, Role
from storage.db import Database, create_engine
from storage.models import Chat
from storage.records import DeliveryStatus
from storage.repositories import ChatRepo, DeliveryRepo, MemberRepo, OrganisationRepo, UserRepo

Sessions = async_sessionmaker[AsyncSession]


async def make_tree(session: AsyncSession, now: datetime) -> tuple[int, int, int]:
    repo = OrganisationRepo(session)
    top = await repo.create(
        name="县委组织部", kind=OrgKind.COMMITTEE, domain=Domain.ORGAN, now=now
    )
    mid = await repo.create(
        name="城关镇党委", kind=OrgKind.COMMITTEE, domain=Domain.ORGAN, now=now, parent_id=top.id
    )
    leaf = await repo.create(
        name="第一党支部", kind=OrgKind.BRANCH, domain=Domain.RURAL, now=now, parent_id=mid.id
    )
    return top.id, mid.id, leaf.id


async def test_organisation_tree(sessions: Sessions, clock: FakeClock) -> None:
    async with sessions.begin() as session:
        top, mid, leaf = await make_tree(session, clock.now())
        repo = OrganisationRepo(session)
        assert await repo.ancestor_ids(leaf) == [leaf, mid, top]
        assert sorted(await repo.descendant_ids(top)) == sorted([top, mid, leaf])
        assert await repo.descendant_ids(leaf) == [leaf]
        found = await repo.by_name("第一党支部")
        assert found is not None
        assert (found.kind, found.domain, found.parent_id) == (OrgKind.BRANCH, Domain.RURAL, mid)


async def test_datetimes_come_back_aware_utc(sessions: Sessions) -> None:
    beijing = timezone(timedelta(hours=8))
    moment = datetime(2026, 12, 5, 15, 0, tzinfo=beijing)
    async with sessions.begin() as session:
        await DeliveryRepo(session).enqueue(
            key="k", kind="test", chat_id=1, due_at=moment, now=moment
        )
    async with sessions.begin() as session:
        stored = await DeliveryRepo(session).by_key("k")
    assert stored is not None
    assert stored.due_at == moment
    assert stored.due_at.tzinfo is not None
    assert stored.due_at.utcoffset() == timedelta(0)


async def test_naive_datetimes_are_refused(sessions: Sessions) -> None:
    with pytest.raises(Exception, match="naive"):
        async with sessions.begin() as session:
            await DeliveryRepo(session).enqueue(
                key="k",
                kind="test",
                chat_id=1,
                due_at=datetime(2026, 1, 1),  # noqa: DTZ001  (the point of the test)
                now=datetime.now(UTC),
            )


async def test_members_join_leave_and_come_back(sessions: Sessions, clock: FakeClock) -> None:
    async with sessions.begin() as session:
        _, _, branch = await make_tree(session, clock.now())
        await UserRepo(session).upsert(7, username="zs", display_name="Zhang", now=clock.now())
        members = MemberRepo(session)
        joined = await members.join(branch, 7, clock.now())
        assert (joined.role, joined.status, joined.active) == (
            Role.MEMBER,
            MemberStatus.FULL,
            True,
        )
        assert await members.leave(branch, 7, clock.advance(timedelta(days=1)))
        assert not await members.leave(branch, 7, clock.now())
        assert await members.of_organisation(branch) == []
        back = await members.join(branch, 7, clock.advance(timedelta(days=1)))
        assert back.active
        assert back.joined_at == clock.now()
        await members.set_role(branch, 7, Role.SECRETARY)
        await members.set_status(branch, 7, MemberStatus.PROBATIONARY)
        await UserRepo(session).set_real_name(7, "张三", clock.now())
        [member] = await members.of_organisation(branch)
        assert (member.role, member.status, member.user.name) == (
            Role.SECRETARY,
            MemberStatus.PROBATIONARY,
            "张三",
        )


async def test_chat_migration_moves_binding_and_deliveries(
    sessions: Sessions, clock: FakeClock
) -> None:
    async with sessions.begin() as session:
        _, _, branch = await make_tree(session, clock.now())
        chats = ChatRepo(session)
        await chats.upsert(-100, title="一支部", type_="group", now=clock.now())
        await chats.bind(-100, branch, clock.now())
        # The supergroup already spoke before the migration notice was handled.
        await chats.upsert(-1001, title="一支部", type_="supergroup", now=clock.now())
        await DeliveryRepo(session).enqueue(
            key="r1", kind="test", chat_id=-100, due_at=clock.now(), now=clock.now()
        )
        moved = await chats.migrate(-100, -1001, clock.now())
        assert moved is not None
        assert (moved.telegram_id, moved.organisation_id, moved.type) == (
            -1001,
            branch,
            "supergroup",
        )
        assert await chats.get(-100) is None
        delivery = await DeliveryRepo(session).by_key("r1")
        assert delivery is not None
        assert delivery.chat_id == -1001
        assert await chats.migrate(-100, -1001, clock.now()) is None


async def enqueue(sessions: Sessions, clock: FakeClock, key: str, due_in: timedelta) -> bool:
    async with sessions.begin() as session:
        return await DeliveryRepo(session).enqueue(
            key=key, kind="test", chat_id=-5, due_at=clock.now() + due_in, now=clock.now()
        )


async def claim(sessions: Sessions, clock: FakeClock, limit: int = 10) -> list[str]:
    async with sessions.begin() as session:
        rows = await DeliveryRepo(session).claim_due(
            clock.now(), owner="me", limit=limit, lease=timedelta(minutes=2)
        )
    return [row.key for row in rows]


async def test_outbox_is_idempotent_by_key(sessions: Sessions, clock: FakeClock) -> None:
    assert await enqueue(sessions, clock, "a", timedelta(0))
    assert not await enqueue(sessions, clock, "a", timedelta(hours=1))
    async with sessions.begin() as session:
        assert (await DeliveryRepo(session).counts()) == {DeliveryStatus.PENDING: 1}


async def test_outbox_claims_due_rows_once_in_order(sessions: Sessions, clock: FakeClock) -> None:
    await enqueue(sessions, clock, "later", timedelta(minutes=1))
    await enqueue(sessions, clock, "second", timedelta(minutes=-1))
    await enqueue(sessions, clock, "first", timedelta(minutes=-2))
    assert await claim(sessions, clock) == ["first", "second"]
    assert await claim(sessions, clock) == []
    clock.advance(timedelta(minutes=1))
    assert await claim(sessions, clock) == ["later"]


async def test_outbox_reclaims_rows_of_a_dead_sender(sessions: Sessions, clock: FakeClock) -> None:
    await enqueue(sessions, clock, "inflight", timedelta(0))
    assert await claim(sessions, clock) == ["inflight"]
    clock.advance(timedelta(minutes=1))
    assert await claim(sessions, clock) == []
    clock.advance(timedelta(minutes=2))
    assert await claim(sessions, clock) == ["inflight"]


async def test_a_live_sender_keeps_its_rows_by_renewing(
    sessions: Sessions, clock: FakeClock
) -> None:
    await enqueue(sessions, clock, "slow", timedelta(0))
    assert await claim(sessions, clock) == ["slow"]  # leased for 2 minutes
    for _ in range(3):  # a send that waits long (a group's rate window), renewed meanwhile
        clock.advance(timedelta(minutes=1))
        async with sessions.begin() as session:
            assert await DeliveryRepo(session).renew("me", clock.now(), timedelta(minutes=2)) == 1
        async with sessions.begin() as session:
            taken = await DeliveryRepo(session).claim_due(
                clock.now(), owner="other", limit=5, lease=timedelta(minutes=2)
            )
        assert taken == []
    async with sessions.begin() as session:  # another owner renews nothing of it
        assert await DeliveryRepo(session).renew("other", clock.now(), timedelta(minutes=2)) == 0


async def test_outbox_outcomes(sessions: Sessions, clock: FakeClock) -> None:
    for key in ("reminder:1:a", "reminder:1:b", "reminder:2:a", "x"):
        await enqueue(sessions, clock, key, timedelta(0))
    async with sessions.begin() as session:
        repo = DeliveryRepo(session)
        assert await repo.cancel("reminder:1:") == 2
        [row] = await repo.claim_due(clock.now(), owner="me", limit=1, lease=timedelta(1))
        await repo.mark_sent(row.id, message_id=42, now=clock.now())
    async with sessions.begin() as session:
        repo = DeliveryRepo(session)
        sent = await repo.by_key(row.key)
        assert sent is not None
        assert (sent.status, sent.message_id, sent.attempts) == (DeliveryStatus.SENT, 42, 1)
        [other] = await repo.claim_due(clock.now(), owner="me", limit=5, lease=timedelta(1))
        await repo.retry_at(other.id, clock.now() + timedelta(seconds=30), "429")
        assert await repo.claim_due(clock.now(), owner="me", limit=5, lease=timedelta(1)) == []
        counts = await repo.counts("reminder:")
    assert row.key == "reminder:2:a"
    assert other.key == "x"
    assert counts == {DeliveryStatus.CANCELLED: 2, DeliveryStatus.SENT: 1}


async def test_concurrent_sweeps_never_share_a_row(sessions: Sessions, clock: FakeClock) -> None:
    for index in range(40):
        await enqueue(sessions, clock, f"m{index:02}", timedelta(0))
    batches = await asyncio.gather(*(claim(sessions, clock, limit=7) for _ in range(8)))
    claimed = [key for batch in batches for key in batch]
    assert sorted(claimed) == [f"m{index:02}" for index in range(40)]


async def test_the_same_new_person_seen_twice_at_once(
    sessions: Sessions, clock: FakeClock
) -> None:
    """A /start and a group message of a new user handled side by side: no duplicate error."""
    async with sessions.begin() as session:
        _, _, branch = await make_tree(session, clock.now())

    async def seen(name: str) -> None:
        async with sessions.begin() as session:
            await UserRepo(session).upsert(8, username=None, display_name=name, now=clock.now())
            await MemberRepo(session).join(branch, 8, clock.now())
            await ChatRepo(session).upsert(-8, title=name, type_="group", now=clock.now())

    await asyncio.gather(seen("甲"), seen("乙"), seen("丙"))
    async with sessions.begin() as session:
        [member] = await MemberRepo(session).of_organisation(branch)
        chat = await ChatRepo(session).get(-8)
    assert member.user.display_name in {"甲", "乙", "丙"}
    assert chat is not None


async def test_chat_order_holds_one_chat_across_connections(database_url: str) -> None:
    """The advisory lock several processes take per chat: the second waits for the first."""
    database = Database(create_engine(database_url))
    events: list[str] = []
    first_in = asyncio.Event()

    async def handle(name: str, chat_id: int, hold: float) -> None:
        async with database.chat_order(chat_id):
            events.append(f"{name} in")
            first_in.set()
            await asyncio.sleep(hold)
            events.append(f"{name} out")

    try:
        first = asyncio.create_task(handle("a", -100, 0.3))
        await first_in.wait()
        await asyncio.gather(first, handle("b", -100, 0), handle("c", -200, 0))
    finally:
        await database.dispose()
    if database_url.startswith("postgresql"):
        assert events.index("a out") < events.index("b in")  # same chat: one after the other
        assert events.index("c out") < events.index("a out")  # another chat: not held up


async def test_racing_chat_migrations_keep_the_chat(
    sessions: Sessions, clock: FakeClock, database_url: str
) -> None:
    """Two handlers of one migration interleave: the second must not delete the moved row."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite runs one writer at a time; the interleaving needs PostgreSQL")
    async with sessions.begin() as session:
        _, _, branch = await make_tree(session, clock.now())
        await ChatRepo(session).upsert(-100, title="一支部", type_="group", now=clock.now())
        await ChatRepo(session).bind(-100, branch, clock.now())

    async def migrate_alone() -> None:
        async with sessions.begin() as session:
            await ChatRepo(session).migrate(-100, -1001, clock.now())

    async def rival_done_or_waiting(rival: asyncio.Task[None]) -> None:
        async with sessions() as watcher:
            while not rival.done():
                waiting = await watcher.scalar(
                    text("SELECT count(*) FROM pg_locks WHERE NOT granted")
                )
                if waiting:
                    return
                await asyncio.sleep(0.01)

    rivals: list[asyncio.Task[None]] = []
    async with sessions.begin() as session:
        first = ChatRepo(session)
        read_row = first._row

        async def row_then_rival(telegram_id: int, *, lock: bool = False) -> Chat | None:
            row = await read_row(telegram_id, lock=lock)
            if not rivals:  # the rival runs between our read of the old row and of the new
                rivals.append(asyncio.create_task(migrate_alone()))
                await asyncio.wait_for(rival_done_or_waiting(rivals[0]), timeout=10)
            return row

        first._row = row_then_rival  # type: ignore[method-assign]
        await first.migrate(-100, -1001, clock.now())
    await asyncio.wait_for(rivals[0], timeout=10)
    async with sessions() as session:
        moved = await ChatRepo(session).get(-1001)
    assert moved is not None
    assert moved.organisation_id == branch
