"""Meeting records as managers use them: /record, replies to a draft, and 完成.

Only managers of the meeting's organisation (its 书记, 副书记, 委员, a post above, the
meeting group's Telegram admins, superadmins) read or write a record: it names who was on
leave and why.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import Who
from bot.core.errors import InvalidInput, NotBound, NotManager
from bot.core.meeting_args import parse_number
from bot.core.meetings import CHECKIN_CLOSES_AFTER
from bot.core.minutes import read_reply
from bot.services import meeting_plan, minutes
from bot.services.access import Actor
from bot.services.base import ZonedService, retried
from bot.services.meetings import get_meeting, meeting_of_chat
from bot.services.minutes import Added
from bot.services.minutes_render import render_docx, render_text
from bot.texts import minutes as texts
from storage.records import MeetingRecord, MinutesRecord
from storage.repositories import ChatRepo, UserRepo
from storage.repositories.minutes import MinutesRepo


@dataclass(frozen=True, slots=True)
class Shown:
    """/record: the record as a message and as a .docx, and whether the caller can be
    messaged privately (a group gets neither: the record names people and reasons)."""

    meeting_id: int
    done: bool
    text: str
    document: bytes
    filename: str
    caption: str
    can_dm: bool


class MinutesService(ZonedService):
    """The record commands, replies and button."""

    async def _meeting(
        self, session: AsyncSession, actor: Actor, meeting_id: int, now: datetime
    ) -> MeetingRecord:
        """The meeting, if the caller manages its organisation (in a group: the group's)."""
        meeting = await get_meeting(session, meeting_id)
        if actor.place.is_group:
            found = await self.access.here(session, actor, now)
            if found.organisation is None:
                raise NotBound
            meeting = await meeting_of_chat(session, meeting_id, found.group)
        chat = await ChatRepo(session).get(meeting.chat_telegram_id)
        if await self.access.level_in(session, actor.user_id, chat) is Who.EVERYONE:
            raise NotManager(texts.ONLY_MANAGERS)
        minutes.check_recordable(meeting, now)
        return meeting

    @retried
    async def show(self, actor: Actor, args: str) -> Shown:
        """/record <编号>: the newest version, drafted now if the meeting ended without one."""
        if not args:
            raise InvalidInput(texts.RECORD_USAGE)
        number, now = parse_number(args.split()[0]), self.now()
        async with self.database.transaction() as session:
            meeting = await self._meeting(session, actor, number, now)
            record = await minutes.ensure_draft(session, meeting, now)
            shown = await minutes.view(session, meeting, record, self.tz)
            caller = await UserRepo(session).get(actor.user_id)
        # python-docx is pure Python: build off the event loop, other chats go on.
        document = await asyncio.to_thread(render_docx, shown)
        return Shown(
            meeting_id=number,
            done=record.done,
            text=render_text(shown, how_to_reply=not record.done),
            document=document,
            filename=texts.DOCX_NAME.format(id=number, version=record.version),
            caption=texts.DOCX_CAPTION.format(title=shown.title, status=shown.status_label),
            can_dm=caller is not None and caller.can_dm,
        )

    @retried
    async def plan_drafts(self) -> int:
        """Make sure every meeting still to end has its record planned (meetings announced
        before records existed, or whose row was lost); how many were added."""
        now = self.now()
        async with self.database.transaction() as session:
            added = 0
            ending = await MinutesRepo(session).ending_after(now - CHECKIN_CLOSES_AFTER)
            for meeting_id, version, chat, start in ending:
                added += await meeting_plan.plan_record(
                    session, meeting_id, version, chat, start, now
                )
            return added

    @retried
    async def add(self, actor: Actor, meeting_id: int, text: str) -> Added:
        """A manager's reply to a draft: 内容 / 决议 / 记录人, added to the newest version."""
        now = self.now()
        async with self.database.transaction() as session:
            meeting = await self._meeting(session, actor, meeting_id, now)
            return await minutes.add(session, meeting, read_reply(text), now)

    @retried
    async def complete(self, actor: Actor, meeting_id: int) -> MinutesRecord | None:
        """完成: close the newest version; None when it was complete already."""
        now = self.now()
        async with self.database.transaction() as session:
            meeting = await self._meeting(session, actor, meeting_id, now)
            return await minutes.complete(session, meeting, actor.user_id, now)
