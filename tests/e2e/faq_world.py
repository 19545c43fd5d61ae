"""A small county for the FAQ end-to-end tests: organisations in a tree, their groups, people.

城关镇党委 ─┬─ 城关一支部 ── 一支部第一党小组
            └─ 城关二支部
河西镇党委
Each organisation has a group with its secretary (a Telegram admin of it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.core.faq import FaqMatcher, MatchResult
from bot.services.faq_book import build_matcher, shipped_entries
from emulator.world import Chat, User
from storage.repositories import OrganisationRepo
from tests.e2e.harness import RunningBot

ASSEMBLY_QUESTION = "支部党员大会多久开一次？"
OFF_TOPIC = "明天天气怎么样？"
# Tried in order: the first the shipped base answers with suggestions (robust to tuning).
SUGGEST_QUESTIONS = (
    "主题党日是什么？",
    "什么是主题党日",
    "党费可以一次交一年吗",
    "组织关系怎么转？",
    "入党申请书怎么写？",
    "党费怎么交？",
)


def shipped_matcher() -> FaqMatcher:
    """The matcher over the shipped base alone, as the bot builds it."""
    return build_matcher(shipped_entries())


def expect(question: str) -> MatchResult:
    """What the shipped base does with a question (the tests' precondition)."""
    return shipped_matcher().match(question)


def suggest_question() -> tuple[str, MatchResult]:
    """A question the shipped base answers with 您是不是想问."""
    for question in SUGGEST_QUESTIONS:
        result = expect(question)
        if result.outcome == "suggest" and len(result.candidates) >= 2:
            return question, result
    raise AssertionError("none of SUGGEST_QUESTIONS gives suggestions any more; add one")


@dataclass
class Unit:
    """An organisation, its group and its secretary."""

    name: str
    group: Chat
    secretary: User
    org_id: int = 0


@dataclass
class County:
    """The tree of organisations with their groups."""

    bot: RunningBot
    units: dict[str, Unit] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Unit:
        return self.units[name]

    async def say(self, name: str, text: str, user: User | None = None, **kw: Any) -> str:
        """Someone (the secretary by default) writes in a unit's group; the bot's reply."""
        unit = self.units[name]
        return await self.bot.say(unit.group, user or unit.secretary, text, **kw)


TREE = (
    ("城关镇党委", None),
    ("城关一支部", "城关镇党委"),
    ("一支部第一党小组", "城关一支部"),
    ("城关二支部", "城关镇党委"),
    ("河西镇党委", None),
)


async def make_county(bot: RunningBot, members: list[User] = ()) -> County:  # type: ignore[assignment]
    """Bind one group per organisation of TREE and place the organisations in the tree."""
    county = County(bot)
    for name, _ in TREE:
        secretary = bot.emulator.add_user(f"{name}书记")
        group = await bot.bound_group(f"{name}群", name, secretary, list(members))
        county.units[name] = Unit(name, group, secretary)
    async with bot.db() as session:
        repo = OrganisationRepo(session)
        ids = {name: (await repo.by_name(name)) for name, _ in TREE}
        for name, parent in TREE:
            record = ids[name]
            assert record is not None
            county.units[name].org_id = record.id
            if parent is not None:
                parent_record = ids[parent]
                assert parent_record is not None
                await repo.set_parent(record.id, parent_record.id)
    return county


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, callback_data) of a message's inline buttons."""
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]
