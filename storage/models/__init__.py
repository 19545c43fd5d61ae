"""ORM models. Repositories turn them into dataclasses; nothing else touches them.

Every model module is imported here so that Alembic sees all tables on the metadata.
"""

from storage.models.binding import BindRequest, Invite
from storage.models.campaigns import Award, Campaign, StarEdit, StarPublication
from storage.models.core import BotProcess, Chat, Delivery, Member, Organisation, User
from storage.models.declarations import Declaration
from storage.models.drafts import FlowDraft
from storage.models.faq import FaqEntryRow, FaqQuestion
from storage.models.floating import FloatingStay, MeetingRemote
from storage.models.meetings import Meeting, MeetingAnswer, MeetingSeries
from storage.models.minutes import MeetingHeld, MeetingMinutes
from storage.models.posts import DutyReport, Post, PostHolder
from storage.models.study import (
    Broadcast,
    StudyAnswer,
    StudyPoll,
    StudyRecord,
    StudyTarget,
    StudyTopic,
)

__all__ = [
    "Award",
    "BindRequest",
    "BotProcess",
    "Broadcast",
    "Campaign",
    "Chat",
    "Declaration",
    "Delivery",
    "DutyReport",
    "FaqEntryRow",
    "FaqQuestion",
    "FloatingStay",
    "FlowDraft",
    "Invite",
    "Meeting",
    "MeetingAnswer",
    "MeetingHeld",
    "MeetingMinutes",
    "MeetingRemote",
    "MeetingSeries",
    "Member",
    "Organisation",
    "Post",
    "PostHolder",
    "StarEdit",
    "StarPublication",
    "StudyAnswer",
    "StudyPoll",
    "StudyRecord",
    "StudyTarget",
    "StudyTopic",
    "User",
]
