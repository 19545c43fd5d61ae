"""floating members' stays away (流动党员) and meetings open to remote participation

Revision ID: 0011
Revises: 0002
Create Date: 2026-12-01 16:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.schema

revision: str = "0011"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "floating_stays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("host_org_id", sa.Integer(), nullable=True),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("contact", sa.String(length=100), nullable=False),
        sa.Column("recorded_by", sa.BigInteger(), nullable=True),
        sa.Column("started_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", storage.schema.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_org_id"],
            ["organisations.id"],
            name=op.f("fk_floating_stays_host_org_id_organisations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_floating_stays_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_floating_stays_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floating_stays")),
    )
    op.create_index(
        "ix_floating_stays_organisation_id_ended_at",
        "floating_stays",
        ["organisation_id", "ended_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_floating_stays_host_org_id"), "floating_stays", ["host_org_id"], unique=False
    )
    op.create_index(op.f("ix_floating_stays_user_id"), "floating_stays", ["user_id"], unique=False)
    op.create_table(
        "meeting_remote",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_remote_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_meeting_remote")),
    )


def downgrade() -> None:
    op.drop_table("meeting_remote")
    op.drop_index(op.f("ix_floating_stays_user_id"), table_name="floating_stays")
    op.drop_index(op.f("ix_floating_stays_host_org_id"), table_name="floating_stays")
    op.drop_index("ix_floating_stays_organisation_id_ended_at", table_name="floating_stays")
    op.drop_table("floating_stays")
