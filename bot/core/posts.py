"""设岗定责: the rules of posts and duty reports, as pure functions.

A branch gives members without office a post (岗位) with its duties in one sentence; a
member may hold several. Members report what they did (/duty); each month, holders without
a report are reminded once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# The county's practice (the Party-school speech): posts and a default duty for each.
SUGGESTED: dict[str, str] = {
    "政策宣传": "向群众宣传党的路线方针政策和惠民政策",
    "纠纷调解": "负责调解邻里纠纷，每月至少走访一次",
    "民意报告": "收集群众意见建议，及时向支部反映",
    "村务监督": "监督村务公开和集体资金使用",
    "扶贫济困": "联系帮扶困难群众，帮助解决实际困难",
    "科普辅导": "开展科学知识和实用技术辅导",
    "信息传递": "及时向群众传达通知和市场信息",
    "产品推销": "帮助群众联系销路，推销农副产品",
    "义务家长": "关心关爱留守儿童，定期看望辅导",
}
MAX_NAME = 20  # the column's width (storage/models/posts.py)
MAX_DUTIES = 100  # one sentence
MAX_REPORT = 500
MAX_POSTS = 30  # per organisation: a board a group can read
# Whitespace a name or text may keep: line breaks and tabs in a report; nothing else invisible.
_KEPT = {"\n", "\t"}


def clean_text(text: str) -> str:
    """The text without control and invisible format characters, line ends made \\n, trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = [
        c for c in text if c in _KEPT or unicodedata.category(c) not in ("Cc", "Cf", "Co", "Cs")
    ]
    return "".join(kept).strip()


def valid_name(name: str) -> bool:
    """A post name: 1-20 printable characters, no spaces, no markup."""
    return (
        0 < len(name) <= MAX_NAME
        and name.isprintable()
        and not any(c.isspace() or c in "<>&/@#" for c in name)
    )


def split_first(text: str) -> tuple[str, str]:
    """The first word and the rest (both trimmed)."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def duties_for(name: str, given: str) -> str:
    """The duties as given, or the suggested ones for a post of the county's list."""
    return clean_text(given) or SUGGESTED.get(name, "")


@dataclass(frozen=True, slots=True)
class Holding:
    """A member holding a post: who, which post, in which organisation."""

    org_id: int
    post: str
    user_id: int


def without_reports(
    holdings: Iterable[Holding], counts: Mapping[tuple[int, int], int]
) -> dict[tuple[int, int], list[str]]:
    """(organisation, user) -> the posts they hold there, for holders with no report."""
    found: dict[tuple[int, int], list[str]] = {}
    for holding in holdings:
        key = (holding.org_id, holding.user_id)
        if not counts.get(key):
            found.setdefault(key, []).append(holding.post)
    return found


def pick_post(held: list[str], text: str) -> tuple[str | None, str]:
    """Which of the member's posts a report is for, and the report's text: a first word
    naming one of their posts picks it (and is taken off); an only post is the one; else
    None (the member is asked)."""
    first, rest = split_first(text)
    if first in held and rest:
        return first, rest
    return (held[0] if len(held) == 1 else None), text.strip()
