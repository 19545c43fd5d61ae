"""设岗定责 as people use it: managers set up posts and give them to members (/post), anyone
in the group reads the board (/posts), members report their own duties (/duty), and the
monthly reminder is planned.

Posts are changed only by the managers of the group's organisation (AccessService.manager);
a report is always the caller's own, for a post they hold in that organisation; nothing is
read across organisations (the dashboard's board asks AccessService.visible).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.checkup import PeriodKind, period_of
from bot.core.errors import InvalidInput, NotFound, NotYourOrganisation, PermissionDenied
from bot.core.periods import parse_period
from bot.core.posts import MAX_REPORT, clean_text, pick_post
from bot.services import posts
from bot.services.access import Actor
from bot.services.base import retried
from bot.services.checkup_service import WarningDayService
from bot.services.members import Person
from bot.services.posts_manage import manage
from bot.texts import posts as texts
from storage.records import PostRecord
from storage.repositories import MemberRepo, OrganisationRepo
from storage.repositories.floating import FloatingRepo
from storage.repositories.posts import PostRepo


@dataclass(frozen=True, slots=True)
class Reported:
    """A duty report stored: its id, when, the post it went to (None: the member picks from
    `choices`, (post id, name) pairs)."""

    report_id: int
    when: str
    post: str | None
    text: str
    photo: bool
    choices: tuple[tuple[int, str], ...] = ()


class PostService(WarningDayService):
    """The /post, /posts and /duty commands, the post buttons and the reminder plan."""

    @retried
    async def post(self, actor: Actor, args: str, target: Person | None) -> str:
        """`/post add|remove|assign|unassign …` by a manager of the group's organisation;
        the reply (usage for no verb)."""
        now = self.now()
        async with self.database.transaction() as session:
            access = await self.access.manager(session, actor, now)
            return await manage(session, access, clean_text(args), target, now)

    @retried
    async def board(self, actor: Actor) -> posts.Board:
        """/posts: the group's organisation's posts, holders and reports this month."""
        at = self.moment()
        async with self.database.transaction() as session:
            org = (await self.access.bound_group(session, actor, at.now)).org
            span = period_of(PeriodKind.MONTH, at.today).bounds(self.tz)
            return await posts.board(session, org.id, org.name, span, posts.month_label(at))

    @retried
    async def report(self, actor: Actor, text: str, photo_file_id: str | None) -> Reported:
        """/duty …: the caller's own report, in the group's organisation (privately: the one
        where they hold posts)."""
        text, now = clean_text(text), self.now()
        if not text:
            raise InvalidInput(texts.DUTY_USAGE)
        async with self.database.transaction() as session:
            held = await self._held(session, actor, now)
            name, body = pick_post(sorted(p.name for p in held), text)
            if not body:
                raise InvalidInput(texts.DUTY_USAGE)
            if len(body) > MAX_REPORT:
                raise InvalidInput(texts.DUTY_TOO_LONG.format(limit=MAX_REPORT, length=len(body)))
            post = next((p for p in held if p.name == name), None)
            org_id = held[0].organisation_id
            report_id = await PostRepo(session).add_report(
                org_id, post, actor.user_id, body, photo_file_id, now
            )
        return Reported(
            report_id,
            self._when(now),
            post.name if post else None,
            body,
            photo_file_id is not None,
            () if post else tuple((p.id, p.name) for p in held),
        )

    async def _held(self, session: AsyncSession, actor: Actor, now: datetime) -> list[PostRecord]:
        """The posts the caller holds where they report (refusals in Chinese)."""
        repo = PostRepo(session)
        if not actor.place.is_group:
            held = await repo.held_by(actor.user_id)
            orgs = {p.organisation_id for p in held}
            if not held:
                raise PermissionDenied(texts.DUTY_PRIVATE_NO_POST)
            if len(orgs) > 1:
                found = await OrganisationRepo(session).get_many(sorted(orgs))
                names = "、".join(o.name for o in found.values())
                raise InvalidInput(texts.DUTY_PRIVATE_SEVERAL.format(names=names))
            return held
        org = (await self.access.bound_group(session, actor, now)).org
        member = await MemberRepo(session).get(org.id, actor.user_id)
        active = member is not None and member.active
        held = await repo.of_holder(org.id, actor.user_id) if active else []
        # A member away (流动党员) reporting where they are now: it is their branch's post.
        held = held or await self._held_at_home(session, actor.user_id)
        if not held:
            raise PermissionDenied(texts.DUTY_NO_POST if active else texts.DUTY_NOT_MEMBER)
        return held

    async def _held_at_home(self, session: AsyncSession, user_id: int) -> list[PostRecord]:
        """The posts a member away holds in the branches they are away from."""
        held: list[PostRecord] = []
        for stay in await FloatingRepo(session).open_of_user(user_id):
            held += await PostRepo(session).of_holder(stay.org_id, user_id)
        if len({p.organisation_id for p in held}) > 1:
            found = await OrganisationRepo(session).get_many(
                sorted({p.organisation_id for p in held})
            )
            names = "、".join(o.name for o in found.values())
            raise InvalidInput(texts.DUTY_PRIVATE_SEVERAL.format(names=names))
        return held

    @retried
    async def pick(self, actor: Actor, report_id: int, post_id: int) -> str:
        """The reporter's button: attach their report to one of their posts."""
        async with self.database.transaction() as session:
            repo = PostRepo(session)
            report = await repo.report(report_id)
            if report is None or report.user.id != actor.user_id:
                raise PermissionDenied(texts.DUTY_NOT_YOURS)
            held = await repo.of_holder(report.organisation_id, actor.user_id)
            post = next((p for p in held if p.id == post_id), None)
            if post is None:
                raise NotFound(texts.DUTY_PICK_GONE)
            await repo.set_report_post(report_id, post)
        return texts.DUTY_PICKED.format(post=post.name)

    @retried
    async def plan_reminders(self) -> int:
        """Store this month's (if still ahead) and next month's reminder runs; how many new."""
        async with self.database.transaction() as session:
            return await posts.plan(session, self.moment(), self.days_before)

    @retried
    async def dashboard_board(self, user_id: int, org_id: int, period_text: str) -> posts.Board:
        """The board of an organisation the user manages, over a period (default 本月)."""
        now = self.now()
        period = parse_period(period_text or "本月", now.astimezone(self.tz).date())
        async with self.database.transaction() as session:
            seen = await self.access.visible(session, user_id)
            org = await OrganisationRepo(session).get(org_id)
            if org_id not in seen.managed or org is None:
                raise NotYourOrganisation
            span = period.bounds(self.tz)
            return await posts.board(session, org.id, org.name, span, period.label)

    def _when(self, moment: datetime) -> str:
        return moment.astimezone(self.tz).strftime("%m-%d %H:%M")
