"""Plain frozen dataclasses that repositories return (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.core.domain import Domain, MemberStatus, OrgKind, Role


@dataclass(frozen=True, slots=True)
class OrganisationRecord:
    """An organisation of the tree."""

    id: int
    name: str
    kind: OrgKind
    domain: Domain
    floating: bool
    parent_id: int | None


@dataclass(frozen=True, slots=True)
class ChatRecord:
    """A Telegram group known to the bot."""

    id: int
    telegram_id: int
    title: str
    type: str
    organisation_id: int | None
    active: bool


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A Telegram user."""

    id: int
    username: str | None
    display_name: str
    real_name: str | None
    can_dm: bool

    @property
    def name(self) -> str:
        """The name to show: real name first, then Telegram's, then @username."""
        return self.real_name or self.display_name or (self.username or str(self.id))


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """A membership with its person."""

    id: int
    organisation_id: int
    user: UserRecord
    role: Role
    status: MemberStatus
    floating: bool
    joined_at: datetime
    left_at: datetime | None

    @property
    def active(self) -> bool:
        """Still a member (has not left)."""
        return self.left_at is None


class DeliveryStatus(StrEnum):
    """Life of an outbox row."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One message of the outbox."""

    id: int
    key: str
    kind: str
    chat_id: int
    due_at: datetime
    expires_at: datetime | None
    status: DeliveryStatus
    attempts: int
    payload: dict[str, Any] = field(default_factory=dict)
    message_id: int | None = None
    last_error: str | None = None
