"""meeting records (会议记录) and meetings marked held

Revision ID: 0010
Revises: 0002
Create Date: 2026-12-01 14:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.schema

revision: str = "0010"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting_minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "done", name="minutesstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("recorder", sa.String(length=50), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("resolutions", sa.Text(), nullable=False),
        sa.Column("completed_at", storage.schema.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["completed_by"],
            ["users.id"],
            name=op.f("fk_meeting_minutes_completed_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_minutes_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_minutes")),
        sa.UniqueConstraint(
            "meeting_id", "version", name=op.f("uq_meeting_minutes_meeting_id_version")
        ),
    )
    op.create_index(
        op.f("ix_meeting_minutes_meeting_id"), "meeting_minutes", ["meeting_id"], unique=False
    )
    op.create_table(
        "meeting_held",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("marked_by", sa.BigInteger(), nullable=True),
        sa.Column("marked_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["marked_by"],
            ["users.id"],
            name=op.f("fk_meeting_held_marked_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_held_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_meeting_held")),
    )


def downgrade() -> None:
    op.drop_table("meeting_held")
    op.drop_index(op.f("ix_meeting_minutes_meeting_id"), table_name="meeting_minutes")
    op.drop_table("meeting_minutes")
