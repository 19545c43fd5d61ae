"""Campaign texts: the rules, the list, leaderboards, the weekly post and the summary."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.campaigns import Campaign, Rules
from bot.core.leaderboard import Ranked
from bot.services.campaigns import Tally
from bot.texts import campaigns as texts

BOARD_LINES = 20  # a leaderboard in a group stays short
TOP_MEMBERS = 10
TOP_ORGS = 5


def day(moment: datetime, tz: ZoneInfo) -> str:
    """A date as users read it: 2026-12-01."""
    return moment.astimezone(tz).strftime("%Y-%m-%d")


def minute(moment: datetime, tz: ZoneInfo) -> str:
    """A moment as users read it: 2026-12-08 09:00."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def last_day(campaign: Campaign, tz: ZoneInfo) -> str:
    """The campaign's last day (its end is the midnight after it)."""
    return day(campaign.ends_at - timedelta(seconds=1), tz)


def rules_text(rules: Rules) -> str:
    """签到3分/次，学习2分/个主题，…"""
    return texts.RULES.format(
        checkin=rules.checkin, study=rules.study, quiz=rules.quiz, duty=rules.duty
    )


def scope_text(campaign: Campaign) -> str:
    """本组织, or 本组织及下级组织."""
    return texts.SCOPE_SUBTREE if campaign.subtree else texts.SCOPE_OWN


def render_added(campaign: Campaign, tz: ZoneInfo) -> str:
    """What /campaign add answers."""
    days = (campaign.ends_at - campaign.starts_at).days
    return texts.ADDED.format(
        name=campaign.name,
        scope=scope_text(campaign),
        start=day(campaign.starts_at, tz),
        last=last_day(campaign, tz),
        days=days,
        rules=rules_text(campaign.rules),
    )


def _state(campaign: Campaign, now: datetime) -> str:
    if campaign.ended(now):
        return texts.STATE_ENDED
    return texts.STATE_RUNNING if campaign.started(now) else texts.STATE_AHEAD


def render_list(org: str, campaigns: list[Campaign], now: datetime, tz: ZoneInfo) -> str:
    """What /campaign answers: each campaign covering the organisation, with its rules."""
    if not campaigns:
        return texts.LIST_NONE
    lines = [
        texts.LIST_LINE.format(
            name=c.name,
            scope=scope_text(c),
            start=day(c.starts_at, tz),
            last=last_day(c, tz),
            state=_state(c, now),
            rules=rules_text(c.rules),
        )
        for c in campaigns
    ]
    return "\n".join([texts.LIST_HEADER.format(org=org), *lines])


def _members(ranked: list[Ranked], most: int) -> list[str]:
    if not ranked:
        return [texts.RANK_EMPTY]
    lines = [
        texts.RANK_MEMBER.format(place=r.place, name=r.name, points=int(r.points))
        for r in ranked[:most]
    ]
    if len(ranked) > most:
        lines.append(texts.RANK_MORE.format(count=len(ranked)))
    return lines


def _orgs(ranked: list[Ranked], most: int) -> list[str]:
    return [
        texts.RANK_ORG.format(place=r.place, name=r.name, points=r.points, members=r.members)
        for r in ranked[:most]
    ]


def board_lines(tally: Tally, org_id: int) -> list[str]:
    """The organisation's leaderboard: the organisations below it by average points when it
    has some in the campaign, else its members."""
    below = tally.branches(org_id)
    if below:
        return [texts.RANK_ORGS_TITLE, *_orgs(below, BOARD_LINES)]
    return [texts.RANK_MEMBERS_TITLE, *_members(tally.members(org_id), BOARD_LINES)]


def render_rank(tally: Tally, org_id: int, now: datetime, tz: ZoneInfo) -> str:
    """What /rank answers."""
    campaign = tally.campaign
    when = (
        texts.STATE_AHEAD
        if not campaign.started(now)
        else texts.WHEN_SO_FAR.format(when=minute(tally.until, tz))
    )
    header = texts.RANK_HEADER.format(name=campaign.name, when=when)
    return "\n".join([header, *board_lines(tally, org_id)])


def render_week(tally: Tally, org_id: int, week: int, tz: ZoneInfo) -> str:
    """The weekly post in a group of the campaign."""
    header = texts.WEEK_HEADER.format(
        name=tally.campaign.name, week=week, when=minute(tally.until, tz)
    )
    return "\n".join([header, *board_lines(tally, org_id)])


def render_summary(tally: Tally, tz: ZoneInfo) -> str:
    """The end-of-campaign summary: the top members and (with organisations below) the top
    organisations."""
    campaign = tally.campaign
    lines = [
        texts.SUMMARY_HEADER.format(
            name=campaign.name, start=day(campaign.starts_at, tz), last=last_day(campaign, tz)
        ),
        texts.SUMMARY_RULES.format(rules=rules_text(campaign.rules)),
        texts.TOP_MEMBERS.format(count=TOP_MEMBERS),
        *_members(tally.everyone(), TOP_MEMBERS),
    ]
    below = tally.branches(campaign.organisation_id)
    if below:
        lines += [texts.TOP_ORGS.format(count=min(TOP_ORGS, len(below))), *_orgs(below, TOP_ORGS)]
    lines.append(texts.SUMMARY_THANKS)
    return "\n".join(lines)
