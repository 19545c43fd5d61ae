"""A county in miniature for the permission matrix and the fuzzer: one group, four callers.

城关镇党委 (the parent) has its own group, where 县委书记 holds the post 书记; 第一党支部 sits
below it with the group 一支部群 (Telegram admin: 支部书记); 第二党支部 beside it has its own
group, administered by 二支部管理员. Everyone who acts in 一支部群 is a member of it and has
started the bot privately. The callers are a plain member, the other organisation's admin,
the parent's 书记 and a superadmin.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select

import storage.models  # noqa: F401 - every table on the metadata
from bot.core.domain import MemberStatus, Role
from bot.core.meetings import MeetingType
from bot.core.minutes import Part
from bot.services.access import Actor, Place
from bot.services.faq_input import EntryText
from bot.services.members import Person
from emulator.emulator import BotApiEmulator
from emulator.world import Chat, User
from storage.models import BindRequest, Delivery
from storage.records import DeliveryStatus, MeetingRecord
from storage.repositories import ChatRepo, MemberRepo, OrganisationRepo
from storage.repositories.binding import PENDING
from storage.repositories.faq import FaqQuestionRepo
from storage.repositories.meetings import MeetingRepo
from storage.repositories.minutes import MinutesRepo
from storage.schema import Base
from tests.e2e.harness import ModuleEnv, RunningBot

ORG, PARENT, OTHER = "第一党支部", "城关镇党委", "第二党支部"
MEETING = "支委会 2026-12-05 15:00 党员活动室"
SERIES = "支委会 每月第一个周五 15:00 党员活动室"
UNSENT = (DeliveryStatus.PENDING.value, DeliveryStatus.SENDING.value)
# The methods whose text (or caption) is something the bot said.
SAYING = {
    "sendMessage": "text",
    "editMessageText": "text",
    "answerCallbackQuery": "text",
    "sendDocument": "caption",
    "sendPhoto": "caption",
}


class Caller(StrEnum):
    """Who tries a manager's command in the organisation's group."""

    MEMBER = "member"  # a plain member of the organisation
    STRANGER = "stranger"  # an admin of another organisation's group, member here
    PARENT = "parent"  # 书记 of the organisation above
    SUPERADMIN = "superadmin"


@dataclass
class World:
    """The organisation, its group, the people, and helpers to act and to look."""

    bot: RunningBot
    group: Chat
    secretary: User  # Telegram admin of the group
    target: User  # a plain member, the object of /role and /status
    callers: dict[Caller, User]
    org_id: int
    parent_id: int
    meeting_id: int = 0  # a meeting every case may change
    series_id: int = 0
    topic_id: int = 0
    entry_id: int = 0
    numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    undo: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    @property
    def emu(self) -> BotApiEmulator:
        """The emulator."""
        return self.bot.emulator

    def person(self, user: User) -> Person:
        """The plain values of a user, as services take them."""
        return Person(user.id, user.username, user.first_name)

    def in_group(self, user: User) -> Actor:
        """`user` acting in the organisation's group."""
        return Actor(self.person(user), Place(self.group.id, self.group.title, "group"))

    # -- acting ------------------------------------------------------------------------

    async def said(
        self, act: Callable[[], object], chat: Chat | User | None = None, *, answers: bool = True
    ) -> list[str]:
        """Do `act` (a user's action); everything the bot said because of it, in order (only
        in `chat` and to buttons, when given). When the bot `answers` (it should), its first
        words are awaited before it may fall quiet: between fetching an update and handling
        it the bot looks idle, and a short quiet alone could end the wait there."""
        start = len(self.emu.requests)
        act()
        if answers:
            with contextlib.suppress(TimeoutError):  # the caller sees that nothing was said
                await self.emu.wait_for(
                    lambda: any(r.method in SAYING for r in self.emu.requests[start:]),
                    what="the bot's answer",
                )
            await self.calm(quiet=0.005)  # busy until its handler is done; then a moment
        else:
            await self.calm()
        where = None if chat is None else str(self.emu.chat(chat).id)
        # A button's answer has no chat_id: it counts wherever the button was.
        return [
            str(request.params.get(SAYING[request.method]) or "")
            for request in self.emu.requests[start:]
            if request.method in SAYING
            and (where is None or str(request.params.get("chat_id", where)) == where)
        ]

    async def calm(self, quiet: float = 0.02) -> None:
        """Wait until the bot is idle and the outbox has sent everything due (kicked sweeps
        run after their transaction, so settling alone may come too early)."""
        due = (
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.status.in_(UNSENT), Delivery.due_at <= self.bot.clock.now())
        )
        # Bounded by wall time, not by a count of rounds: settling returns at once when the bot
        # is quiet, and on a loaded machine a woken sweep can take a second or more to start.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30.0
        while True:
            await self.emu.settle(quiet=quiet, timeout=max(1.0, deadline - loop.time()))
            async with self.bot.db() as session:
                if not await session.scalar(due):
                    return
            if loop.time() > deadline:
                raise TimeoutError("the outbox kept something due unsent")
            await asyncio.sleep(0.01)  # polling the database, not waiting for time to pass

    async def command(
        self,
        chat: Chat | User,
        user: User,
        text: str,
        reply_to: Any = None,
        *,
        answers: bool = True,
    ) -> list[str]:
        """`user` sends `text` in `chat`; what the bot said."""
        return await self.said(
            lambda: self.emu.send_text(chat, user, text, reply_to=reply_to), answers=answers
        )

    async def press(self, chat: Chat | User, user: User, message_id: int, data: str) -> list[str]:
        """`user` sends a callback with `data` under a message (a button, or a forged one)."""
        return await self.said(lambda: self.emu.forge_button(chat, user, message_id, data))

    async def document(
        self, chat: Chat | User, user: User, name: str, content: bytes, caption: str
    ) -> list[str]:
        """`user` sends a file with a caption."""
        return await self.said(
            lambda: self.emu.send_document(chat, user, name, content, caption=caption)
        )

    def caller_of(self, user: User) -> Caller | None:
        """Which caller a user is (None for the secretary and the others)."""
        return next((caller for caller, who in self.callers.items() if who is user), None)

    def last_bot_message(self, chat: Chat | User) -> dict[str, Any]:
        """The bot's newest message in a chat."""
        messages: list[dict[str, Any]] = self.emu.bot_messages(chat)
        return messages[-1]

    # -- arranging (as the secretary, through the services) ------------------------------

    async def new_meeting(self, text: str = MEETING) -> MeetingRecord | Any:
        """A meeting (or series) announced by the secretary; its notice is out."""
        done = await self.bot.runtime.services.meetings.announce(
            self.in_group(self.secretary), text
        )
        await self.calm()
        return done

    async def past_meeting(self, content: str = "") -> int:
        """A meeting of the organisation two days ago (its check-in closed), stored directly;
        with `content`, its record is drafted with that 会议内容."""
        now = self.bot.clock.now()
        async with self.bot.db() as session:
            chat = await ChatRepo(session).get(self.group.id)
            assert chat is not None
            meeting = await MeetingRepo(session).create(
                now=now,
                organisation_id=self.org_id,
                chat_id=chat.id,
                kind=MeetingType.COMMITTEE,
                starts_at=now - timedelta(days=2),
                organiser_id=self.secretary.id,
            )
            if content:
                repo = MinutesRepo(session)
                record = await repo.start(meeting.id, now)
                assert record is not None
                await repo.set_part(record.id, Part.CONTENT, content, now)
        return meeting.id

    async def new_topic(self) -> int:
        """A planned study topic of the organisation."""
        values = {
            "title": f"学习党章{next(self.numbers)}",
            "publish_at": "2026-12-04 09:00",
            "summary": "学习党章总纲。",
            "questions": ["党员有哪些义务？", "如何发挥先锋模范作用？"],
            "deadline": "发布后7天",
        }
        study = self.bot.runtime.services.study
        topic = await study.add(self.in_group(self.secretary), self.org_id, values)
        return topic.id

    async def new_entry(self) -> int:
        """An entry of the organisation's own FAQ."""
        n = next(self.numbers)
        text = EntryText(
            question=f"支部活动室{n}号什么时候开放？",
            phrasings=(f"活动室{n}开放时间", f"{n}号活动室几点开门", f"{n}号活动室开放吗"),
            keywords=("活动室", "开放"),
            answer="每周一至周五9:00-17:00开放。",
            source="本支部委员会决定",
        )
        faq = self.bot.runtime.services.faq
        stored = await faq.save(self.in_group(self.secretary), self.org_id, text, None)
        return stored.id

    async def new_pending_question(self) -> int:
        """A question the bot could not answer, kept for the organisation's managers."""
        asker = self.callers[Caller.MEMBER]
        question = f"第{next(self.numbers)}号文件怎么理解？"
        now = self.bot.clock.now()
        async with self.bot.db() as session:
            chat = await ChatRepo(session).get(self.group.id)
            repo = FaqQuestionRepo(session)
            await repo.record(
                organisation_id=self.org_id,
                chat_id=chat.id if chat else None,
                user_id=asker.id,
                asker_name=asker.first_name,
                question=question,
                now=now,
            )
            pending = await repo.pending_of(self.org_id, 1000)
        return next(q.id for q in pending if q.question == question)

    async def fresh_group(self, member: User) -> Chat:
        """A group the bot administers, not bound, where `member` is a plain member."""
        n = next(self.numbers)
        admin = self.emu.add_user(f"新群管理员{n}")
        group = self.emu.add_group(f"新群{n}", members=[member], admins=[admin], bot_admin=True)
        for person in (admin, member):  # the bot learns the group and who is in it
            self.emu.send_text(group, person, "大家好")
        await self.calm()
        return group

    async def notice_of(self, meeting_id: int) -> int:
        """The message id of a meeting's notice in the group."""
        async with self.bot.db() as session:
            meeting = await MeetingRepo(session).get(meeting_id)
        assert meeting is not None
        assert meeting.notice_message_id is not None
        return meeting.notice_message_id

    async def pending_bind_request(self) -> int:
        """The newest bind request waiting for a decision."""
        query = select(func.max(BindRequest.id)).where(BindRequest.status == PENDING)
        async with self.bot.db() as session:
            number = await session.scalar(query)
        assert number is not None
        return int(number)

    # -- looking -----------------------------------------------------------------------

    async def snapshot(self) -> dict[str, list[tuple[str, ...]]]:
        """Every row of every table: what "nothing changed" compares."""
        tables: dict[str, list[tuple[str, ...]]] = {}
        async with self.bot.db() as session:
            for table in Base.metadata.sorted_tables:
                rows = (await session.execute(select(table))).all()
                tables[table.name] = sorted(tuple(map(repr, row)) for row in rows)
        return tables

    async def role_and_status(self, user: User) -> tuple[Role, MemberStatus]:
        """The post and standing of a member of the organisation."""
        async with self.bot.db() as session:
            member = await MemberRepo(session).get(self.org_id, user.id)
        assert member is not None
        return member.role, member.status

    async def set_member(self, user: User, role: Role, status: MemberStatus) -> None:
        """Put a member's post and standing back."""
        async with self.bot.db() as session:
            await MemberRepo(session).set_role(self.org_id, user.id, role)
            await MemberRepo(session).set_status(self.org_id, user.id, status)

    async def bind(self, chat: Chat, org_id: int | None) -> None:
        """Bind (or, with None, unbind) a group directly in the database."""
        async with self.bot.db() as session:
            await ChatRepo(session).bind(chat.id, org_id, self.bot.clock.now())

    async def set_parent(self, org_id: int, parent_id: int) -> None:
        """Place an organisation directly in the database."""
        async with self.bot.db() as session:
            await OrganisationRepo(session).set_parent(org_id, parent_id)


async def build_world(env: ModuleEnv) -> World:
    """Start the bot with a superadmin and build the county (a few seconds, once a module)."""
    emu = env.emulator
    county = emu.add_user("县委组织部")
    bot = await env.start(superadmin_ids=str(county.id))
    assert bot.application.job_queue is not None
    for job in bot.application.job_queue.jobs():  # only what a case does changes the database
        job.enabled = False
    secretary, member = emu.add_user("支部书记"), emu.add_user("普通党员")
    stranger, parent = emu.add_user("二支部管理员"), emu.add_user("县委书记")
    target, parent_admin = emu.add_user("王五"), emu.add_user("县委群管理员")
    people = [county, secretary, member, stranger, parent, target, parent_admin]
    for person in people:
        emu.start_private_chat(person)
    await emu.settle()
    parents_group = await bot.bound_group("县委群", PARENT, parent_admin, [parent])
    others = [member, stranger, parent, target, county]
    group = await bot.bound_group("一支部群", ORG, secretary, others)
    await bot.bound_group("二支部群", OTHER, stranger)
    assert "下级组织" in await bot.say(group, county, f"/org_parent {PARENT}")
    spoke = emu.send_text(parents_group, parent, "到")
    assert "书记" in await bot.say(parents_group, parent_admin, "/role 书记", reply_to=spoke)
    for person in (member, stranger, parent, target):
        emu.send_text(group, person, "到")
    await emu.settle()
    async with bot.db() as session:
        orgs = OrganisationRepo(session)
        org, above = await orgs.by_name(ORG), await orgs.by_name(PARENT)
    assert org is not None
    assert above is not None
    callers = {
        Caller.MEMBER: member,
        Caller.STRANGER: stranger,
        Caller.PARENT: parent,
        Caller.SUPERADMIN: county,
    }
    world = World(bot, group, secretary, target, callers, org.id, above.id)
    world.meeting_id = (await world.new_meeting()).id
    world.series_id = (await world.new_meeting(SERIES)).series.id
    world.topic_id = await world.new_topic()
    world.entry_id = await world.new_entry()
    return world
