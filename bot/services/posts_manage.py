"""/post's verbs inside the manager's transaction: add, remove, assign, unassign.

Every refusal is a Chinese sentence (bot/texts/posts.py); nothing is written before all
checks have passed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import InvalidInput, NotFound
from bot.core.posts import MAX_DUTIES, MAX_POSTS, SUGGESTED, duties_for, split_first, valid_name
from bot.services import members
from bot.services.access import Access
from bot.services.members import Person
from bot.texts import posts as texts
from storage.records import MemberRecord, PostRecord
from storage.repositories import MemberRepo
from storage.repositories.posts import PostRepo


def usage() -> str:
    """/post alone: the verbs and the county's suggested posts."""
    suggested = "\n".join(
        texts.SUGGESTED_LINE.format(name=name, duties=duties) for name, duties in SUGGESTED.items()
    )
    return texts.USAGE.format(suggested=suggested)


async def manage(
    session: AsyncSession, access: Access, args: str, target: Person | None, now: datetime
) -> str:
    """Run one verb for the access's organisation; the reply."""
    verb, rest = split_first(args)
    verb = verb.lower()
    if verb in ("", "help"):
        return usage()
    if verb == "add":
        return await add(session, access, rest, now)
    name, who = split_first(rest)
    if verb not in ("remove", texts.VERB_ASSIGN, texts.VERB_UNASSIGN):
        raise InvalidInput(usage())
    if not name:
        raise InvalidInput(texts.NAME_USAGE.format(verb=verb))
    post = await _post(session, access.org.id, name)
    if verb == "remove":
        await PostRepo(session).remove(post.id)
        return texts.REMOVED.format(name=post.name)
    member = await _member(session, access, verb, post, who, target, now)
    return await _hold(session, access, verb, post, member, now)


async def add(session: AsyncSession, access: Access, rest: str, now: datetime) -> str:
    """`/post add 名称 职责`."""
    name, given = split_first(rest)
    if not name:
        raise InvalidInput(texts.ADD_USAGE)
    if not valid_name(name):
        raise InvalidInput(texts.BAD_NAME.format(name=name[:30], limit=20))
    duties = duties_for(name, given)
    if not duties:
        raise InvalidInput(texts.DUTIES_MISSING.format(name=name))
    if len(duties) > MAX_DUTIES:
        raise InvalidInput(texts.DUTIES_TOO_LONG.format(limit=MAX_DUTIES, length=len(duties)))
    repo = PostRepo(session)
    existing = await repo.of_organisation(access.org.id)
    if any(p.name == name for p in existing):
        raise InvalidInput(texts.DUPLICATE.format(name=name))
    if len(existing) >= MAX_POSTS:
        raise InvalidInput(texts.TOO_MANY_POSTS.format(limit=MAX_POSTS))
    added = await repo.add(access.org.id, name, duties, access.actor.user_id, now)
    if added is None:  # another manager added it a moment ago
        raise InvalidInput(texts.DUPLICATE.format(name=name))
    return texts.ADDED.format(name=name, duties=duties)


async def _post(session: AsyncSession, org_id: int, name: str) -> PostRecord:
    posts = await PostRepo(session).of_organisation(org_id)
    found = next((p for p in posts if p.name == name), None)
    if found is None:
        if not posts:
            raise NotFound(texts.NO_POSTS_YET)
        names = "、".join(p.name for p in posts)
        raise NotFound(texts.UNKNOWN_POST.format(name=name[:30], names=names))
    return found


async def _member(
    session: AsyncSession,
    access: Access,
    verb: str,
    post: PostRecord,
    who: str,
    target: Person | None,
    now: datetime,
) -> MemberRecord:
    """The member named after the post, else the one replied to (they join if new)."""
    words = texts.VERB_WORDS[verb]
    if who:
        return await _by_name(session, access.org.id, who, words)
    if target is None:
        raise InvalidInput(texts.WHO_USAGE.format(verb=verb, name=post.name))
    member = await members.member_joined(session, access.group, target, now)
    if member is None or not member.active:
        raise NotFound(texts.NOT_A_MEMBER.format(who=target.display_name[:30], verb=words))
    return member


async def _by_name(session: AsyncSession, org_id: int, who: str, words: str) -> MemberRecord:
    wanted = who.removeprefix("@")
    roster = await MemberRepo(session).of_organisation(org_id)
    found = [
        m for m in roster if wanted in (m.user.real_name, m.user.display_name, m.user.username)
    ]
    if not found:
        raise NotFound(texts.NOT_A_MEMBER.format(who=who[:30], verb=words))
    if len(found) > 1:
        raise InvalidInput(texts.AMBIGUOUS.format(who=who[:30]))
    return found[0]


async def _hold(
    session: AsyncSession,
    access: Access,
    verb: str,
    post: PostRecord,
    member: MemberRecord,
    now: datetime,
) -> str:
    repo, name = PostRepo(session), member.user.name
    if verb == texts.VERB_ASSIGN:
        if not await repo.assign(post.id, member.user.id, access.actor.user_id, now):
            raise InvalidInput(texts.ALREADY_HOLDS.format(name=name, post=post.name))
        return texts.ASSIGNED.format(post=post.name, name=name, duties=post.duties)
    if not await repo.unassign(post.id, member.user.id):
        raise InvalidInput(texts.NOT_HOLDING.format(name=name, post=post.name))
    return texts.UNASSIGNED.format(name=name, post=post.name)
