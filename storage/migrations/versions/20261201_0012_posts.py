"""设岗定责: posts, their holders and duty reports

Revision ID: 0012
Revises: 0001
Create Date: 2026-12-01 16:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.schema

revision: str = "0012"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("duties", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_posts_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
        sa.UniqueConstraint("organisation_id", "name", name=op.f("uq_posts_organisation_id_name")),
    )
    op.create_index(op.f("ix_posts_organisation_id"), "posts", ["organisation_id"], unique=False)
    op.create_table(
        "post_holders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("assigned_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.Column("assigned_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_post_holders_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_post_holders_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_holders")),
        sa.UniqueConstraint("post_id", "user_id", name=op.f("uq_post_holders_post_id_user_id")),
    )
    op.create_index(op.f("ix_post_holders_user_id"), "post_holders", ["user_id"], unique=False)
    op.create_table(
        "duty_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("post_name", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("photo_file_id", sa.String(length=200), nullable=True),
        sa.Column("reported_at", storage.schema.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_duty_reports_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_duty_reports_post_id_posts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_duty_reports_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_reports")),
    )
    op.create_index(
        "ix_duty_reports_organisation_id_reported_at",
        "duty_reports",
        ["organisation_id", "reported_at"],
        unique=False,
    )
    op.create_index(op.f("ix_duty_reports_post_id"), "duty_reports", ["post_id"], unique=False)
    op.create_index(op.f("ix_duty_reports_user_id"), "duty_reports", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_duty_reports_user_id"), table_name="duty_reports")
    op.drop_index(op.f("ix_duty_reports_post_id"), table_name="duty_reports")
    op.drop_index("ix_duty_reports_organisation_id_reported_at", table_name="duty_reports")
    op.drop_table("duty_reports")
    op.drop_index(op.f("ix_post_holders_user_id"), table_name="post_holders")
    op.drop_table("post_holders")
    op.drop_index(op.f("ix_posts_organisation_id"), table_name="posts")
    op.drop_table("posts")
