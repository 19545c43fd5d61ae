"""Time-driven jobs: thin adapters that call the same services as the handlers."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from schedules import meetings, study, sweep


def setup_schedules(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Start every repeating job."""
    sweep.setup(application)
    meetings.setup(application)
    study.setup(application)
