"""The one place where handlers are registered. Order matters: see the groups below."""

from __future__ import annotations

from bot.context import AppApplication
from handlers import (
    binding,
    broadcast,
    campaigns,
    checkup,
    dashboard,
    drafts,
    errors,
    faq,
    floating,
    groups,
    ledger,
    liangshen,
    meetings,
    people,
    posts,
    records,
    reports,
    study,
    wrong_place,
)

# PTB runs one matching handler per group, groups in ascending order.
# -2: record who wrote in a group before anything else looks at the message;
# -1: text answering a guided flow's draft (it stops there: no feature sees the answer);
#  0: commands and membership events.
PRESENCE = -2
DRAFTS = -1
MAIN = 0


def setup_handlers(application: AppApplication) -> None:
    """Register every handler and the error handler."""
    groups.setup(application, MAIN, PRESENCE)
    binding.setup(application, MAIN)
    # Before /start: `/start dashboard` comes from a group's deep link to the dashboard.
    dashboard.setup_deep_link(application, MAIN)
    people.setup(application, MAIN)
    posts.setup(application, MAIN)
    flows = [meetings.setup(application, MAIN), study.setup(application, MAIN)]
    # Before the FAQ: a reply to a drafted record is the record's, not a question.
    records.setup(application, MAIN)
    checkup.setup(application, MAIN)
    campaigns.setup(application, MAIN)
    broadcast.setup(application, MAIN)
    ledger.setup(application, MAIN)
    reports.setup(application, MAIN)
    dashboard.setup(application, MAIN)
    liangshen.setup(application, MAIN)
    floating.setup(application, MAIN)
    # FAQ takes mentions of the bot and replies to it that nothing above claimed.
    flows.append(faq.setup(application, MAIN))
    drafts.setup(application, DRAFTS, flows)
    # Last: commands that no feature accepts in this kind of chat.
    wrong_place.setup(application, MAIN)
    application.add_error_handler(errors.on_error)
