"""recurring meetings open to remote participation (线上可参加)

Revision ID: 0016
Revises: 0002
Create Date: 2026-12-01 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing series were refused 线上可参加, so false is right for all of them.
    op.add_column(
        "meeting_series",
        sa.Column("remote", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place; no table copy, so the meetings' foreign key holds.
    op.drop_column("meeting_series", "remote")
