"""Meetings (三会一课), their recurring series and each member's answer and check-in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.meetings import MeetingStatus, MeetingType, Rsvp
from storage.schema import Base, Created, Timestamped, UTCDateTime, Versioned, enum_column


class MeetingSeries(Created, Base):
    """A recurring meeting (每月第一个周五 15:00 …), materialised ahead into meetings."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # The chat's surrogate id: a group upgraded to a supergroup keeps it.
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MeetingType] = mapped_column(enum_column(MeetingType))
    # Canonical RecurrenceRule.to_text(), e.g. 每月第一个周五 15:00.
    rule: Mapped[str] = mapped_column(String(100))
    place: Mapped[str] = mapped_column(String(100), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    organiser_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # REMINDER_OFFSETS notation (1d,1h); NULL means the configured default.
    reminder_offsets: Mapped[str | None] = mapped_column(String(100))
    # Occurrences up to this moment exist as meetings; the next run starts after it.
    materialised_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 线上可参加: every meeting materialised from the series is open to remote participation.
    remote: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Meeting(Timestamped, Versioned, Base):
    """One meeting: its notice, schedule of reminders and the attendance it collects."""

    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_organisation_id_starts_at", "organisation_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), index=True)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[MeetingType] = mapped_column(enum_column(MeetingType))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    place: Mapped[str] = mapped_column(String(100), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    organiser_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reminder_offsets: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus), default=MeetingStatus.SCHEDULED
    )
    notice_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # A digest of the notice as last shown (text and buttons): an edit to the same is skipped.
    notice_digest: Mapped[str | None] = mapped_column(String(64))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MeetingAnswer(Base):
    """A person's 参加 / 请假 (with reason) and 签到 for one meeting."""

    __tablename__ = "meeting_answers"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rsvp: Mapped[Rsvp] = mapped_column(enum_column(Rsvp), default=Rsvp.NONE)
    reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
