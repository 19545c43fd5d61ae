"""Covering indexes for the study facts counted per member (campaign points, 概览, ledger)

A county's points walk from each member to their study records and quiz answers within a
window, then ask whether the topic went to the member's organisation. Without these, every
record is a lookup in the table and every target a walk of the organisation's targets.

Revision ID: 0015
Revises: 0004
Create Date: 2026-12-01 18:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_study_records_user_id_studied_at",
        "study_records",
        ["user_id", "studied_at", "topic_id"],
    )
    op.create_index(
        "ix_study_answers_user_id_answered_at",
        "study_answers",
        ["user_id", "answered_at", "topic_id", "correct"],
    )
    op.create_index(
        "ix_study_targets_organisation_id_topic_id",
        "study_targets",
        ["organisation_id", "topic_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_study_targets_organisation_id_topic_id", table_name="study_targets")
    op.drop_index("ix_study_answers_user_id_answered_at", table_name="study_answers")
    op.drop_index("ix_study_records_user_id_studied_at", table_name="study_records")
