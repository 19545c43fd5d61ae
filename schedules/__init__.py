"""Time-driven jobs: thin adapters that call the same services as the handlers."""

from __future__ import annotations

from bot.context import AppApplication
from schedules import campaigns, checkup, floating, housekeeping, meetings, posts, study, sweep


def setup_schedules(application: AppApplication) -> None:
    """Start every repeating job."""
    sweep.setup(application)
    meetings.setup(application)
    campaigns.setup(application)
    study.setup(application)
    housekeeping.setup(application)
    checkup.setup(application)
    posts.setup(application)
    floating.setup(application)
