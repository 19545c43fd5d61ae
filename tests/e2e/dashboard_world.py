"""A seeded county behind a running bot with its HTTP door open, and initData for its people.

The county is written straight into the tables (tests/ledger_seed.py): 县委 → two 镇党委 →
branches with 党小组; the first three members of each branch are its 书记.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.core.domain import Role
from bot.core.webapp_auth import init_data_for
from storage.models import Member, Organisation
from tests.e2e.harness import BotFactory, RunningBot, free_port
from tests.ledger_seed import Sizes, seed_county

SUPERADMIN = 42
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Beijing, the fourth quarter
PUBLIC_URL = "http://127.0.0.1:9"
SMALL = Sizes(orgs=30, members=300)


async def start_county(bot_factory: BotFactory, sizes: Sizes = SMALL) -> RunningBot:
    """A bot with its door open over a seeded county, on 20 November 2026."""
    bot = await bot_factory(
        web_port=free_port(), superadmin_ids=str(SUPERADMIN), public_url=PUBLIC_URL
    )
    bot.clock.set(NOW)
    async with bot.db() as session:
        await seed_county(await session.connection(), sizes, until=NOW)
    return bot


async def org_ids(bot: RunningBot) -> dict[str, int]:
    """Organisation name -> id."""
    async with bot.db() as session:
        rows = await session.execute(select(Organisation.name, Organisation.id))
        return {name: org_id for name, org_id in rows.all()}


async def one_member(bot: RunningBot, org: str, role: Role) -> int:
    """The user id of someone with `role` in the organisation `org`."""
    ids = await org_ids(bot)
    async with bot.db() as session:
        rows = await session.execute(
            select(Member.user_id).where(Member.organisation_id == ids[org], Member.role == role)
        )
        return int(rows.scalars().first() or 0)


def token(bot: RunningBot) -> str:
    """The bot's token: what Telegram signs initData with."""
    return bot.settings.require_token()


def signed(bot: RunningBot, user_id: int, age: timedelta = timedelta(minutes=1)) -> str:
    """A valid initData for the user, as Telegram would hand it to the page."""
    return init_data_for(user_id, "同志", token(bot), bot.clock.now() - age)


@pytest.fixture
def sqlite_database_url(tmp_path: Path) -> str:
    """The browser tests' database: SQLite only. What the page shows comes from the API that
    tests/e2e/test_dashboard.py runs on every backend; a second backend adds only time."""
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
