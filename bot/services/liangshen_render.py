"""双找 in words: the answer to /iam, and /liangshen's list of groups and people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from bot.core.faq.kb import FaqEntry, load_shipped_entries
from bot.core.liangshen import Declared, Tally, tally
from bot.texts import liangshen as texts
from storage.records import ChatRecord, DeclarationRecord, OrganisationRecord

# The FAQ entry whose answer is the transfer steps (bot/data/faq/floating.yaml).
TRANSFER_ENTRY = "transfer-procedure"
# Room left under Telegram's 4,096 characters for the last line.
BUDGET = 3800
# Groups named in the county's monthly 应建尽建 message (the rest are counted).
BUILD_SHOWN = 50


@cache
def transfer_entry() -> FaqEntry:
    """The shipped FAQ's 组织关系转接 entry (read once a process)."""
    return next(e for e in load_shipped_entries() if e.id == TRANSFER_ENTRY)


def transfer_steps() -> str:
    """The transfer steps as the FAQ answers them, with its source."""
    entry = transfer_entry()
    return texts.TRANSFER_STEPS.format(answer=entry.answer, source=entry.source)


def render_done(name: str, declared: Declared, org: OrganisationRecord | None, new: bool) -> str:
    """The answer to a declaration: what was recorded and, for a 组织关系 elsewhere, who
    follows up and the transfer steps."""
    assert declared.status is not None
    head = (texts.DONE_NEW if new else texts.DONE_AGAIN).format(
        name=name, status=declared.status.label
    )
    if declared.here:
        assert org is not None
        return head + texts.DONE_HERE.format(org=org.name)
    where = (
        texts.DONE_ELSEWHERE.format(place=declared.place)
        if declared.place
        else texts.DONE_ELSEWHERE_UNKNOWN
    )
    follow = texts.DONE_FOLLOW_UP if org is not None else texts.DONE_NO_ORG
    return f"{head}{where}\n{follow}\n\n{transfer_steps()}"


@dataclass(frozen=True, slots=True)
class GroupView:
    """One group's declarations, counted."""

    chat: ChatRecord
    organisation: str  # its organisation's name, "" when it has none
    people: list[DeclarationRecord]
    tally: Tally


def group_views(
    chats: list[ChatRecord],
    orgs: dict[int, OrganisationRecord],
    declarations: list[DeclarationRecord],
) -> list[GroupView]:
    """Each group with its declarations: those to build an organisation first, then by
    title."""
    views = []
    for chat in chats:
        people = [d for d in declarations if d.chat_id == chat.id]
        org = orgs.get(chat.organisation_id) if chat.organisation_id is not None else None
        counted = tally(((d.status, d.here) for d in people), org is not None)
        views.append(GroupView(chat, org.name if org else "", people, counted))
    return sorted(views, key=lambda v: (not v.tally.should_build, v.chat.title, v.chat.id))


def _group_line(view: GroupView) -> str:
    counted = view.tally
    elsewhere = texts.GROUP_ELSEWHERE.format(count=counted.elsewhere) if counted.elsewhere else ""
    return texts.GROUP_LINE.format(
        title=view.chat.title or str(view.chat.telegram_id),
        org=view.organisation or texts.NO_ORGANISATION,
        full=counted.full,
        probationary=counted.probationary,
        elsewhere=elsewhere,
        flag=texts.FLAG_BUILD if counted.should_build else "",
    )


def _person_line(person: DeclarationRecord, tz: ZoneInfo) -> str:
    if person.here:
        relation = texts.RELATION_HERE
    else:
        relation = texts.RELATION_ELSEWHERE.format(place=person.place or texts.PLACE_UNKNOWN)
    day: datetime = person.declared_at.astimezone(tz)
    return texts.PERSON_LINE.format(
        name=person.name,
        status=person.status.label,
        relation=relation,
        day=f"{day.month}月{day.day}日",
    )


def _summary(views: list[GroupView]) -> list[str]:
    lines = [
        texts.SUMMARY.format(
            groups=len(views),
            full=sum(v.tally.full for v in views),
            probationary=sum(v.tally.probationary for v in views),
            elsewhere=sum(v.tally.elsewhere for v in views),
        )
    ]
    building = sum(v.tally.should_build for v in views)
    if building:
        lines.append(texts.SUMMARY_BUILD.format(count=building))
    return lines


def render_overview(scope: str, views: list[GroupView], tz: ZoneInfo) -> str:
    """/liangshen: a summary, then each group and its people (those elsewhere first), cut
    to one message with a count of what was left out."""
    if not views:
        return texts.NOTHING.format(scope=scope)
    head = [texts.HEADER.format(scope=scope), *_summary(views)]
    body: list[str] = []
    for view in views:
        body.append(_group_line(view))
        people = sorted(view.people, key=lambda d: (d.here, d.declared_at))
        body.extend(_person_line(person, tz) for person in people)
    tail = [texts.FOOTER] if any(v.tally.elsewhere for v in views) else []
    shown, size = [], sum(len(line) + 1 for line in head + tail)
    for line in body:
        if size + len(line) + 1 > BUDGET:
            break
        shown.append(line)
        size += len(line) + 1
    if len(shown) < len(body):
        shown.append(texts.MORE.format(count=len(body) - len(shown)))
    return "\n".join(head + shown + tail)


def render_to_build(views: list[GroupView]) -> str:
    """The county's monthly word on the groups flagged 应建尽建."""
    lines = [texts.BUILD_HEADER.format(count=len(views))]
    lines += [
        texts.BUILD_LINE.format(
            title=v.chat.title or str(v.chat.telegram_id),
            full=v.tally.full,
            probationary=v.tally.probationary,
        )
        for v in views[:BUILD_SHOWN]
    ]
    if len(views) > BUILD_SHOWN:
        lines.append(texts.MORE.format(count=len(views) - BUILD_SHOWN))
    lines.append(texts.BUILD_FOOTER)
    return "\n".join(lines)
