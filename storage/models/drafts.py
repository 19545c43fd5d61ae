"""Guided flows in progress: a person's half-written meeting, topic or FAQ entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema import Base, Timestamped


class FlowDraft(Timestamped, Base):
    """One flow's draft of one person in one chat, kept across restarts and processes."""

    __tablename__ = "drafts"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    flow: Mapped[str] = mapped_column(String(20), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
