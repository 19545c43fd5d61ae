"""双找: members who declared themselves (亮明身份) in a group, bound or not."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.domain import MemberStatus
from storage.schema import Base, Timestamped, enum_column


class Declaration(Timestamped, Base):
    """One person's `/iam` in one group: status and where their 组织关系 is. Kept by the
    group (not its organisation): a group with no organisation yet is where 双找 starts, and
    binding it later keeps what was declared. Declaring again updates the row."""

    __tablename__ = "declarations"
    __table_args__ = (UniqueConstraint("chat_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[MemberStatus] = mapped_column(enum_column(MemberStatus))
    # True: the 组织关系 is in the group's own organisation; False: elsewhere (`place`).
    here: Mapped[bool] = mapped_column(Boolean)
    place: Mapped[str] = mapped_column(String(50), default="")
