"""The outbox sweep against the emulator: sent once, expired, failed, migrated, retried."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.services.outbox import DeliveryKind
from bot.services.outgoing import Outgoing, Text
from storage.records import DeliveryRecord, DeliveryStatus
from storage.repositories import ChatRepo, DeliveryRepo
from tests.e2e.harness import BotFactory, RunningBot


async def compose_text(delivery: DeliveryRecord, _now: datetime) -> Outgoing:
    return Text(delivery.payload["text"], html=False)


async def started(bot_factory: BotFactory) -> RunningBot:
    bot = await bot_factory()
    bot.runtime.services.outbox.register({"test_text": DeliveryKind(compose_text)})
    # The tests sweep themselves: under load the tick fired between an enqueue and their sweep.
    bot.hold_sweeps()
    return bot


async def enqueue(
    bot: RunningBot, key: str, chat_id: int, due_in: timedelta, expires_in: timedelta | None = None
) -> None:
    now = bot.clock.now()
    async with bot.db() as session:
        await DeliveryRepo(session).enqueue(
            key=key,
            kind="test_text",
            chat_id=chat_id,
            payload={"text": key},
            due_at=now + due_in,
            expires_at=now + expires_in if expires_in is not None else None,
            now=now,
        )


async def status(bot: RunningBot, key: str) -> DeliveryStatus:
    async with bot.db() as session:
        delivery = await DeliveryRepo(session).by_key(key)
    assert delivery is not None
    return delivery.status


async def test_due_deliveries_go_out_once_and_late_ones_expire(bot_factory: BotFactory) -> None:
    bot = await started(bot_factory)
    admin = bot.emulator.add_user("书记")
    group = await bot.bound_group("一支部", "第一党支部", admin)
    await enqueue(bot, "now", group.id, timedelta(0))
    await enqueue(bot, "later", group.id, timedelta(hours=1))
    await enqueue(bot, "stale", group.id, timedelta(minutes=-10), expires_in=timedelta(minutes=-1))
    report = await bot.sweep()
    assert (report.sent, report.expired) == (1, 1)
    assert [m["text"] for m in bot.emulator.bot_messages(group)][-1] == "now"
    assert (await bot.sweep()).sent == 0
    bot.clock.advance(timedelta(hours=1))
    assert (await bot.sweep()).sent == 1
    texts = [m["text"] for m in bot.emulator.bot_messages(group)]
    assert texts.count("now") == texts.count("later") == 1
    assert "stale" not in texts
    assert await status(bot, "stale") is DeliveryStatus.EXPIRED


async def test_a_removed_bot_fails_the_delivery_and_marks_the_chat(
    bot_factory: BotFactory,
) -> None:
    bot = await started(bot_factory)
    admin = bot.emulator.add_user("书记")
    group = await bot.bound_group("二支部", "第二党支部", admin)
    bot.emulator.remove_bot(group, by=admin)
    await bot.emulator.settle()
    await enqueue(bot, "to-kicked", group.id, timedelta(0))
    await enqueue(bot, "to-nowhere", -999_999, timedelta(0))
    report = await bot.sweep()
    assert (report.sent, report.failed) == (0, 2)
    assert await status(bot, "to-kicked") is DeliveryStatus.FAILED
    async with bot.db() as session:
        chat = await ChatRepo(session).get(group.id)
    assert chat is not None
    assert not chat.active


async def test_a_migrated_group_is_followed(bot_factory: BotFactory) -> None:
    bot = await started(bot_factory)
    admin = bot.emulator.add_user("书记")
    group = await bot.bound_group("三支部", "第三党支部", admin)
    # The group upgrades, but the bot has not seen the notice yet when it sends.
    await bot.application.updater.stop()  # type: ignore[union-attr]
    new_id = bot.emulator.migrate_to_supergroup(group, by=admin)
    await enqueue(bot, "follow", group.id, timedelta(0))
    report = await bot.sweep()
    assert report.sent == 1
    assert [m["text"] for m in bot.emulator.bot_messages(new_id)] == ["follow"]
    async with bot.db() as session:
        moved = await ChatRepo(session).get(new_id)
    assert moved is not None
    assert moved.organisation_id is not None
