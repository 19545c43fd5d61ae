"""`orgs import FILE.yaml` and `orgs list`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.checks import migrate_database

# SQLAlchemy, the services and pydantic are imported where used (bot/cli/checks.py says why).
if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.services.organisations import TreeLine


@asynccontextmanager
async def _migrated_session(url: str) -> AsyncIterator[AsyncSession]:
    """One transaction on the database at `url`, migrated first; the engine is closed after."""
    from storage.db import create_engine, create_sessionmaker

    await migrate_database(url)
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            yield session
    finally:
        await engine.dispose()


async def _import(url: str, text: str) -> str:
    from bot.core.clock import SystemClock
    from bot.core.uploads import read_org_tree
    from bot.services.organisations import import_tree

    roots = await read_org_tree(text)  # the file may be anyone's: parsed on a budget
    async with _migrated_session(url) as session:
        report = await import_tree(session, roots, SystemClock().now())
    return f"Imported: {report.created} created, {report.updated} updated."


def import_file(args: argparse.Namespace) -> int:
    """Load an organisation tree; the whole file is rejected when any part is invalid."""
    from bot.config import load_settings
    from bot.core.orgtree import OrgTreeError
    from bot.core.sandbox import BudgetExceeded

    path: Path = args.file
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"Cannot read {path}: {exc}", file=sys.stderr)
        return 1
    try:
        print(asyncio.run(_import(load_settings().database_url, text)))
    except OrgTreeError as exc:
        print(f"{path} was not imported; nothing changed:", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    except BudgetExceeded as exc:
        print(f"{path} was not imported; nothing changed: {exc}", file=sys.stderr)
        return 1
    return 0


def format_tree(lines: list[TreeLine]) -> str:
    """The tree as indented text with kinds, domains, chats and member counts."""
    if not lines:
        return "No organisations yet. Import a tree with: python -m bot orgs import FILE.yaml"
    out = []
    for line in lines:
        org = line.organisation
        floating = "，流动党员" if org.floating else ""
        chats = "、".join(line.chats) if line.chats else "未绑定群"
        out.append(
            f"{'  ' * line.depth}{org.name}（{org.kind.label}·{org.domain.label}{floating}）"
            f" 群：{chats}；党员 {line.members} 人"
        )
    return "\n".join(out)


async def _list(url: str) -> str:
    from bot.services.organisations import describe_tree

    async with _migrated_session(url) as session:
        return format_tree(await describe_tree(session))


def list_tree(_args: argparse.Namespace) -> int:
    """Print the tree."""
    from bot.config import load_settings

    print(asyncio.run(_list(load_settings().database_url)))
    return 0


def register(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `orgs import` and `orgs list`."""
    orgs = verbs.add_parser("orgs", help="import or list the organisation tree")
    orgs.set_defaults(func=lambda _args: orgs.print_help() or 0)
    actions = orgs.add_subparsers(title="actions", metavar="{import,list}")
    importer = actions.add_parser(
        "import",
        help="load a YAML tree (idempotent by name; invalid files change nothing)",
        description="YAML: a list of organisations, each with name, kind"
        " (党委/党总支/党支部/党小组), domain (机关/农村/社区/非公/国企/学校/其他),"
        " optional floating: true and children.",
    )
    importer.add_argument("file", type=Path, help="the YAML file")
    importer.set_defaults(func=import_file)
    lister = actions.add_parser("list", help="print the tree with bound chats and member counts")
    lister.set_defaults(func=list_tree)
