"""A county for the campaign end-to-end tests: 城关镇党委 with its own group, and two branches
below it (第一党支部 of the meetings world, 第二党支部 with one member)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from emulator.world import Chat, User
from tests.e2e.harness import RunningBot
from tests.e2e.meetings_world import Branch, make_branch
from tests.e2e.worlds import on_roster, place_below

QUIZ_PLAN = """\
topics:
  - title: 学习党章
    publish_at: 2026-12-04 09:00
    summary: 学习党章总纲。
    questions: [党员有哪些义务？, 如何发挥先锋模范作用？]
    deadline: 2026-12-11 18:00
    quiz:
      - question: 党的根本宗旨是什么？
        options: [全心全意为人民服务, 发展经济]
        answer: 全心全意为人民服务
"""
PUBLISH_AT = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)  # 09:00 in Beijing


@dataclass
class County:
    """The committee's group and secretary, and the two branches."""

    bot: RunningBot
    first: Branch
    committee_group: Chat
    committee_secretary: User
    second_group: Chat
    second_secretary: User
    sun: User

    async def say(self, chat: Chat, user: User, text: str, reply_to: object = None) -> str:
        """`user` writes in a group; the bot's answer to that message (it quotes it)."""
        emu = self.bot.emulator
        sent = emu.send_text(chat, user, text, reply_to=reply_to)

        def answer() -> dict[str, Any] | None:
            return next(
                (
                    m
                    for m in emu.bot_messages(chat)
                    if (m.get("reply_to_message") or {}).get("message_id") == sent["message_id"]
                ),
                None,
            )

        said = str((await emu.wait_for(answer, what=f"the answer to {text!r}"))["text"])
        await emu.wait_for_bot_message(chat, contains=said)  # handed out: later waits skip it
        return said

    async def said_by(self, chat: Chat, user: User, text: str) -> object:
        """A plain message of `user` (what a reply command answers)."""
        sent = self.bot.emulator.send_text(chat, user, text)
        await self.bot.emulator.settle()
        return sent


async def make_county(bot: RunningBot) -> County:
    """Three groups bound to the three organisations, the branches under the committee."""
    first = await make_branch(bot)
    emu = bot.emulator
    above, second, sun = emu.add_user("党委书记"), emu.add_user("二支书记"), emu.add_user("孙七")
    committee_group = await bot.bound_group("党委群", "城关镇党委", above)
    second_group = await bot.bound_group("二支部群", "第二党支部", second, [sun])
    await on_roster(emu, committee_group, [above])
    await on_roster(emu, second_group, [second, sun])
    await place_below(bot, "城关镇党委", ["第一党支部", "第二党支部"])
    return County(bot, first, committee_group, above, second_group, second, sun)
