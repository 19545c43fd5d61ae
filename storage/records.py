"""Plain frozen dataclasses that repositories return (never ORM rows).

Every record lives here, in one module that handlers and schedules may import (the layer
rule lets them see records but no repository): they are shaped by the tables, so they
belong to storage, and depend on nothing but bot.core's vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, StrEnum
from typing import Any

from bot.core.domain import Domain, MemberStatus, OrgKind, Role
from bot.core.faq import FaqEntry
from bot.core.meetings import MeetingStatus, MeetingType, Rsvp
from bot.core.minutes import MinutesStatus
from bot.core.study import Scope
from bot.core.study_quiz import QuizItem


class Keep(Enum):
    """The default of a repository's optional change: leave the column as it is.

    None cannot say it, since None is a value (reminder offsets: the configured default).
    """

    KEEP = "keep"


KEEP = Keep.KEEP

# Life of a study topic, a broadcast and an unanswered question (stored as text).
PLANNED, PUBLISHED, DELETED = "planned", "published", "deleted"
DRAFT, SENDING, DONE, CANCELLED = "draft", "sending", "done", "cancelled"
PENDING, ANSWERED, DISMISSED = "pending", "answered", "dismissed"


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


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    """A meeting, with the Telegram id of the group it lives in."""

    id: int
    organisation_id: int
    chat_id: int
    chat_telegram_id: int
    series_id: int | None
    kind: MeetingType
    starts_at: datetime
    place: str
    agenda: str
    organiser_id: int
    reminder_offsets: str | None
    status: MeetingStatus
    version: int
    notice_message_id: int | None
    notice_digest: str | None = None  # of the notice as last shown

    @property
    def cancelled(self) -> bool:
        """The meeting was called off."""
        return self.status is MeetingStatus.CANCELLED


@dataclass(frozen=True, slots=True)
class MinutesRecord:
    """One version of a meeting's record (会议记录)."""

    id: int
    meeting_id: int
    version: int
    status: MinutesStatus
    recorder: str
    content: str
    resolutions: str
    completed_at: datetime | None
    completed_by: int | None

    @property
    def done(self) -> bool:
        """A manager tapped 完成 on this version."""
        return self.status is MinutesStatus.DONE


@dataclass(frozen=True, slots=True)
class SeriesRecord:
    """A recurring meeting."""

    id: int
    organisation_id: int
    chat_id: int
    kind: MeetingType
    rule: str
    place: str
    agenda: str
    organiser_id: int
    reminder_offsets: str | None
    materialised_until: datetime | None
    cancelled: bool
    remote: bool = False  # 线上可参加


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One person's answer to one meeting."""

    meeting_id: int
    user_id: int
    rsvp: Rsvp
    reason: str | None
    answered_at: datetime | None
    checked_in_at: datetime | None


@dataclass(frozen=True, slots=True)
class TopicRecord:
    """A study topic."""

    id: int
    organisation_id: int
    title: str
    summary: str
    materials: tuple[str, ...]
    questions: tuple[str, ...]
    quiz: tuple[QuizItem, ...]
    scope: Scope
    publish_at: datetime
    rule: str | None
    deadline_at: datetime
    status: str
    version: int
    published_at: datetime | None

    @property
    def planned(self) -> bool:
        """Not yet published nor deleted: may still be edited."""
        return self.status == PLANNED


@dataclass(frozen=True, slots=True)
class TargetRecord:
    """A group a topic went to."""

    organisation_id: int
    chat_id: int
    telegram_id: int


@dataclass(frozen=True, slots=True)
class PollRecord:
    """What a quiz poll asks."""

    topic_id: int
    question: int
    correct_option: int


@dataclass(frozen=True, slots=True)
class BroadcastRecord:
    """A broadcast and where its manager watches it."""

    id: int
    organisation_id: int
    created_by: int
    source_chat_id: int
    source_message_id: int
    control_chat_id: int
    control_message_id: int | None
    scope: Scope | None
    domain: Domain | None
    status: str
    target_count: int
    progress_at: datetime | None
    progress_text: str | None


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """An organisation's entry with its 编号 (the database id)."""

    id: int
    entry: FaqEntry
    created_by: int

    @property
    def organisation_id(self) -> int:
        """The organisation the entry belongs to."""
        assert self.entry.org_id is not None
        return self.entry.org_id


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """An unanswered question, with the Telegram id of the group it was asked in."""

    id: int
    organisation_id: int | None
    chat_telegram_id: int | None
    user_id: int
    asker_name: str
    question: str
    times: int
    asked_at: datetime
    status: str
    entry_id: int | None


@dataclass(frozen=True, slots=True)
class EntriesStamp:
    """Changes whenever any organisation's entries change (to notice other processes)."""

    count: int
    last_id: int | None
    last_update: datetime | None


@dataclass(frozen=True, slots=True)
class InviteRecord:
    """A one-time invitation code of an organisation."""

    code: str
    organisation_id: int
    created_by: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class BindRequestRecord:
    """A group's request to join an existing organisation."""

    id: int
    chat_id: int
    chat_telegram_id: int
    chat_title: str
    organisation_id: int
    requested_by: int
    status: str


@dataclass(frozen=True, slots=True)
class DraftRecord:
    """A guided flow's draft: which flow, its state (JSON), when it last moved."""

    flow: str
    state: dict[str, Any]
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DeclarationRecord:
    """A member's 亮明身份 in a group (双找): who, as what, where their 组织关系 is."""

    chat_id: int  # chats.id, not Telegram's
    user_id: int
    name: str
    status: MemberStatus
    here: bool
    place: str
    declared_at: datetime  # the last time they declared (updated by declaring again)


@dataclass(frozen=True, slots=True)
class PostRecord:
    """A 设岗定责 post of an organisation, with its current holders (active members)."""

    id: int
    organisation_id: int
    name: str
    duties: str
    holders: tuple[UserRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class DutyReportRecord:
    """A member's duty report (履职记录) on a post; `post_id` is None once it was removed."""

    id: int
    organisation_id: int
    post_id: int | None
    post_name: str
    user: UserRecord
    text: str
    photo_file_id: str | None
    reported_at: datetime
