"""Command line: `python -m bot [run|migrate|sandbox|doctor|health|orgs|faq|ledger] ...`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.cli import doctor, faq, health, ledger, orgs, run, sandbox
from bot.cli.checks import StartupError


def build_parser(run_application: run.RunApplication | None = None) -> argparse.ArgumentParser:
    """The parser with every verb registered; `run_application` runs the bot (`run`)."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="党建助手 Telegram bot")
    parser.set_defaults(func=run.run_bot, run_application=run_application)
    verbs = parser.add_subparsers(
        title="verbs", metavar="{run,migrate,sandbox,doctor,health,orgs,faq,ledger}"
    )
    run.register(verbs)
    sandbox.register(verbs)
    doctor.register(verbs)
    health.register(verbs)
    orgs.register(verbs)
    faq.register(verbs)
    ledger.register(verbs)
    return parser


def main(
    argv: Sequence[str] | None = None, run_application: run.RunApplication | None = None
) -> int:
    """Parse arguments, run the verb, return the exit code."""
    args = build_parser(run_application).parse_args(argv)
    # Every verb module imports its heavy dependencies where it uses them, so that --help
    # and `health` start in a fraction of a second; the settings' (pydantic) come from here.
    from bot.config import ConfigError

    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except StartupError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        logging.getLogger(__name__).info("Interrupted")
        return 130
