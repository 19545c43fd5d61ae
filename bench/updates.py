"""Updates per second: the full bot against a bare python-telegram-bot bot (issue 9).

Both run in a fresh process against the Bot API emulator (same process as the bot, no
flood limits, results not self-checked) and get the same update mix: members of GROUPS
groups press 参加 and 请假 on a meeting notice, alternately, so that every press changes
the answer; every 请假 is answered with a private prompt for the reason, which the member
answers by replying to it (a private text that gets a reply). So a third of the updates are
参加 presses (one answerCallbackQuery), a third 请假 presses (an answer and a message) and a
third texts (a message). OUTSTANDING updates are kept in flight (`--burst`: every press at
once, the reason replies as their prompts arrive); a press waits for its member's earlier
请假 to be explained.

The full bot is build_application with its database (a temporary SQLite file, or the
PostgreSQL database given by --postgres, which is EMPTIED first) and its own update
processor; only Telegram's pacing is off in both bots (a pass-through rate limiter), so
the figure is the bot's own cost, not Telegram's 30 messages/s. The bare bot is an
Application with concurrent_updates(32) and two handlers that send the same calls.

Printed per bot: the median updates/s of --repeat runs, button answers refused as too old
(15 s), peak RSS; then the ratio full/bare: the bots run in turns (bare, full, bare, full …)
and the ratio is the median over the pairs, since other work on the machine changes both
bots' speed from one minute to the next.

Reproduce: .venv/bin/python bench/updates.py --updates 2000
           .venv/bin/python bench/updates.py --updates 2000 \
               --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/bench
           .venv/bin/python bench/updates.py --updates 2200 --burst
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event
from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.app import ALLOWED_UPDATES, build_application, stop_application
from bot.config import load_settings
from bot.core.clock import SystemClock
from bot.core.domain import Domain, OrgKind
from bot.ratelimit import Unpaced
from bot.texts import meetings as texts
from emulator.emulator import BotApiEmulator
from emulator.ratelimit import RateLimits
from emulator.world import Chat, User
from storage.db import Database
from storage.migrate import upgrade
from storage.repositories import ChatRepo, MemberRepo, OrganisationRepo
from tests.conftest import reset_postgres

NO_LIMITS = RateLimits(global_per_second=None, group_per_minute=None)
REASON = "家中有事"
GIVE_UP = 20.0  # seconds without any answer: the rest is lost


@dataclass
class Notice:
    """A group, its members and the message with the 参加 / 请假 buttons."""

    group: Chat
    members: list[User]
    message_id: int
    meeting_id: int


@dataclass
class Driver:
    """Pushes the update mix, OUTSTANDING at a time, and counts what came back."""

    emu: BotApiEmulator
    notices: list[Notice]
    total: int
    outstanding: int
    pushed: int = 0
    presses: int = 0
    done: int = 0
    seen: int = 0  # bot messages looked at so far
    requests_seen: int = 0  # finished requests looked at so far
    first_request: int = 0
    answered: int = 0
    queries: set[str] = field(default_factory=set)
    confirmed: int = 0
    prompts: int = 0
    busy: set[int] = field(default_factory=set)  # users whose 请假 awaits its reason
    replies: list[tuple[int, int]] = field(default_factory=list)  # (user, prompt) to answer
    leave_next: dict[int, bool] = field(default_factory=dict)

    async def run(self) -> float:
        """Seconds from the first update to the last answer (lost ones are not waited for)."""
        started = last = time.perf_counter()
        while self.done < self.total:
            self._collect()
            while self.pushed < self.total and self.pushed - self.done < self.outstanding:
                if not self._push():
                    break
            if self.done < self.total:
                try:
                    await self.emu.wait_for(self._progress, timeout=GIVE_UP, what="answers")
                except TimeoutError:
                    break  # what is still outstanding was lost (the bot failed on it)
                last = time.perf_counter()
        return last - started

    def _progress(self) -> bool:
        """Something was answered, or a prompt came that can be replied to."""
        before = (self.done, self.prompts)
        self._collect()
        return (self.done, self.prompts) != before

    def _collect(self) -> None:
        """Count answers and reason confirmations; queue replies to new prompts."""
        requests = self.emu.requests
        while self.requests_seen < len(requests) and requests[self.requests_seen].status:
            record = requests[self.requests_seen]
            self.requests_seen += 1
            if record.method == "answerCallbackQuery":
                # Refused as too old counts too (the press is over), once: the error handler's
                # alert is a second answer to the same query.
                self.queries.add(str(record.params.get("callback_query_id")))
                self.answered = len(self.queries)
        sent = self.emu.sent
        for chat_id, message_id in sent[self.seen :]:
            if chat_id < 0:
                continue
            body = self.emu.message(chat_id, message_id).get("text", "")
            if body.startswith(texts.REASON_MARK):
                self.replies.append((chat_id, message_id))
                self.prompts += 1
            elif body == texts.REASON_SAVED:
                self.busy.discard(chat_id)
                self.confirmed += 1
        self.seen = len(sent)
        self.done = self.answered + self.confirmed

    def _push(self) -> bool:
        """One update: a reason reply if a prompt waits, else the next free member's press."""
        if self.replies:
            user_id, prompt = self.replies.pop(0)
            chat = self.emu.private_chat(user_id)
            self.emu.send_text(chat, user_id, REASON, reply_to=prompt)
            self.pushed += 1
            return True
        for _ in range(len(self.notices)):
            notice = self.notices[self.presses % len(self.notices)]
            member = notice.members[(self.presses // len(self.notices)) % len(notice.members)]
            self.presses += 1
            if member.id in self.busy:
                continue
            leave = self.leave_next.get(member.id, member.id % 2 == 0)
            self.leave_next[member.id] = not leave
            if leave:
                self.busy.add(member.id)
            data = f"m:rsvp:{notice.meeting_id}:{'l' if leave else 'y'}"
            self.emu.press_button(notice.group, member, notice.message_id, data)
            self.pushed += 1
            return True
        return False


def _emulator() -> BotApiEmulator:
    return BotApiEmulator(rate_limits=NO_LIMITS, check_results=False)


def _people(emu: BotApiEmulator, groups: int, members: int) -> list[tuple[Chat, list[User]]]:
    """Groups with a secretary (admin) first and `members` members who started the bot."""
    made = []
    for g in range(groups):
        secretary = emu.add_user(f"书记{g}")
        people = [emu.add_user(f"党员{g}-{m}") for m in range(members)]
        group = emu.add_group(
            f"第{g}支部群", members=[secretary, *people], admins=[secretary], bot_admin=True
        )
        for person in people:
            emu.start_private_chat(person)
        made.append((group, [secretary, *people]))
    return made


async def _started(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=1)


async def _idle(
    emu: BotApiEmulator, application: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    processor = application.update_processor
    emu.client_busy = lambda: (
        processor.current_concurrent_updates > 0 or not application.update_queue.empty()
    )
    await emu.settle(quiet=0.3, timeout=600)


# -- the full bot ------------------------------------------------------------------------


async def _bind(database: Database, made: list[tuple[Chat, list[User]]]) -> None:
    now = SystemClock().now()
    async with database.transaction() as session:
        orgs, chats = OrganisationRepo(session), ChatRepo(session)
        parent = await orgs.create(
            name="某县委", kind=OrgKind.COMMITTEE, domain=Domain.ORGAN, now=now
        )
        for n, (group, _) in enumerate(made):
            org = await orgs.create(
                name=f"第{n}党支部",
                kind=OrgKind.BRANCH,
                domain=Domain.RURAL,
                now=now,
                parent_id=parent.id,
            )
            await chats.upsert(group.id, title=group.title or "", type_="group", now=now)
            await chats.bind(group.id, org.id, now)


async def _on_rosters(application: Any, notices: list[Notice]) -> None:
    """Everyone is on the roster already, as members who wrote in their group once are."""
    now = SystemClock().now()
    async with application.bot_data.runtime.database.transaction() as session:
        members = MemberRepo(session)
        for n, notice in enumerate(notices, start=1):
            organisation = await OrganisationRepo(session).by_name(f"第{n - 1}党支部")
            assert organisation is not None
            for person in notice.members:
                await members.join(organisation.id, person.id, now)


async def _announce(emu: BotApiEmulator, made: list[tuple[Chat, list[User]]]) -> list[Notice]:
    """Each secretary's real /meeting; the notices the sweep posts."""
    day = (SystemClock().now() + timedelta(days=30)).strftime("%Y-%m-%d")
    for group, people in made:
        emu.send_text(group, people[0], f"/meeting 党课 {day} 15:00 三楼会议室")
    notices = []
    for group, people in made:
        notice = await emu.wait_for_bot_message(group, contains="📢", timeout=120)
        button = notice["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        notices.append(Notice(group, people[1:], notice["message_id"], int(button.split(":")[2])))
    return notices


async def full_bot(args: argparse.Namespace) -> dict[str, Any]:
    """The real application, set up and measured."""
    with tempfile.TemporaryDirectory() as folder:
        url = args.postgres or f"sqlite+aiosqlite:///{folder}/bench.db"
        if args.postgres:
            await reset_postgres(url)
        emu = await _emulator().start()
        settings = load_settings(
            telegram_bot_token=emu.token,
            telegram_base_url=emu.base_url,
            telegram_base_file_url=emu.base_file_url,
            database_url=url,
            telegram_proxy=None,
            # The HTTP door (/healthz, /metrics) serves nothing per update; off, so that
            # benches run side by side do not collide on its port.
            web_port=0,
            log_level="WARNING",
        )
        await upgrade(url)
        application = build_application(settings, clock=SystemClock(), rate_limiter=Unpaced())
        await _started(application)
        try:
            made = _people(emu, args.groups, args.members)
            await _bind(application.bot_data.runtime.database, made)
            notices = await _announce(emu, made)
            await _idle(emu, application)
            await _on_rosters(application, notices)
            statements: Counter[str] = Counter()
            if args.count_sql:
                # Not by default: an engine listener costs every connection and statement
                # (4 % of the full bot's time), which the bare bot does not pay.
                engine = application.bot_data.runtime.database.engine.sync_engine
                event.listen(engine, "before_cursor_execute", _counting(statements))
            measured = await _measure(emu, application, notices, args)
            return measured | {"statements": sum(statements.values()), "sql": statements}
        finally:
            await stop_application(application)
            await emu.stop()


def _counting(statements: Counter[str]) -> Callable[..., None]:
    def count(*args: Any) -> None:
        statements[" ".join(str(args[2]).split()[:4])] += 1

    return count


# -- the bare bot ------------------------------------------------------------------------


async def _bare_press(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    assert query.data is not None
    if query.data.endswith(":y"):
        await query.answer(texts.ANSWERED_YES)
        return
    await query.answer(texts.ANSWERED_LEAVE)
    meeting = query.data.split(":")[2]
    prompt = f"{texts.REASON_MARK}{meeting}】请回复本消息说明请假原因。"
    await query.get_bot().send_message(query.from_user.id, prompt, reply_markup=ForceReply())


async def _bare_reason(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(texts.REASON_SAVED)


async def bare_bot(args: argparse.Namespace) -> dict[str, Any]:
    """A minimal Application sending the same calls."""
    emu = await _emulator().start()
    application = (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(emu.base_url)
        .rate_limiter(Unpaced())
        .concurrent_updates(32)
        .build()
    )
    application.add_handler(CallbackQueryHandler(_bare_press))
    application.add_handler(MessageHandler(filters.REPLY & filters.ChatType.PRIVATE, _bare_reason))
    await _started(application)
    try:
        made = _people(emu, args.groups, args.members)
        notices = []
        for n, (group, people) in enumerate(made):
            buttons = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton("参加", callback_data=f"m:rsvp:{n + 1}:y"),
                        InlineKeyboardButton("请假", callback_data=f"m:rsvp:{n + 1}:l"),
                    ]
                ]
            )
            sent = await application.bot.send_message(
                group.id, "📢 会议通知", reply_markup=buttons
            )
            notices.append(Notice(group, people[1:], sent.message_id, n + 1))
        await _idle(emu, application)
        return await _measure(emu, application, notices, args)
    finally:
        await stop_application(application)
        await emu.stop()


async def _measure(
    emu: BotApiEmulator,
    application: Application[Any, Any, Any, Any, Any, Any],
    notices: list[Notice],
    args: argparse.Namespace,
) -> dict[str, Any]:
    outstanding = args.updates if args.burst else args.outstanding
    before = len(emu.requests_for("answerCallbackQuery"))
    driver = Driver(emu, notices, args.updates, outstanding)
    driver.seen, driver.requests_seen = len(emu.sent), len(emu.requests)
    driver.first_request = driver.requests_seen
    print("measuring", file=sys.stderr, flush=True)  # for a profiler to attach now
    cpu = _cpu_seconds()
    with _profiled(args.profile):
        seconds = await driver.run()
    cpu = _cpu_seconds() - cpu
    answers = emu.requests_for("answerCallbackQuery")[before:]
    calls = Counter(r.method for r in emu.requests[driver.first_request :])
    await _idle(emu, application)
    refused = {str(r.params.get("callback_query_id")) for r in answers if r.status != 200}
    return {
        "rate": driver.done / seconds,
        # CPU of the whole process (bot, emulator, driver; every thread) per update: steadier
        # than the rate when other work shares the machine.
        "cpu_ms": cpu / max(driver.done, 1) * 1000,
        "too_old": len(refused),
        "answers": len(answers),
        "lost": driver.pushed - driver.done,
        "calls": dict(calls),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextlib.contextmanager
def _profiled(wanted: bool) -> Iterator[None]:
    """With --profile: where the CPU time of the measured part went, by package, on stderr."""
    if not wanted:
        yield
        return
    from pyinstrument import Profiler  # a developer's tool: only needed with --profile

    profiler = Profiler(interval=0.0005, async_mode="disabled")
    with profiler:
        yield
    shares: Counter[str] = Counter()
    root = profiler.last_session.root_frame() if profiler.last_session else None
    stack = [(root, "")] if root is not None else []
    while stack:
        frame, caller = stack.pop()
        # Time spent in C functions and in a frame itself counts for its Python caller.
        own = frame.file_path or "<>"
        path = caller if frame.is_synthetic or own.startswith("<") else own
        if frame.function == "epoll.poll":
            path = "idle"
        stack.extend((child, path) for child in frame.children)
        shares[_package(path)] += frame.total_self_time
    total = sum(shares.values()) or 1.0
    for name, seconds in shares.most_common():
        print(f"  {name:<28} {seconds / total:6.1%}", file=sys.stderr)


_PACKAGES = (
    ("idle", "idle (waiting for I/O)"),
    ("sqlalchemy", "SQLAlchemy"),
    ("aiosqlite", "aiosqlite"),
    ("asyncpg", "asyncpg"),
    ("telegram", "python-telegram-bot"),
    ("httpx", "HTTP client (httpx, httpcore)"),
    ("httpcore", "HTTP client (httpx, httpcore)"),
    ("h11", "HTTP client (httpx, httpcore)"),
    ("anyio", "HTTP client (httpx, httpcore)"),
    ("aiohttp", "emulator (aiohttp, emulator/)"),
    ("emulator/", "emulator (aiohttp, emulator/)"),
    ("asyncio", "asyncio"),
    ("json", "json"),
    ("bench/", "bench driver"),
)


def _package(path: str) -> str:
    for marker, name in _PACKAGES:
        if f"/{marker}" in path or path == marker:
            return name
    root = str(Path(__file__).resolve().parent.parent)
    if path.startswith(root) and "/.venv/" not in path:
        return "project code"
    if "site-packages" not in path and path.startswith(sys.base_prefix):
        return "Python's standard library"
    return "other"


# -- the runner ----------------------------------------------------------------------------


def _child(args: argparse.Namespace, which: str) -> dict[str, Any]:
    """One measurement in a fresh process (no warm caches or leftovers from the other bot)."""
    command = [sys.executable, __file__, "--only", which, *_passed(args)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{which} bot failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _passed(args: argparse.Namespace) -> list[str]:
    passed = [
        f"--updates={args.updates}",
        f"--outstanding={args.outstanding}",
        f"--groups={args.groups}",
        f"--members={args.members}",
    ]
    if args.burst:
        passed.append("--burst")
    if args.postgres:
        passed.append(f"--postgres={args.postgres}")
    return passed


def _summary(name: str, runs: list[dict[str, Any]]) -> tuple[float, str]:
    rate = statistics.median(r["rate"] for r in runs)
    rates = ", ".join(f"{r['rate']:.0f}" for r in runs)
    too_old = max(r["too_old"] for r in runs)
    lost = max(r["lost"] for r in runs)
    rss = max(r["rss_mb"] for r in runs)
    cpu = statistics.median(r["cpu_ms"] for r in runs)
    return rate, (
        f"{name}: {rate:.0f} updates/s (median of {rates}), {cpu:.2f} ms CPU per update; "
        f"answers too old: {too_old}, lost: {lost} at most; peak RSS {rss:.0f} MB"
    )


def main() -> None:
    """Parse arguments; run one bot (--only) or both, repeatedly, and compare."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--outstanding", type=int, default=64)
    parser.add_argument("--burst", action="store_true", help="push every press at once")
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL; it is EMPTIED first")
    parser.add_argument("--only", choices=["full", "bare"], help="one run of one bot (JSON)")
    parser.add_argument("--profile", action="store_true", help="with --only: CPU by package")
    parser.add_argument(
        "--count-sql", action="store_true", help="with --only full: count the statements"
    )
    args = parser.parse_args()
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    logging.getLogger("handlers.errors").setLevel(logging.CRITICAL)  # counted as lost instead
    if args.only:
        measure = full_bot if args.only == "full" else bare_bot
        print(json.dumps(asyncio.run(measure(args))))
        return
    database = "PostgreSQL" if args.postgres else "SQLite"
    mode = "burst" if args.burst else f"{args.outstanding} outstanding"
    print(f"{args.updates} updates, {mode}, {args.groups} groups × {args.members} members")
    # The machine's cores may be shared: the bots take turns, and each full run is compared
    # with the bare run just before it, so a busy minute slows both sides of a pair.
    bare: list[dict[str, Any]] = []
    full: list[dict[str, Any]] = []
    for _ in range(args.repeat):
        bare.append(_child(args, "bare"))
        full.append(_child(args, "full"))
    _, bare_line = _summary("bare PTB bot", bare)
    _, full_line = _summary(f"full bot ({database})", full)
    print(bare_line)
    print(full_line)
    ratios = [f["rate"] / b["rate"] for b, f in zip(bare, full, strict=True)]
    pairs = ", ".join(f"{r:.0%}" for r in ratios)
    print(f"ratio: {statistics.median(ratios):.0%} of the bare bot (median of pairs {pairs})")


if __name__ == "__main__":
    main()
