"""Every handler-facing service, built once by the composition root (bot/app.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.services.access import AccessService, IsAdmin
from bot.services.broadcast_service import BroadcastService
from bot.services.campaign_service import CampaignService
from bot.services.chat_service import ChatService
from bot.services.checkup_service import CheckupService
from bot.services.dashboard_service import DashboardService
from bot.services.draft_service import DraftService
from bot.services.faq_book import FaqBook
from bot.services.faq_service import FaqService
from bot.services.floating_service import FloatingService
from bot.services.ledger_service import LedgerService
from bot.services.liangshen_service import LiangshenService
from bot.services.meeting_plan import MeetingConfig
from bot.services.meeting_service import MeetingService
from bot.services.minutes_service import MinutesService
from bot.services.ops_service import OpsService
from bot.services.org_service import OrganisationService
from bot.services.outbox import Outbox
from bot.services.people_service import PeopleService
from bot.services.posts_service import PostService
from bot.services.processes import Processes
from bot.services.report_service import ReportService
from bot.services.study_service import StudyService
from storage.db import Database


@dataclass(frozen=True)
class Services:
    """What handlers and schedules call: one object per feature, plus the outbox."""

    access: AccessService
    chats: ChatService
    people: PeopleService
    organisations: OrganisationService
    meetings: MeetingService
    minutes: MinutesService
    checkup: CheckupService
    campaigns: CampaignService
    study: StudyService
    broadcasts: BroadcastService
    faq: FaqService
    floating: FloatingService
    ledger: LedgerService
    liangshen: LiangshenService
    reports: ReportService
    dashboard: DashboardService
    drafts: DraftService
    outbox: Outbox
    processes: Processes
    ops: OpsService
    posts: PostService


def build_services(
    database: Database, settings: Settings, is_admin: IsAdmin, processes: Processes
) -> Services:
    """Wire the services; `is_admin` asks Telegram whether a user administers a group."""
    clock = processes.clock
    access = AccessService(frozenset(settings.superadmin_ids), is_admin)
    config = MeetingConfig(tz=settings.timezone, offsets=settings.reminder_offsets)
    common = (database, clock, access)
    return Services(
        access=access,
        chats=ChatService(*common),
        people=PeopleService(*common),
        organisations=OrganisationService(*common),
        meetings=MeetingService(*common, config),
        minutes=MinutesService(*common, settings.timezone),
        checkup=CheckupService(*common, settings.timezone, settings.alert_days_before),
        campaigns=CampaignService(*common, settings.timezone),
        study=StudyService(*common, settings.timezone),
        broadcasts=BroadcastService(*common),
        faq=FaqService(*common, FaqBook(database.sessions, clock), settings.timezone),
        floating=FloatingService(*common, settings.timezone),
        ledger=LedgerService(*common, settings.timezone),
        liangshen=LiangshenService(*common, settings.timezone),
        reports=ReportService(*common, config),
        dashboard=DashboardService(*common, settings.timezone),
        drafts=DraftService(*common),
        outbox=Outbox(database, clock, processes.owner),  # the root registers the kinds
        processes=processes,
        ops=OpsService(database, clock),
        posts=PostService(*common, settings.timezone, settings.alert_days_before),
    )
