"""Study topics, where they went, who studied and answered, and county broadcasts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.domain import Domain
from bot.core.study import Scope
from storage.schema import Base, Created, Timestamped, UTCDateTime, Versioned, enum_column


class StudyTopic(Timestamped, Versioned, Base):
    """A 主题党日 study topic of an organisation, planned ahead and published once."""

    __tablename__ = "study_topics"
    __table_args__ = (
        Index("ix_study_topics_organisation_id_publish_at", "organisation_id", "publish_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text, default="")
    materials: Mapped[list[str]] = mapped_column(JSON, default=list)
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    quiz: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    scope: Mapped[Scope] = mapped_column(enum_column(Scope))
    publish_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Canonical rule text (每月第一个周五 09:00) when the time came from a rule.
    rule: Mapped[str | None] = mapped_column(String(100))
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # planned -> published, or deleted before that.
    status: Mapped[str] = mapped_column(String(10), default="planned")
    created_by: Mapped[int] = mapped_column(BigInteger)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StudyTarget(Base):
    """A group a topic was published to, and the organisation it stands for."""

    __tablename__ = "study_targets"
    __table_args__ = (
        UniqueConstraint("topic_id", "chat_id"),
        Index("ix_study_targets_organisation_id_topic_id", "organisation_id", "topic_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("study_topics.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # The chat's surrogate id: a group upgraded to a supergroup keeps it.
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))


class StudyRecord(Base):
    """A member tapped 已学习 (or 已补学 after missing the 主题党日)."""

    __tablename__ = "study_records"
    __table_args__ = (
        UniqueConstraint("topic_id", "user_id"),
        # Covering: a member's records in a window, with their topics (campaign points).
        Index("ix_study_records_user_id_studied_at", "user_id", "studied_at", "topic_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("study_topics.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    studied_at: Mapped[datetime] = mapped_column(UTCDateTime)
    makeup: Mapped[bool] = mapped_column(Boolean, default=False)


class StudyPoll(Base):
    """A quiz poll sent to a group: Telegram's poll id names the topic and question."""

    __tablename__ = "study_polls"

    poll_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("study_topics.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[int] = mapped_column(Integer)
    correct_option: Mapped[int] = mapped_column(Integer)


class StudyAnswer(Base):
    """A member's answer to one quiz question (the first one counts)."""

    __tablename__ = "study_answers"
    __table_args__ = (
        UniqueConstraint("topic_id", "question", "user_id"),
        Index(
            "ix_study_answers_user_id_answered_at",
            "user_id",
            "answered_at",
            "topic_id",
            "correct",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("study_topics.id", ondelete="CASCADE"))
    question: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    option: Mapped[int] = mapped_column(Integer)
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Broadcast(Created, Base):
    """A message a manager copies to every group in a scope, with its live progress."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[int] = mapped_column(BigInteger)
    source_chat_id: Mapped[int] = mapped_column(BigInteger)
    source_message_id: Mapped[int] = mapped_column(BigInteger)
    # Where the manager sees the preview, then the progress and the report.
    control_chat_id: Mapped[int] = mapped_column(BigInteger)
    control_message_id: Mapped[int | None] = mapped_column(BigInteger)
    scope: Mapped[Scope | None] = mapped_column(enum_column(Scope))
    domain: Mapped[Domain | None] = mapped_column(enum_column(Domain))
    # draft -> sending -> done, or cancelled.
    status: Mapped[str] = mapped_column(String(10), default="draft")
    target_count: Mapped[int] = mapped_column(Integer, default=0)
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress_text: Mapped[str | None] = mapped_column(Text)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
