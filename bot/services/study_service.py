"""Study topics as people use them: list, template, import, add, edit, delete, stats, study.

Managers act for the organisation of the group where they act (and, with 下级组织, all
below it); privately for the one they name or the only one they manage (access.acting).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import InvalidInput
from bot.core.study import check_field, validate_fields
from bot.core.study_files import (
    check_upload,
    example_topics,
    template_csv,
    template_xlsx,
    template_yaml,
)
from bot.services import members, study
from bot.services.access import Access, Actor
from bot.services.base import ZonedService, retried
from bot.services.chats import seen_chat
from bot.services.members import Person
from bot.services.study_stats import StudyStats, topic_stats
from bot.texts import study as texts
from storage.records import OrganisationRecord, TopicRecord
from storage.repositories.study import StudyRepo

IMPORT_WORDS = ("import", "导入")
ADD_WORDS = ("add", "添加")


@dataclass(frozen=True, slots=True)
class Planned:
    """Topics of an organisation: listed, or just imported."""

    organisation: OrganisationRecord
    topics: list[TopicRecord]


@dataclass(frozen=True, slots=True)
class Template:
    """A filled-in plan file."""

    kind: str
    filename: str
    content: bytes


def _is_number(text: str) -> bool:
    """A topic's 编号: up to nine digits (PostgreSQL's integer ends at 2147483647), decimal
    ones ("²" is a digit to str.isdigit, not to int)."""
    return text.isdecimal() and len(text) <= 9


def _number(text: str) -> int:
    if not _is_number(text):
        raise InvalidInput(texts.BAD_NUMBER)
    return int(text)


def after_verb(args: str, words: tuple[str, ...]) -> str:
    """`import 城关镇党委` -> `城关镇党委` (the organisation named after the verb)."""
    verb, _, rest = args.partition(" ")
    return rest.strip() if verb in words else args.strip()


class StudyService(ZonedService):
    """The /study commands, the guided /study add, and members' taps and quiz answers."""

    @retried
    async def upcoming(self, actor: Actor, name: str) -> Planned:
        """Planned topics, soonest first, for anyone: in a group its organisation's;
        privately the organisation the caller belongs to (or, for managers, names)."""
        now = self.now()
        async with self.database.transaction() as session:
            if actor.place.is_group:
                org = (await self.access.bound_group(session, actor, now)).org
            elif name or not (own := await members.memberships(session, actor.user_id)):
                org = (await self.access.acting(session, actor, now, name, "/study")).org
            else:
                org = own[0][1]  # the first organisation they joined
            return Planned(org, await study.upcoming(session, org.id))

    def templates(self) -> list[Template]:
        """The three filled-in templates (YAML, CSV, Excel)."""
        topics = example_topics(self.now(), self.tz)
        return [
            Template("YAML", "学习计划模板.yaml", template_yaml(topics)),
            Template("CSV", "学习计划模板.csv", template_csv(topics)),
            Template("Excel", "学习计划模板.xlsx", template_xlsx(topics)),
        ]

    @retried
    async def import_plan(
        self,
        actor: Actor,
        args: str,
        file: tuple[str, int | None],
        download: Callable[[], Awaitable[bytes]],
    ) -> Planned:
        """A plan file (name, size) with the caption `/study import [组织]`: imported whole or
        not at all. It is fetched (`download`) only once the caller is known to manage, and
        only when it is small enough (Telegram states the size)."""
        now = self.now()
        async with self.database.transaction() as session:
            name = after_verb(args, IMPORT_WORDS)
            org = (await self.access.acting(session, actor, now, name, "/study")).org
        filename, size = file
        check_upload(filename, b"", size=size)
        content = await download()  # no transaction open meanwhile
        async with self.database.transaction() as session:
            topics = await study.import_plan(
                session, org.id, actor.user_id, (filename, content), now, self.tz
            )
        return Planned(org, topics)

    @retried
    async def edit(self, actor: Actor, args: str) -> TopicRecord:
        """`/study edit <编号> <字段> <新内容>`: change a topic that is not published yet."""
        number, field, value = [*args.split(maxsplit=2), "", "", ""][:3]
        if not number or not field or not value:
            raise InvalidInput(texts.EDIT_USAGE)
        topic_id, now = _number(number), self.now()
        async with self.database.transaction() as session:
            await self._may_change(session, actor, topic_id, now)
            return await study.edit_topic(session, topic_id, None, (field, value), now, self.tz)

    @retried
    async def delete(self, actor: Actor, args: str) -> TopicRecord:
        """`/study delete <编号>`: drop a topic that is not published yet."""
        if not args:
            raise InvalidInput(texts.DELETE_USAGE)
        topic_id, now = _number(args.split()[0]), self.now()
        async with self.database.transaction() as session:
            await self._may_change(session, actor, topic_id, now)
            return await study.delete_topic(session, topic_id, None, now)

    async def _may_change(
        self, session: AsyncSession, actor: Actor, topic_id: int, now: datetime
    ) -> None:
        topic = await StudyRepo(session).get(topic_id)
        if topic is not None:
            await self.access.manager_of(session, actor, topic.organisation_id, now)

    @retried
    async def stats(self, actor: Actor, args: str) -> StudyStats:
        """`/study_stats [编号] [组织]`: per member and per organisation below."""
        words = args.split(maxsplit=1)
        topic_id = int(words[0]) if words and _is_number(words[0]) else None
        name = " ".join(words[1:] if topic_id is not None else words)
        async with self.database.transaction() as session:
            found = await self.access.acting(session, actor, self.now(), name, "/study_stats")
            return await topic_stats(session, found.org.id, topic_id)

    @retried
    async def start_adding(self, actor: Actor, args: str) -> Access:
        """`/study add [组织]`: the organisation the guided flow will add to."""
        async with self.database.transaction() as session:
            return await self.access.acting(
                session, actor, self.now(), after_verb(args, ADD_WORDS), "/study"
            )

    def field_value(self, key: str, text: str) -> Any:
        """One typed answer of the guided flow, read and checked at once."""
        now = self.now()
        value = study.typed_value(key, text, now, self.tz)
        check_field(key, value, now, self.tz)
        return value

    @retried
    async def add(self, actor: Actor, org_id: int, values: dict[str, Any]) -> TopicRecord:
        """The finished draft: checked whole, then added (the caller still manages)."""
        now = self.now()
        validate_fields(values, now, self.tz)  # the cross-field rules, before writing
        async with self.database.transaction() as session:
            await self.access.manager_of(session, actor, org_id, now)
            return await study.add_topic(session, org_id, actor.user_id, values, now, self.tz)

    @retried
    async def studied(self, actor: Actor, topic_id: int, *, makeup: bool) -> study.Recorded:
        """已学习 in a group, or 已补学 privately: recorded once, with the time."""
        now, place = self.now(), actor.place
        async with self.database.transaction() as session:
            if place.is_group:
                # A tap in the group shows the person belongs there (the roster is by presence).
                chat = await seen_chat(session, place.chat_id, place.title, place.type, now)
                await members.record_presence(session, chat, actor.person, now)
            return await study.record_study(session, topic_id, actor.person, now, makeup=makeup)

    @retried
    async def quiz_answer(self, person: Person, poll_id: str, option_ids: list[int]) -> None:
        """A member answered a quiz poll: the first answer per question counts."""
        async with self.database.transaction() as session:
            await study.record_quiz_answer(session, poll_id, person, option_ids, self.now())

    @retried
    async def sweep_makeups(self) -> int:
        """Make-up material for leaves from 主题党日 answered after their topic went out."""
        async with self.database.transaction() as session:
            return await study.sweep_makeups(session, self.now(), self.tz)
