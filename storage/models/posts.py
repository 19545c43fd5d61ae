"""设岗定责: posts of a branch, who holds them, and the members' duty reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema import Base, Created, UTCDateTime


class Post(Created, Base):
    """A post (岗位) a branch gives members without office, with its duties in a sentence."""

    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(20))
    duties: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(BigInteger)


class PostHolder(Base):
    """A member holding a post; a member may hold several."""

    __tablename__ = "post_holders"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    assigned_by: Mapped[int | None] = mapped_column(BigInteger)


class DutyReport(Base):
    """What a member did on their post (履职), with when they said it."""

    __tablename__ = "duty_reports"
    __table_args__ = (
        Index("ix_duty_reports_organisation_id_reported_at", "organisation_id", "reported_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    # The post may be removed later: its name stays with the report for the ledger.
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), index=True
    )
    post_name: Mapped[str] = mapped_column(String(20), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    photo_file_id: Mapped[str | None] = mapped_column(String(200))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
