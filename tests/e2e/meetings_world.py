"""A branch group for the meeting end-to-end tests: people, answers, and what the bot sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.domain import MemberStatus
from emulator.world import Chat, User
from storage.records import MeetingRecord
from storage.repositories import DeliveryRepo, MemberRepo, OrganisationRepo
from storage.repositories.meetings import MeetingRepo
from tests.e2e.harness import RunningBot
from tests.e2e.worlds import on_roster, started

SHANGHAI = ZoneInfo("Asia/Shanghai")
ORG = "第一党支部"


def beijing(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in 2026 on the Beijing wall clock."""
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class Branch:
    """The secretary (group admin) and four members, one of them probationary.

    张三 and 李四 started the bot (can be messaged privately), 王五 and 赵六 did not;
    张三 and 赵六 have a @username, 李四 and 王五 only a name.
    """

    bot: RunningBot
    group: Chat
    secretary: User
    zhang: User
    li: User
    wang: User
    zhao: User

    @property
    def members(self) -> list[User]:
        """Everyone but the secretary."""
        return [self.zhang, self.li, self.wang, self.zhao]

    async def command(self, user: User, text: str) -> str:
        """`user` sends a command in the group; the bot's reply text."""
        return await self.bot.say(self.group, user, text)

    async def ask(self, user: User, text: str, expect: str) -> str:
        """`user` sends `text` in the group; the bot's next message there containing `expect`.

        Other messages the command caused (change notices going out) are left unread.
        """
        emu = self.bot.emulator
        emu.send_text(self.group, user, text)
        return str((await emu.wait_for_bot_message(self.group, contains=expect))["text"])

    async def announce(self, text: str) -> tuple[int, dict[str, Any]]:
        """The secretary sends `/meeting …`; the meeting number and its posted notice."""
        reply = await self.command(self.secretary, f"/meeting {text}")
        assert reply.startswith("已发布会议通知"), reply
        number = int(reply.split("编号 ")[1].split("）")[0])
        notice = await self.bot.emulator.wait_for_bot_message(self.group, contains="📢")
        await self.bot.emulator.settle()  # the kicked sweep has finished
        return number, notice

    def press(self, user: User, message: dict[str, Any], label: str) -> str:
        """`user` presses the button labelled `label`; the query id."""
        chat = message["chat"]["id"]
        return self.bot.emulator.press_button(chat, user, message["message_id"], text=label)

    async def answer_of(self, query_id: str) -> str:
        """The bot's answer to a button press."""
        emu = self.bot.emulator
        answer = await emu.wait_for(lambda: emu.callback_answers.get(query_id), what="answer")
        return answer.text or ""

    def text(self, message: dict[str, Any]) -> str:
        """The message's current text (after the bot's edits)."""
        return str(self.bot.emulator.message(message["chat"]["id"], message["message_id"])["text"])

    async def meeting(self, number: int) -> MeetingRecord:
        """The stored meeting."""
        async with self.bot.db() as session:
            meeting = await MeetingRepo(session).get(number)
        assert meeting is not None
        return meeting

    async def statuses(self, number: int) -> dict[str, str]:
        """Delivery key (without the meeting prefix) -> status, for one meeting."""
        prefix = f"mtg:{number}:"
        async with self.bot.db() as session:
            rows = await DeliveryRepo(session).with_prefix(prefix)
        return {row.key.removeprefix(prefix): row.status.value for row in rows}


async def make_branch(bot: RunningBot) -> Branch:
    """A bound group whose members are on the roster (they wrote once)."""
    bot.hold_sweeps()
    emu = bot.emulator
    secretary = emu.add_user("书记", username="shuji")
    zhang = emu.add_user("张三", username="zhangsan")
    li, wang = emu.add_user("李四"), emu.add_user("王五")
    zhao = emu.add_user("赵六", username="zhaoliu")
    await started(emu, secretary, zhang, li)
    group = await bot.bound_group("一支部群", ORG, secretary, [zhang, li, wang, zhao])
    await on_roster(emu, group, [zhang, li, wang, zhao])
    async with bot.db() as session:
        org = await OrganisationRepo(session).by_name(ORG)
        assert org is not None
        await MemberRepo(session).set_status(org.id, zhao.id, MemberStatus.PROBATIONARY)
    return Branch(bot, group, secretary, zhang, li, wang, zhao)
