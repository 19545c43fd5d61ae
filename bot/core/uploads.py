"""The files users send, read off the event loop: each parse in a child process on a budget.

Services and the CLI call these instead of the readers themselves. The checks that need
no parsing (extension, size) run here first, so that an oversized file costs no process.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from bot.core.faq.kb import FaqEntry, load_entries_from_yaml
from bot.core.orgtree import OrgNode, parse_org_tree
from bot.core.sandbox import run_isolated
from bot.core.study import TopicDraft
from bot.core.study_files import check_plan, check_upload


async def read_study_plan(
    file: tuple[str, bytes], now: datetime, tz: ZoneInfo
) -> list[TopicDraft]:
    """The valid topics of a plan file (name, content), or PlanError / BudgetExceeded."""
    check_upload(*file)
    return await run_isolated(check_plan, *file, now, tz)


async def read_faq_base(text: str, *, filename: str, org_id: int | None) -> list[FaqEntry]:
    """The entries of a base file, or FaqFormatError / BudgetExceeded."""
    load = partial(load_entries_from_yaml, filename=filename, org_id=org_id)
    return await run_isolated(load, text)


async def read_org_tree(text: str) -> list[OrgNode]:
    """The organisation tree of a YAML file, or OrgTreeError / BudgetExceeded."""
    return await run_isolated(parse_org_tree, text)
