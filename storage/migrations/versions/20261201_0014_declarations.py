"""双找: members' declarations (亮明身份) in groups

Revision ID: 0014
Revises: 0001
Create Date: 2026-12-01 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.schema

revision: str = "0014"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "full",
                "probationary",
                "activist",
                name="memberstatus",
                native_enum=False,
                create_constraint=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("here", sa.Boolean(), nullable=False),
        sa.Column("place", sa.String(length=50), nullable=False),
        sa.Column("updated_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.id"],
            name=op.f("fk_declarations_chat_id_chats"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_declarations_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declarations")),
        sa.UniqueConstraint("chat_id", "user_id", name=op.f("uq_declarations_chat_id_user_id")),
    )
    op.create_index(op.f("ix_declarations_chat_id"), "declarations", ["chat_id"], unique=False)
    op.create_index(op.f("ix_declarations_user_id"), "declarations", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_declarations_user_id"), table_name="declarations")
    op.drop_index(op.f("ix_declarations_chat_id"), table_name="declarations")
    op.drop_table("declarations")
