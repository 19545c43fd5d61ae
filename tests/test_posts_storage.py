"""设岗定责 storage on SQLite and PostgreSQL: posts, holders, reports and their counts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import FakeClock
from storage.repositories import MemberRepo, UserRepo
from storage.repositories.posts import PostRepo, duty_report_counts
from tests.test_storage import make_tree

Sessions = async_sessionmaker[AsyncSession]


async def test_posts_holders_and_report_counts(sessions: Sessions, clock: FakeClock) -> None:
    now = clock.now()
    async with sessions.begin() as session:
        _, mid, branch = await make_tree(session, now)
        for user_id in (7, 8):
            await UserRepo(session).upsert(
                user_id, username=None, display_name=f"u{user_id}", now=now
            )
            await MemberRepo(session).join(branch, user_id, now)
        posts = PostRepo(session)
        post = await posts.add(branch, "纠纷调解", "负责调解邻里纠纷", 1, now)
        assert post is not None
        assert await posts.add(branch, "纠纷调解", "again", 1, now) is None
        assert await posts.assign(post.id, 7, 1, now)
        assert not await posts.assign(post.id, 7, 1, now)
        await posts.add_report(branch, post, 7, "调解了两户", None, now)
        await posts.add_report(branch, post, 7, "又走访一次", "photo-1", now + timedelta(days=1))
        await posts.add_report(branch, None, 8, "宣传政策", None, now)
    async with sessions.begin() as session:
        posts = PostRepo(session)
        board = await posts.of_organisation(branch)
        assert [(p.name, [h.id for h in p.holders]) for p in board] == [("纠纷调解", [7])]
        assert [p.name for p in await posts.of_holder(branch, 7)] == ["纠纷调解"]
        counts = await duty_report_counts(session, [branch, mid], now, now + timedelta(days=1))
        assert counts == {(branch, 7): 1, (branch, 8): 1}
        assert await duty_report_counts(session, [mid], now, now + timedelta(days=9)) == {}
        assert await posts.remove(post.id)
        reports = await posts.reports([branch], now, now + timedelta(days=9))
    assert [(r.post_id, r.post_name, r.text) for r in reports][-1] == (
        None,
        "纠纷调解",
        "又走访一次",
    )
