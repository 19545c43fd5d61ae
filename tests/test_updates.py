"""The update processor: in order within a chat, concurrent across chats."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.updates import PerChatUpdateProcessor, ordering_key


def update_in(chat_id: int, update_id: int) -> Update:
    chat = Chat(chat_id, Chat.GROUP if chat_id < 0 else Chat.PRIVATE)
    user = User(7, "张三", is_bot=False)
    message = Message(update_id, datetime(2026, 1, 1, tzinfo=UTC), chat, from_user=user, text="hi")
    return Update(update_id, message=message)


async def test_one_chat_runs_in_order_and_chats_run_side_by_side() -> None:
    processor = PerChatUpdateProcessor(max_active=8)
    log: list[str] = []
    gate = asyncio.Event()

    async def work(name: str, wait: bool) -> None:
        log.append(f"start {name}")
        if wait:
            await gate.wait()
        log.append(f"end {name}")

    async with processor:
        tasks = [
            asyncio.create_task(processor.process_update(update_in(-1, 1), work("a1", True))),
            asyncio.create_task(processor.process_update(update_in(-1, 2), work("a2", False))),
            asyncio.create_task(processor.process_update(update_in(-2, 3), work("b1", False))),
        ]
        await asyncio.sleep(0)
        for _ in range(5):
            await asyncio.sleep(0)
        # b1 finished while a1 is blocked; a2 has not started behind a1.
        assert log == ["start a1", "start b1", "end b1"]
        gate.set()
        await asyncio.gather(*tasks)
    assert log[3:] == ["end a1", "start a2", "end a2"]


async def test_active_work_is_bounded() -> None:
    processor = PerChatUpdateProcessor(max_active=2)
    running = peak = 0

    async def work() -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0)
        running -= 1

    async with processor:
        await asyncio.gather(
            *(processor.process_update(update_in(-index, index), work()) for index in range(1, 9))
        )
    assert peak == 2


def test_ordering_keys() -> None:
    assert ordering_key(update_in(-5, 1)) == -5
    assert ordering_key(object()) is None
