"""Use cases about organisations: import the tree, bind groups, place organisations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Domain, infer_org_kind
from bot.core.errors import InvalidInput, NotFound
from bot.core.orgtree import MAX_NAME_LENGTH, OrgNode
from storage.records import ChatRecord, OrganisationRecord
from storage.repositories import ChatRepo, MemberRepo, OrganisationRepo


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import changed."""

    created: int
    updated: int


@dataclass(frozen=True, slots=True)
class TreeLine:
    """One organisation of the printed tree."""

    organisation: OrganisationRecord
    depth: int
    chats: list[str]
    members: int


@dataclass(frozen=True, slots=True)
class BindResult:
    """The organisation a chat is now bound to, and what it was bound to before."""

    organisation: OrganisationRecord
    created: bool
    previous: OrganisationRecord | None


async def import_tree(session: AsyncSession, roots: list[OrgNode], now: datetime) -> ImportReport:
    """Create or update every organisation of the tree by name, with its parent."""
    repo = OrganisationRepo(session)
    created = updated = 0
    ids: dict[str, int] = {}
    for root in roots:
        for node, parent in root.walk():
            parent_id = ids[parent] if parent else None
            existing = await repo.by_name(node.name)
            if existing is None:
                record = await repo.create(
                    name=node.name,
                    kind=node.kind,
                    domain=node.domain,
                    floating=node.floating,
                    parent_id=parent_id,
                    now=now,
                )
                created += 1
            else:
                record = await repo.update(
                    existing.id, kind=node.kind, domain=node.domain, floating=node.floating
                )
                if parent is not None or existing.parent_id is None:
                    await repo.set_parent(existing.id, parent_id)
                updated += 1
            ids[node.name] = record.id
    return ImportReport(created=created, updated=updated)


async def describe_tree(session: AsyncSession) -> list[TreeLine]:
    """Every organisation in tree order, with its bound chats and member count."""
    repo = OrganisationRepo(session)
    organisations = await repo.all()
    counts, chats = await repo.member_counts(), await repo.chat_titles()
    known = {org.id for org in organisations}
    children: dict[int | None, list[OrganisationRecord]] = {}
    for org in organisations:
        parent = org.parent_id if org.parent_id in known else None
        children.setdefault(parent, []).append(org)
    lines: list[TreeLine] = []

    def visit(parent: int | None, depth: int) -> None:
        for org in children.get(parent, []):
            lines.append(TreeLine(org, depth, chats.get(org.id, []), counts.get(org.id, 0)))
            visit(org.id, depth + 1)

    visit(None, 0)
    return lines


async def named(
    session: AsyncSession, name: str, domain: Domain | None, now: datetime
) -> tuple[OrganisationRecord, bool]:
    """The organisation called `name`, created (with `domain`) when there is none; and
    whether it was created. A new organisation has no parent and no children: creating one
    places nobody under the person who named it."""
    if not name or len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(f"组织名称应为1到{MAX_NAME_LENGTH}个字")
    repo = OrganisationRepo(session)
    existing = await repo.by_name(name)
    if existing is not None:
        return existing, False
    kind = infer_org_kind(name)
    return await repo.create(name=name, kind=kind, domain=domain or Domain.OTHER, now=now), True


async def bind_chat(
    session: AsyncSession,
    chat: ChatRecord,
    organisation: OrganisationRecord,
    now: datetime,
    *,
    created: bool = False,
) -> BindResult:
    """Bind the chat to the organisation (the caller checked it may)."""
    repo = OrganisationRepo(session)
    previous = await repo.get(chat.organisation_id) if chat.organisation_id else None
    await ChatRepo(session).bind(chat.telegram_id, organisation.id, now)
    return BindResult(organisation, created, previous)


async def set_domain(
    session: AsyncSession, organisation: OrganisationRecord, domain: Domain | None
) -> OrganisationRecord:
    """Give the organisation another 领域 (managers only: the caller checked)."""
    if domain is None or domain is organisation.domain:
        return organisation
    return await OrganisationRepo(session).update(organisation.id, domain=domain)


async def unbind_chat(
    session: AsyncSession, chat: ChatRecord, now: datetime
) -> OrganisationRecord | None:
    """Unbind the chat; return the organisation it was bound to."""
    if chat.organisation_id is None:
        return None
    await ChatRepo(session).bind(chat.telegram_id, None, now)
    return await OrganisationRepo(session).get(chat.organisation_id)


async def place_under(
    session: AsyncSession, organisation: OrganisationRecord, parent_name: str
) -> OrganisationRecord:
    """Make `parent_name` the organisation's parent; refuse cycles."""
    repo = OrganisationRepo(session)
    parent = await repo.by_name(parent_name)
    if parent is None:
        raise NotFound(f"没有找到名为“{parent_name}”的组织，请先用 /bind 或组织文件建立它")
    if parent.id in await repo.descendant_ids(organisation.id):
        raise InvalidInput("不能把组织放到它自己或它的下级组织之下")
    await repo.set_parent(organisation.id, parent.id)
    return parent


async def organisation_of(session: AsyncSession, chat: ChatRecord) -> OrganisationRecord | None:
    """The organisation the chat is bound to."""
    if chat.organisation_id is None:
        return None
    return await OrganisationRepo(session).get(chat.organisation_id)


async def seed_members(
    session: AsyncSession, organisation: OrganisationRecord, user_ids: list[int], now: datetime
) -> None:
    """Record known users (such as the group's admins) as members of the organisation."""
    members = MemberRepo(session)
    for user_id in user_ids:
        await members.join(organisation.id, user_id, now, floating=organisation.floating)
