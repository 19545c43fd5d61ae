"""Issue 5 end to end: /broadcast scope, preview, copies, report, throttled progress, restart."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.core.domain import Domain, OrgKind
from bot.services import broadcast
from bot.services.outbox import LEASE, Attempt, DeliveryKind
from bot.services.outgoing import Outgoing
from emulator.emulator import BotApiEmulator
from emulator.world import Chat, User
from storage.records import DeliveryRecord
from storage.repositories import ChatRepo, OrganisationRepo
from tests.e2e.harness import BotFactory, RunningBot, stop_bot

GHOST_CHAT = -999_999  # bound in the database, unknown to Telegram


@dataclass
class County:
    """A township committee with branch groups below it, and one township beside it."""

    group: Chat
    admin: User
    member: User
    branches: dict[str, Chat]
    branch_admins: dict[str, User]
    beside: Chat


async def bind(
    bot: RunningBot, title: str, org: str, domain: str, admin: User, *more: User
) -> Chat:
    group = bot.emulator.add_group(title, members=[admin, *more], admins=[admin], bot_admin=True)
    assert org in await bot.say(group, admin, f"/bind {org} {domain}")
    return group


async def county(bot: RunningBot, superadmin: User, branches: int = 4) -> County:
    emu = bot.emulator
    admin, member = emu.add_user("镇党委书记"), emu.add_user("镇干部")
    top = await bind(bot, "城关镇党委群", "城关镇党委", "机关", admin, member)
    groups, admins = {}, {}
    domains = ["农村", "社区", "农村", "农村", "农村", "社区"]
    for n in range(1, branches + 1):
        name = f"第{n}支部"
        admins[name] = emu.add_user(f"{name}书记")
        groups[name] = await bind(
            bot, f"{name}群", name, domains[(n - 1) % len(domains)], admins[name], superadmin
        )
        reply = await bot.say(groups[name], superadmin, "/org_parent 城关镇党委")
        assert "下级组织" in reply
    beside_admin = emu.add_user("河西镇书记")
    beside = await bind(bot, "河西镇党委群", "河西镇党委", "农村", beside_admin)
    return County(top, admin, member, groups, admins, beside)


async def ghost_branch(bot: RunningBot) -> None:
    """A rural branch whose group Telegram no longer knows (chat not found)."""
    now = bot.clock.now()
    async with bot.db() as session:
        orgs = OrganisationRepo(session)
        parent = await orgs.by_name("城关镇党委")
        assert parent is not None
        ghost = await orgs.create(
            name="幽灵村党支部",
            kind=OrgKind.BRANCH,
            domain=Domain.RURAL,
            now=now,
            parent_id=parent.id,
        )
        chats = ChatRepo(session)
        await chats.upsert(GHOST_CHAT, title="幽灵村群", type_="group", now=now)
        await chats.bind(GHOST_CHAT, ghost.id, now)


async def started(bot_factory: BotFactory, emulator: BotApiEmulator) -> tuple[RunningBot, User]:
    superadmin = emulator.add_user("县委组织部")
    bot = await bot_factory(superadmin_ids=str(superadmin.id))
    # Tests sweep by hand: the scheduler and the wake after a commit would race them.
    assert bot.application.job_queue is not None
    bot.application.job_queue.scheduler.pause()
    bot.runtime.database.on_due = lambda: None
    return bot, superadmin


async def begin(
    bot: RunningBot, chat: Chat, admin: User, text: str = "请各支部组织学习"
) -> dict[str, Any]:
    """`admin` writes a message and replies /broadcast to it; the scope question."""
    source = bot.emulator.send_text(chat, admin, text)
    bot.emulator.send_text(chat, admin, "/broadcast", reply_to=source)
    return await bot.emulator.wait_for_bot_message(chat, contains="发给哪些群")


async def press(bot: RunningBot, chat: Chat, user: User, message_id: int, label: str) -> str:
    query = bot.emulator.press_button(chat, user, message_id, text=label)
    await bot.emulator.settle()
    answer = bot.emulator.callback_answers[query]
    return answer.text or bot.emulator.message(chat, message_id)["text"]


def copies(emu: BotApiEmulator, chat: Chat | int, text: str) -> int:
    return sum(1 for m in emu.bot_messages(chat) if m.get("text") == text)


async def test_scope_preview_copies_and_report(
    bot_factory: BotFactory, emulator: BotApiEmulator
) -> None:
    bot, superadmin = await started(bot_factory, emulator)
    tree = await county(bot, superadmin)
    await ghost_branch(bot)
    emu = bot.emulator
    text = "请各支部组织学习"
    prompt = await begin(bot, tree.group, tree.admin, text)
    preview = await press(bot, tree.group, tree.admin, prompt["message_id"], "农村")
    assert preview.startswith("范围：下级组织中的农村组织\n将把所回复的消息原样发送到4个群：")
    everyone = await press(bot, tree.group, tree.admin, prompt["message_id"], "下级组织")
    assert "发送到5个群" in everyone  # four branches and the ghost; not the source, not beside
    stranger = await press(bot, tree.group, tree.member, prompt["message_id"], "确认发送")
    assert stranger == "只有发起群发的人可以操作。"
    await press(bot, tree.group, tree.admin, prompt["message_id"], "农村")
    started_text = await press(bot, tree.group, tree.admin, prompt["message_id"], "确认发送")
    assert started_text == "开始发送到4个群……"

    # Before the sweep: the bot is removed from one group and another becomes a
    # supergroup, and the bot has not seen either update yet.
    assert bot.application.updater is not None
    await bot.application.updater.stop()
    emu.remove_bot(tree.branches["第3支部"], by=tree.branch_admins["第3支部"])
    new_id = emu.migrate_to_supergroup(tree.branches["第4支部"], by=tree.branch_admins["第4支部"])
    await bot.sweep()
    assert copies(emu, tree.branches["第1支部"], text) == 1
    assert copies(emu, new_id, text) == 1
    assert copies(emu, tree.branches["第2支部"], text) == 0  # 社区
    assert copies(emu, tree.beside, text) == 0
    assert copies(emu, tree.group, text) == 0  # the source group has the original
    await bot.show_progress()
    report = emu.message(tree.group, prompt["message_id"])["text"]
    assert report.splitlines() == [
        "群发完成：共4个群，成功2个，失败2个。",
        "· 第3支部群：机器人已被移出该群",
        "· 幽灵村群：群不存在",
    ]


async def test_only_managers_broadcast_and_never_beyond_their_organisation(
    bot_factory: BotFactory, emulator: BotApiEmulator
) -> None:
    bot, superadmin = await started(bot_factory, emulator)
    tree = await county(bot, superadmin, branches=2)
    emu = bot.emulator
    source = emu.send_text(tree.group, tree.member, "随便说说")
    emu.send_text(tree.group, tree.member, "/broadcast", reply_to=source)
    assert "只有本组织的书记" in (await emu.wait_for_bot_message(tree.group))["text"]
    emu.send_text(tree.group, tree.admin, "/broadcast")
    assert "请回复要转发的那条消息" in (await emu.wait_for_bot_message(tree.group))["text"]

    branch = tree.branches["第1支部"]
    prompt = await begin(bot, branch, tree.branch_admins["第1支部"])
    below = await press(
        bot, branch, tree.branch_admins["第1支部"], prompt["message_id"], "下级组织"
    )
    assert below == "范围：本组织及全部下级组织\n这个范围内没有已绑定的群，请换一个范围。"
    # A superadmin privately, for any organisation by name.
    private = emu.private_chat(superadmin)
    post = emu.send_document(private, superadmin, "通知.pdf", b"%PDF-1.4", caption="全县通知")
    emu.send_text(private, superadmin, "/broadcast 河西镇党委", reply_to=post)
    asked = await emu.wait_for_bot_message(private, contains="发给哪些群")
    preview = await press(bot, private, superadmin, asked["message_id"], "本组织")
    assert "发送到1个群：河西镇党委群" in preview
    await press(bot, private, superadmin, asked["message_id"], "确认发送")
    await bot.sweep()
    (copied,) = [m for m in emu.bot_messages(tree.beside) if "document" in m]
    assert (copied["document"]["file_name"], copied["caption"]) == ("通知.pdf", "全县通知")


async def test_progress_is_edited_at_most_every_five_seconds(
    bot_factory: BotFactory, emulator: BotApiEmulator
) -> None:
    bot, superadmin = await started(bot_factory, emulator)
    tree = await county(bot, superadmin, branches=6)
    emu = bot.emulator
    gate, recorded = asyncio.Semaphore(0), asyncio.Queue[None]()

    outbox = bot.runtime.services.outbox
    copy, record = outbox.kind(broadcast.KIND), outbox.record

    async def gated(delivery: DeliveryRecord, now: datetime) -> Outgoing | None:
        await gate.acquire()  # each copy waits for the test to let it through
        return await copy.compose(delivery, now)

    async def counted(delivery: DeliveryRecord, attempt: Attempt) -> str:
        counter = await record(delivery, attempt)
        recorded.put_nowait(None)
        return counter

    outbox.register({broadcast.KIND: DeliveryKind(gated)})
    outbox.record = counted  # type: ignore[method-assign]
    prompt = await begin(bot, tree.group, tree.admin)
    await press(bot, tree.group, tree.admin, prompt["message_id"], "下级组织")
    await press(bot, tree.group, tree.admin, prompt["message_id"], "确认发送")
    sweeping = asyncio.create_task(bot.sweep())

    async def let_through(count: int) -> None:
        for _ in range(count):
            gate.release()
        for _ in range(count):
            await recorded.get()

    def edits() -> list[str]:
        return [
            str(r.params["text"])
            for r in emu.requests_for("editMessageText")
            if r.get("message_id") == prompt["message_id"]
        ]

    async def tick(seconds: float) -> None:
        bot.clock.advance(timedelta(seconds=seconds))
        await bot.show_progress()

    shown = len(edits())  # the preview and the start
    await let_through(2)
    await tick(0)
    assert edits()[shown:] == ["正在发送：2/6，已成功2个群。"]
    await let_through(1)
    await tick(3)  # changed, but only 3 s later
    assert len(edits()) == shown + 1
    await tick(2)  # 5 s after the last edit
    assert edits()[shown + 1 :] == ["正在发送：3/6，已成功3个群。"]
    await tick(5)  # 5 s more, nothing new: no edit
    assert len(edits()) == shown + 2
    for _ in range(3):
        gate.release()
    await sweeping
    await tick(1)  # the report does not wait
    assert edits()[shown + 2 :] == ["群发完成：共6个群，成功6个，失败0个。"]


class SimulatedCrash(BaseException):
    """The process dies between two sends."""


async def test_a_restart_resumes_without_sending_any_group_twice(
    bot_factory: BotFactory, emulator: BotApiEmulator
) -> None:
    first, superadmin = await started(bot_factory, emulator)
    tree = await county(first, superadmin, branches=6)
    emu = first.emulator
    sent = 0

    outbox = first.runtime.services.outbox
    copy = outbox.kind(broadcast.KIND)

    async def dies_after_three(delivery: DeliveryRecord, now: datetime) -> Outgoing | None:
        nonlocal sent
        if sent == 3:
            raise SimulatedCrash
        sent += 1
        return await copy.compose(delivery, now)

    outbox.register({broadcast.KIND: DeliveryKind(dies_after_three)})
    prompt = await begin(first, tree.group, tree.admin)
    await press(first, tree.group, tree.admin, prompt["message_id"], "下级组织")
    await press(first, tree.group, tree.admin, prompt["message_id"], "确认发送")
    with pytest.raises(SimulatedCrash):
        await first.sweep()
    await stop_bot(first)
    text = "请各支部组织学习"
    assert sum(copies(emu, g, text) for g in tree.branches.values()) == 3

    second = await bot_factory(superadmin_ids=str(superadmin.id))
    second.clock.advance(LEASE + timedelta(seconds=1))  # rows the dead process held
    await second.sweep()
    assert [copies(emu, g, text) for g in tree.branches.values()] == [1] * 6
    await second.show_progress()
    await emu.settle()
    assert emu.message(tree.group, prompt["message_id"])["text"] == (
        "群发完成：共6个群，成功6个，失败0个。"
    )
