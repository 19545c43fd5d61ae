"""Campaigns (党建活动载体), managers' awards and the 五星党员 edits and publications.

Points are not stored anywhere: they are computed from the facts (meeting answers, study
records, quiz answers, duty reports and the awards below) whenever they are shown.
"""

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
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema import Base, Created, UTCDateTime


class Campaign(Created, Base):
    """A campaign of an organisation (and, with `subtree`, of everything below it)."""

    __tablename__ = "campaigns"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(30))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    subtree: Mapped[bool] = mapped_column(Boolean, default=False)
    # Points for each fact of a kind (bot.core.campaigns.Rules); fixed once it started.
    checkin_points: Mapped[int] = mapped_column(Integer)
    study_points: Mapped[int] = mapped_column(Integer)
    quiz_points: Mapped[int] = mapped_column(Integer)
    duty_points: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[int] = mapped_column(BigInteger)


class Award(Base):
    """Points a manager gave a member, with the reason: who, why, when."""

    __tablename__ = "awards"
    __table_args__ = (
        Index("ix_awards_organisation_id_awarded_at", "organisation_id", "awarded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(100))
    awarded_by: Mapped[int] = mapped_column(BigInteger)
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StarEdit(Base):
    """A manager's stars for one member and dimension of a 五星党员 rating (over the draft)."""

    __tablename__ = "star_edits"
    __table_args__ = (UniqueConstraint("organisation_id", "period", "user_id", "dimension"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    # `2026` for a year, `campaign:<id>` for a campaign.
    period: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    dimension: Mapped[str] = mapped_column(String(20))
    stars: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[int] = mapped_column(BigInteger)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StarPublication(Base):
    """A 五星党员 list published to the organisation's groups: the text as it went out."""

    __tablename__ = "star_publications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    published_by: Mapped[int] = mapped_column(BigInteger)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
