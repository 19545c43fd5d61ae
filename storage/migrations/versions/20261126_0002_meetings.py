"""meetings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 10:23:29.426095
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.schema

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "assembly",
                "committee",
                "group",
                "lecture",
                "themed_day",
                "life_meeting",
                "appraisal",
                "regular",
                "other",
                name="meetingtype",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("rule", sa.String(length=100), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("organiser_id", sa.BigInteger(), nullable=False),
        sa.Column("reminder_offsets", sa.String(length=100), nullable=True),
        sa.Column("materialised_until", storage.schema.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", storage.schema.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.id"],
            name=op.f("fk_meeting_series_chat_id_chats"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_meeting_series_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["users.id"],
            name=op.f("fk_meeting_series_organiser_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_series")),
    )
    with op.batch_alter_table("meeting_series", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_series_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_meeting_series_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "assembly",
                "committee",
                "group",
                "lecture",
                "themed_day",
                "life_meeting",
                "appraisal",
                "regular",
                "other",
                name="meetingtype",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("starts_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("organiser_id", sa.BigInteger(), nullable=False),
        sa.Column("reminder_offsets", sa.String(length=100), nullable=True),
        sa.Column(
            "status",
            sa.Enum("scheduled", "cancelled", name="meetingstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("notice_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", storage.schema.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["chats.id"], name=op.f("fk_meetings_chat_id_chats"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_meetings_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["users.id"],
            name=op.f("fk_meetings_organiser_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["meeting_series.id"],
            name=op.f("fk_meetings_series_id_meeting_series"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index(
            "ix_meetings_organisation_id_starts_at", ["organisation_id", "starts_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meetings_series_id"), ["series_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meetings_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "meeting_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "rsvp",
            sa.Enum("yes", "leave", "none", name="rsvp", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("answered_at", storage.schema.UTCDateTime(timezone=True), nullable=True),
        sa.Column("checked_in_at", storage.schema.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_answers_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_meeting_answers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_answers")),
        sa.UniqueConstraint(
            "meeting_id", "user_id", name=op.f("uq_meeting_answers_meeting_id_user_id")
        ),
    )
    with op.batch_alter_table("meeting_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_answers_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meeting_answers_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("meeting_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_answers_user_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_answers_meeting_id"))

    op.drop_table("meeting_answers")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_starts_at"))
        batch_op.drop_index(batch_op.f("ix_meetings_series_id"))
        batch_op.drop_index("ix_meetings_organisation_id_starts_at")
        batch_op.drop_index(batch_op.f("ix_meetings_chat_id"))

    op.drop_table("meetings")
    with op.batch_alter_table("meeting_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_series_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_series_chat_id"))

    op.drop_table("meeting_series")
