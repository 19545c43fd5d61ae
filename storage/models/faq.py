"""Policy Q&A: each organisation's own FAQ entries and the questions nobody could answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema import Base, Timestamped, UTCDateTime


class FaqEntryRow(Timestamped, Base):
    """An entry an organisation added to the shipped base (it applies to it and below)."""

    __tablename__ = "faq_entries"
    __table_args__ = (UniqueConstraint("organisation_id", "slug"),)

    # The 编号 managers see in /faq list and use in /faq edit and /faq delete.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # The id in YAML files; an entry with a shipped entry's id replaces it for the organisation.
    slug: Mapped[str] = mapped_column(String(100))
    question: Mapped[str] = mapped_column(Text)
    phrasings: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int] = mapped_column(BigInteger)


class FaqQuestion(Base):
    """A question the bot could not answer, kept for the organisation's managers."""

    __tablename__ = "faq_questions"
    __table_args__ = (
        Index("ix_faq_questions_organisation_id_status", "organisation_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # NULL when asked privately by someone who belongs to no organisation.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    # The group's surrogate id (survives a supergroup upgrade); NULL when asked privately.
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("chats.id", ondelete="SET NULL"))
    user_id: Mapped[int] = mapped_column(BigInteger)
    asker_name: Mapped[str] = mapped_column(String(255), default="")
    question: Mapped[str] = mapped_column(Text)
    # The same question asked again while pending counts here instead of a new row.
    times: Mapped[int] = mapped_column(Integer, default=1)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # pending -> answered (entry_id set) or dismissed.
    status: Mapped[str] = mapped_column(String(10), default="pending")
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("faq_entries.id", ondelete="SET NULL"))
    resolved_by: Mapped[int | None] = mapped_column(BigInteger)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
