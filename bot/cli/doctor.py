"""`doctor [--quick]`: check everything the bot needs, one line per check, with the fix."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.cli.checks import StartupError, check_database, connected_bot

# PTB, pydantic, SQLAlchemy and Alembic are imported where used (bot/cli/checks.py says why).
if TYPE_CHECKING:
    from telegram import Bot

    from bot.config import Settings
    from storage.records import ChatRecord

# getChatMember is cheap, but hundreds of groups one after another take a minute.
GROUP_CHECKS_AT_ONCE = 8
MAKE_ADMIN = "请群管理员把机器人设为管理员（无需任何权限）"


@dataclass(frozen=True, slots=True)
class Check:
    """One result: what was checked, whether it passed, and the detail or what to fix."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        """`OK    name: detail` or `FAIL  name: detail`."""
        return f"{'OK  ' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


def configuration(settings: Settings) -> Check:
    """The settings that were read, or the missing token."""
    from bot.config import ConfigError, redact_url

    try:
        settings.require_token()
    except ConfigError as exc:
        return Check("configuration", False, str(exc))
    proxy = redact_url(settings.telegram_proxy) if settings.telegram_proxy else "none"
    mode = f"webhook {settings.webhook_url}" if settings.webhook_url else "long polling"
    door = f"{settings.web_host}:{settings.web_port}" if settings.web_port else "off"
    return Check(
        "configuration",
        True,
        f"Bot API {settings.telegram_base_url}, proxy {proxy}, "
        f"database {redact_url(settings.database_url)}, time zone {settings.bot_timezone}, "
        f"updates by {mode}, HTTP door {door}",
    )


async def database(settings: Settings) -> Check:
    """The database answers (a missing SQLite file is not created here)."""
    from bot.config import redact_url

    path = settings.sqlite_path()
    if path is not None and not path.exists():
        return Check("database", False, f"{path} does not exist yet — run: python -m bot migrate")
    try:
        await check_database(settings.database_url)
    except StartupError as exc:
        return Check("database", False, str(exc))
    return Check("database", True, f"{redact_url(settings.database_url)} answers")


async def schema(url: str) -> Check:
    """The database is migrated to the newest revision this code knows."""
    from storage.migrate import current_revisions, head_revisions, known_revisions

    current, heads = await current_revisions(url), head_revisions()
    if current == heads:
        return Check("schema", True, f"at the newest revision ({', '.join(sorted(heads))})")
    if not current:
        return Check("schema", False, "empty database — run: python -m bot migrate")
    unknown = current - known_revisions()
    if unknown:
        return Check(
            "schema",
            False,
            f"at {', '.join(sorted(unknown))}, which this version does not know"
            " — a newer version of the bot migrated it: run that version",
        )
    return Check(
        "schema",
        False,
        f"at {', '.join(sorted(current))}, newest is {', '.join(sorted(heads))}"
        " — run: python -m bot migrate",
    )


def identity(bot: Bot) -> Check:
    """Who the token belongs to, and whether privacy mode hides group messages."""
    me = bot.bot
    reads = (
        "privacy mode off: reads all group messages"
        if me.can_read_all_group_messages
        else "privacy mode on: reads all group messages only where it is an admin"
    )
    return Check("telegram", True, f"token of @{me.username} (id {me.id}); {reads}")


async def webhook(bot: Bot, settings: Settings) -> Check:
    """Polling: no webhook may be set. Webhook mode: set to WEBHOOK_URL, and delivering."""
    info = await bot.get_webhook_info()
    waiting = f"{info.pending_update_count} updates waiting"
    error = ""
    if info.last_error_message:
        when = f" at {info.last_error_date:%Y-%m-%d %H:%M} UTC" if info.last_error_date else ""
        error = f"; last delivery error{when}: {info.last_error_message}"
    if settings.webhook_url:
        return _webhook_mode(info.url, settings.webhook_url, info.pending_update_count, error)
    if not info.url:
        return Check("webhook", True, f"none set, polling works ({waiting})")
    return Check(
        "webhook",
        False,
        f"set to {info.url}{error} — this bot polls, and `python -m bot run` deletes the webhook"
        " when it starts; if another server receives it, stop that one first",
    )


def _webhook_mode(url: str, wanted: str, pending: int, error: str) -> Check:
    """WEBHOOK_URL is set: Telegram must deliver there (an error matters while updates wait)."""
    waiting = f"{pending} updates waiting"
    if not url:
        return Check(
            "webhook",
            False,
            f"none set ({waiting}) — `python -m bot run` sets WEBHOOK_URL when it starts",
        )
    if url != wanted:
        return Check(
            "webhook",
            False,
            f"set to {url}, not WEBHOOK_URL {wanted} — another deployment receives the updates,"
            " or this one has not been started since WEBHOOK_URL changed",
        )
    if error and pending:
        return Check(
            "webhook",
            False,
            f"set to {url} ({waiting}){error} — check that the reverse proxy forwards"
            " WEBHOOK_URL to WEB_HOST:WEB_PORT and that the bot runs",
        )
    return Check("webhook", True, f"set to {url}, Telegram delivers ({waiting})")


async def groups(bot: Bot, url: str) -> AsyncIterator[Check]:
    """A summary of the bound, active groups, then one line for each with a problem."""
    bound = await _bound_groups(url)
    if not bound:
        yield Check("groups", True, "none bound yet (群管理员在群里发送 /bind 组织名称)")
        return
    limit = asyncio.Semaphore(GROUP_CHECKS_AT_ONCE)
    results = await asyncio.gather(*(_group(bot, chat, org, limit) for chat, org in bound))
    problems = [check for check in results if not check.ok]
    admin_in = len(bound) - len(problems)
    yield Check("groups", not problems, f"the bot is an admin in {admin_in} of {len(bound)}")
    for check in problems:
        yield check


async def _bound_groups(url: str) -> list[tuple[ChatRecord, str]]:
    from storage.db import create_engine, create_sessionmaker
    from storage.repositories import ChatRepo

    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            return await ChatRepo(session).bound_with_organisation()
    finally:
        await engine.dispose()


async def _group(bot: Bot, chat: ChatRecord, org: str, limit: asyncio.Semaphore) -> Check:
    from telegram import ChatMember
    from telegram.error import BadRequest, ChatMigrated, Forbidden

    name = f"group {chat.title or '?'} ({org}, id {chat.telegram_id})"
    try:
        async with limit:
            member = await bot.get_chat_member(chat.telegram_id, bot.id)
    except ChatMigrated as exc:
        return Check(
            name,
            False,
            f"became a supergroup (id {exc.new_chat_id}); the bot follows when it next hears"
            " from it (请在群里发一条消息)",
        )
    except (BadRequest, Forbidden) as exc:
        return Check(name, False, f"{exc.message} — 请把机器人拉回群里，再由群管理员 /bind {org}")
    if member.status in {ChatMember.ADMINISTRATOR, ChatMember.OWNER}:
        return Check(name, True, "the bot is an admin")
    if member.status in {ChatMember.LEFT, ChatMember.BANNED}:
        return Check(
            name, False, f"the bot is not in the group — 请把机器人拉回群里并 /bind {org}"
        )
    reads = (
        "reads all messages (privacy mode off)"
        if bot.bot.can_read_all_group_messages
        else "sees only commands, replies and mentions (privacy mode on)"
    )
    return Check(
        name, False, f"the bot is not an admin: misses silent members, {reads} — {MAKE_ADMIN}"
    )


async def diagnose(settings: Settings, *, quick: bool) -> AsyncIterator[Check]:
    """Every check in order; a check is skipped when one it depends on has failed."""
    config = configuration(settings)
    yield config
    stored = await database(settings)
    yield stored
    if stored.ok:
        yield await schema(settings.database_url)
    if not config.ok:
        return
    try:
        async with connected_bot(settings) as bot:
            yield identity(bot)
            if quick:
                return
            yield await webhook(bot, settings)
            if stored.ok:
                async for check in groups(bot, settings.database_url):
                    yield check
    except StartupError as exc:
        yield Check("telegram", False, str(exc))


async def _report(settings: Settings, *, quick: bool) -> int:
    failed = 0
    async for check in diagnose(settings, quick=quick):
        print(check.line(), flush=True)
        failed += not check.ok
    return 1 if failed else 0


def doctor(args: argparse.Namespace) -> int:
    """Print one line per check; 0 when all pass, 1 otherwise."""
    from bot.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as exc:
        print(Check("configuration", False, str(exc)).line())
        return 1
    return asyncio.run(_report(settings, quick=args.quick))


def register(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `doctor`."""
    parser = verbs.add_parser(
        "doctor",
        help="check configuration, database, token, webhook and groups; say what to fix",
        description="One line per check (OK, or FAIL with what to do); exit 0 when all pass."
        " Checks the configuration, that the database answers and is migrated, the token"
        " (getMe), the webhook (none while polling; WEBHOOK_URL in webhook mode), and that the"
        " bot is an admin in every bound group.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="only configuration, database, schema and token (cheap: for a container healthcheck)",
    )
    parser.set_defaults(func=doctor)
