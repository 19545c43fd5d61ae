"""Who people are and what they may do: /start, /name, /help, /role and /status."""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands import Who
from bot.core.domain import MemberStatus, Role
from bot.core.errors import InvalidInput
from bot.services import members
from bot.services.access import Actor
from bot.services.base import Service, retried
from bot.services.members import Person, Profile


@dataclass(frozen=True, slots=True)
class Assigned:
    """A post or standing set: whose, and its label."""

    name: str
    label: str


class PeopleService(Service):
    """People's own records, and managers setting posts and standings."""

    @retried
    async def start(self, person: Person) -> Profile:
        """/start privately: the bot may message the person from now on."""
        async with self.database.transaction() as session:
            return await members.open_private_chat(session, person, self.now())

    @retried
    async def set_name(self, person: Person, text: str) -> str:
        """Record the caller's real name; return it as stored."""
        async with self.database.transaction() as session:
            return await members.set_real_name(session, person, text, self.now())

    @retried
    async def level(self, actor: Actor) -> Who:
        """What the caller may do here (for /help)."""
        async with self.database.transaction() as session:
            return (await self.access.anyone(session, actor, self.now())).level

    @retried
    async def assign(
        self, actor: Actor, target: Person | None, field: type[Role | MemberStatus], text: str
    ) -> Assigned:
        """A manager sets the post (Role) or standing (MemberStatus) of the person they
        replied to (`target`), from its Chinese label."""
        now = self.now()
        async with self.database.transaction() as session:
            access = await self.access.manager(session, actor, now)
            value = field.from_label(text)
            if value is None:
                usage = "role_usage" if field is Role else "status_usage"
                raise InvalidInput(code=usage, choices=field.labels())
            if target is None:
                raise InvalidInput(code="reply_to_a_person")
            if isinstance(value, Role):
                member = await members.assign(session, access.group, target, now, role=value)
            else:
                member = await members.assign(session, access.group, target, now, status=value)
        return Assigned(member.user.name, value.label)
