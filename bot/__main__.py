"""`python -m bot`: see bot/cli. The one module that loads the composition root."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.cli import main

if TYPE_CHECKING:
    from bot.config import Settings


def run_application(settings: Settings) -> None:
    """Build the bot and run it (webhook or polling) until SIGINT or SIGTERM (loaded only
    for `run`)."""
    from bot.app import run

    run(settings)


raise SystemExit(main(run_application=run_application))
