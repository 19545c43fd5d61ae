"""Campaigns as people use them: /campaign (list, add, rule), /award, /rank and /stars.

Everything is done in the group of an organisation: managers change its campaigns, awards
and ratings (access.manager); anyone in the group sees its leaderboard. Nothing reaches
across: a branch's group sees its own members, a parent's group its branches.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.campaigns import DEFAULT_RULES, parse_add, parse_award, parse_rule, window
from bot.core.errors import InvalidInput
from bot.core.sandbox import BudgetExceeded, run_isolated
from bot.core.stars import parse_edit
from bot.services import campaign_messages, stars
from bot.services.access import Access, Actor
from bot.services.base import ZonedService, retried
from bot.services.campaign_build import RANK_BUDGET, rank_text
from bot.services.campaign_render import render_added, render_list, render_rank, rules_text
from bot.services.campaigns import covering, own_campaign, pick, tally
from bot.services.members import Person
from bot.texts import campaigns as texts
from storage.repositories import ChatRepo, DeliveryRepo, MemberRepo, OrganisationRepo
from storage.repositories.campaigns import AwardRepo, CampaignRepo, StarRepo

# Up to this many organisations (itself included), /rank is computed in a thread; above, in a
# child process, whose start (~0.3 s) is small next to the points of a township or a county.
FEW_BELOW = 30
ADD_WORDS, RULE_WORDS = ("add", "新建", "添加"), ("rule", "规则")
SET_WORDS, PUBLISH_WORDS = ("set", "修改"), ("publish", "发布")


class CampaignService(ZonedService):
    """Campaigns, awards, leaderboards and 五星党员 ratings of an organisation."""

    @retried
    async def campaign(self, actor: Actor, args: str) -> str:
        """`/campaign` lists; `/campaign add …` creates; `/campaign rule …` changes a rule."""
        verb, _, rest = args.partition(" ")
        async with self.database.transaction() as session:
            found = await self.access.manager(session, actor, self.now())
            if verb in ADD_WORDS:
                return await self._add(session, found, rest)
            if verb in RULE_WORDS:
                return await self._rule(session, found, rest)
            if args:
                raise InvalidInput(texts.USAGE)
            campaigns = await covering(session, found.org.id)
        return render_list(found.org.name, campaigns, self.now(), self.tz)

    async def _add(self, session: AsyncSession, found: Access, args: str) -> str:
        now = self.now()
        spec = parse_add(args, now.astimezone(self.tz).date())
        repo = CampaignRepo(session)
        if await repo.by_name(found.org.id, spec.name) is not None:
            raise InvalidInput(code="campaign_duplicate", name=spec.name)
        campaign = await repo.create(
            organisation_id=found.org.id,
            name=spec.name,
            window=window(spec.start, spec.days, self.tz),
            subtree=spec.subtree,
            rules=DEFAULT_RULES,
            created_by=found.actor.user_id,
            now=now,
        )
        await campaign_messages.plan(session, campaign, now)
        return render_added(campaign, self.tz)

    async def _rule(self, session: AsyncSession, found: Access, args: str) -> str:
        name, fact, points = parse_rule(args)
        campaign = await own_campaign(session, found.org, name)
        if campaign.started(self.now()):
            raise InvalidInput(code="campaign_started", name=name)
        changed = await CampaignRepo(session).set_rules(
            campaign.id, campaign.rules.with_points(fact, points)
        )
        return texts.RULE_DONE.format(name=name, rules=rules_text(changed.rules))

    @retried
    async def award(self, actor: Actor, target: Person | None, args: str) -> str:
        """`/award <分数> <理由>` as a reply: a recorded fact of who, how much, why, when."""
        now = self.now()
        async with self.database.transaction() as session:
            org = (await self.access.manager(session, actor, now)).org
            points, reason = parse_award(args)
            if target is None:
                raise InvalidInput(code="award_no_target")
            member = await MemberRepo(session).get(org.id, target.id)
            if member is None or not member.active:
                raise InvalidInput(code="award_not_member", name=target.display_name)
            await AwardRepo(session).add(
                organisation_id=org.id,
                user_id=target.id,
                points=points,
                reason=reason,
                awarded_by=actor.user_id,
                now=now,
            )
        return texts.AWARD_DONE.format(
            name=member.user.name, points=points, reason=reason, org=org.name
        )

    @retried
    async def rank(self, actor: Actor, args: str) -> str:
        """`/rank [活动名称]`: the group's leaderboard, for anyone in it."""
        now = self.now()
        async with self.database.transaction() as session:
            org = (await self.access.bound_group(session, actor, now)).org
            campaign = await pick(session, org.id, args.strip(), now)
            below = len(await OrganisationRepo(session).descendant_ids(org.id))
        if below <= FEW_BELOW:  # a branch's board: a few milliseconds in a thread

            async def board(session: AsyncSession) -> str:
                counted = await tally(session, campaign, now, org.id)
                return render_rank(counted, org.id, now, self.tz)

            return await self.database.read_apart(board)
        # Many organisations' points: a second of CPU, in a child process (campaign_build).
        url, tz = self.database.url, self.tz.key
        try:
            return await run_isolated(
                rank_text, url, campaign, org.id, now, tz, budget=RANK_BUDGET
            )
        except BudgetExceeded:
            raise InvalidInput(texts.RANK_FAILED) from None

    @retried
    async def stars(self, actor: Actor, target: Person | None, args: str) -> str:
        """`/stars <期间>` drafts; `/stars set …` edits; `/stars publish <期间>` publishes."""
        verb, _, rest = args.partition(" ")
        async with self.database.transaction() as session:
            found = await self.access.manager(session, actor, self.now())
            if verb in SET_WORDS:
                return await self._set_stars(session, found, target, rest.split())
            if verb in PUBLISH_WORDS:
                return await self._publish(session, found, rest.strip())
            if not args or len(args.split()) != 1:
                raise InvalidInput(code="stars_usage")
            period = await stars.period_of(session, found.org, args, self.now(), self.tz)
            rated = await stars.ratings(session, found.org.id, period, self.now(), self.tz)
        return stars.render_ratings(found.org.name, period, rated, self.now(), published=False)

    async def _set_stars(
        self, session: AsyncSession, found: Access, target: Person | None, words: list[str]
    ) -> str:
        if len(words) < 3:
            raise InvalidInput(code="stars_set_usage")
        now, org = self.now(), found.org
        period = await stars.period_of(session, org, words[0], now, self.tz)
        name, dimension, value = parse_edit(words[1:])
        user_id = await self._member_id(session, org.id, name, target)
        key = (org.id, period.key, user_id)
        await StarRepo(session).set(key, dimension, value, found.actor.user_id, now)
        rated = await stars.ratings(session, org.id, period, now, self.tz)
        rating = next(r for r in rated if r.user_id == user_id)
        return texts.STARS_SET.format(
            name=rating.name, dimension=dimension.label, stars=value, overall=rating.overall
        )

    async def _member_id(
        self, session: AsyncSession, org_id: int, name: str, target: Person | None
    ) -> int:
        """The member named (or, without a name, the one replied to)."""
        roster = await stars.roster_of(session, org_id)
        if not name and target is not None:
            if not any(m.user_id == target.id for m in roster):
                raise InvalidInput(code="stars_not_member", name=target.display_name)
            return target.id
        if not name:
            raise InvalidInput(code="stars_set_usage")
        named = [m.user_id for m in roster if m.name == name]
        if len(named) > 1:
            raise InvalidInput(code="stars_ambiguous_member", name=name)
        if not named:
            raise InvalidInput(code="stars_unknown_member", name=name)
        return named[0]

    async def _publish(self, session: AsyncSession, found: Access, word: str) -> str:
        if not word or len(word.split()) != 1:
            raise InvalidInput(code="stars_usage")
        now, org = self.now(), found.org
        period = await stars.period_of(session, org, word, now, self.tz)
        rated = await stars.ratings(session, org.id, period, now, self.tz)
        text = stars.render_ratings(org.name, period, rated, now, published=True)
        chats = await ChatRepo(session).for_organisations([org.id])
        if not chats:
            raise InvalidInput(texts.STARS_NO_GROUP)
        number = await StarRepo(session).publish(
            org.id, period.key, text, found.actor.user_id, now
        )
        for chat in chats:
            await DeliveryRepo(session).enqueue(
                key=f"stars:{number}:{chat.id}",
                kind=campaign_messages.STARS,
                chat_id=chat.telegram_id,
                due_at=now,
                now=now,
                payload={"publication": number},
            )
        return texts.STARS_PUBLISHED_DONE.format(period=period.label, count=len(chats))

    @retried
    async def plan_posts(self) -> int:
        """Store the weekly and summary runs of every campaign not over yet."""
        async with self.database.transaction() as session:
            return await campaign_messages.plan_all(session, self.now())
