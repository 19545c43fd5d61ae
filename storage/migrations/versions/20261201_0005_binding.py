"""invitation codes and bind requests

Revision ID: 0005
Revises: 0001
Create Date: 2026-12-01 10:59:28.908794
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.schema

revision: str = "0005"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", storage.schema.UTCDateTime(timezone=True), nullable=True),
        sa.Column("used_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_invites_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invites")),
        sa.UniqueConstraint("code", name=op.f("uq_invites_code")),
    )
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invites_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "bind_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", storage.schema.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.id"],
            name=op.f("fk_bind_requests_chat_id_chats"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_bind_requests_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bind_requests")),
    )
    with op.batch_alter_table("bind_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bind_requests_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_bind_requests_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("bind_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bind_requests_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_bind_requests_chat_id"))

    op.drop_table("bind_requests")
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invites_organisation_id"))

    op.drop_table("invites")
