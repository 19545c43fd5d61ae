"""study topics, their targets, records, quiz polls and answers; broadcasts

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-26 10:26:16.288695
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.schema

revision: str = "0004"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("source_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("source_message_id", sa.BigInteger(), nullable=False),
        sa.Column("control_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("control_message_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "scope",
            sa.Enum("own", "below", name="scope", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column(
            "domain",
            sa.Enum(
                "organ",
                "rural",
                "community",
                "non_public",
                "soe",
                "school",
                "other",
                name="domain",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("target_count", sa.Integer(), nullable=False),
        sa.Column("progress_at", storage.schema.UTCDateTime(timezone=True), nullable=True),
        sa.Column("progress_text", sa.Text(), nullable=True),
        sa.Column("created_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", storage.schema.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", storage.schema.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_broadcasts_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcasts")),
    )
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_broadcasts_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "study_topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("quiz", sa.JSON(), nullable=False),
        sa.Column(
            "scope",
            sa.Enum("own", "below", name="scope", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("publish_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rule", sa.String(length=100), nullable=True),
        sa.Column("deadline_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", storage.schema.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_study_topics_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_topics")),
    )
    with op.batch_alter_table("study_topics", schema=None) as batch_op:
        batch_op.create_index(
            "ix_study_topics_organisation_id_publish_at",
            ["organisation_id", "publish_at"],
            unique=False,
        )

    op.create_table(
        "study_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("option", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("answered_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["study_topics.id"],
            name=op.f("fk_study_answers_topic_id_study_topics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_study_answers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_answers")),
        sa.UniqueConstraint(
            "topic_id",
            "question",
            "user_id",
            name=op.f("uq_study_answers_topic_id_question_user_id"),
        ),
    )
    with op.batch_alter_table("study_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_answers_user_id"), ["user_id"], unique=False)

    op.create_table(
        "study_polls",
        sa.Column("poll_id", sa.String(length=64), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Integer(), nullable=False),
        sa.Column("correct_option", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["study_topics.id"],
            name=op.f("fk_study_polls_topic_id_study_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("poll_id", name=op.f("pk_study_polls")),
    )
    with op.batch_alter_table("study_polls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_polls_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "study_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("studied_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("makeup", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["study_topics.id"],
            name=op.f("fk_study_records_topic_id_study_topics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_study_records_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_records")),
        sa.UniqueConstraint("topic_id", "user_id", name=op.f("uq_study_records_topic_id_user_id")),
    )
    with op.batch_alter_table("study_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_records_user_id"), ["user_id"], unique=False)

    op.create_table(
        "study_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.id"],
            name=op.f("fk_study_targets_chat_id_chats"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_study_targets_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["study_topics.id"],
            name=op.f("fk_study_targets_topic_id_study_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_targets")),
        sa.UniqueConstraint("topic_id", "chat_id", name=op.f("uq_study_targets_topic_id_chat_id")),
    )
    with op.batch_alter_table("study_targets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_study_targets_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_study_targets_topic_id"), ["topic_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("study_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_targets_topic_id"))
        batch_op.drop_index(batch_op.f("ix_study_targets_organisation_id"))

    op.drop_table("study_targets")
    with op.batch_alter_table("study_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_records_user_id"))

    op.drop_table("study_records")
    with op.batch_alter_table("study_polls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_polls_topic_id"))

    op.drop_table("study_polls")
    with op.batch_alter_table("study_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_answers_user_id"))

    op.drop_table("study_answers")
    with op.batch_alter_table("study_topics", schema=None) as batch_op:
        batch_op.drop_index("ix_study_topics_organisation_id_publish_at")

    op.drop_table("study_topics")
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_broadcasts_organisation_id"))

    op.drop_table("broadcasts")
