"""bot processes

Revision ID: 0008
Revises: 0001
Create Date: 2026-12-01 11:17:58.236628
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.schema

revision: str = "0008"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bot_processes",
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("started_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("seen_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("owner", name=op.f("pk_bot_processes")),
    )
    with op.batch_alter_table("bot_processes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bot_processes_seen_at"), ["seen_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bot_processes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bot_processes_seen_at"))

    op.drop_table("bot_processes")
