"""Floating members (流动党员): their stays away from the branch of record, and meetings open
to remote participation (线上可参加)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema import Base, Created, UTCDateTime


class FloatingStay(Created, Base):
    """A member away from their branch of record (流出地, `organisation_id`): where they are
    (流入地), since when, and how to reach them. Open while `ended_at` is NULL."""

    __tablename__ = "floating_stays"
    __table_args__ = (
        Index("ix_floating_stays_organisation_id_ended_at", "organisation_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    place: Mapped[str] = mapped_column(String(100))
    # The organisation there (流入地), when known.
    host_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    since: Mapped[date] = mapped_column(Date)
    contact: Mapped[str] = mapped_column(String(100), default="")
    recorded_by: Mapped[int | None] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MeetingRemote(Base):
    """A meeting its organiser opened to remote participation (`/meeting … 线上可参加`)."""

    __tablename__ = "meeting_remote"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
