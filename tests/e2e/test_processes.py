"""Several identical processes of one bot on one PostgreSQL (issue 9).

Three Applications share a database and a rate-limiting emulator: every delivery goes out
exactly once whoever claims it, each process keeps to its third of Telegram's budgets (no
429), and every answer is recorded while the others sweep.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx
import pytest
from aiohttp import web

from bot.core.meetings import Rsvp
from bot.services.outbox import DeliveryKind
from bot.services.outgoing import Outgoing, Text
from bot.texts import meetings as meeting_texts
from storage.records import DeliveryRecord, DeliveryStatus
from storage.repositories import DeliveryRepo
from storage.repositories.meetings import AnswerRepo
from tests.e2e.harness import BotFactory, RunningBot, free_port
from tests.e2e.meetings_world import make_branch

GROUPS, PER_GROUP = 40, 5


async def compose_text(delivery: DeliveryRecord, _now: datetime) -> Outgoing:
    return Text(str(delivery.payload["text"]), html=False)


async def three(bot_factory: BotFactory) -> list[RunningBot]:
    bots = [await bot_factory(), await bot_factory(poll=False), await bot_factory(poll=False)]
    for bot in bots:
        bot.runtime.services.outbox.register({"test_text": DeliveryKind(compose_text)})
        assert bot.application.job_queue is not None
        bot.application.job_queue.scheduler.pause()  # the test sweeps and beats itself
        bot.runtime.database.on_due = lambda: None
    for bot in bots:
        await bot.runtime.services.processes.beat()
    assert [await bot.runtime.services.processes.beat() for bot in bots] == [3, 3, 3]
    return bots


async def test_three_processes_send_each_delivery_once_within_the_limits(
    bot_factory: BotFactory, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes of one bot need PostgreSQL (SQLite is one process)")
    bots = await three(bot_factory)
    first = bots[0]
    emu = first.emulator
    groups = [emu.add_group(f"群{n}", with_bot=True) for n in range(GROUPS)]
    now = first.clock.now()
    async with first.db() as session:
        repo = DeliveryRepo(session)
        for group in groups:
            for n in range(PER_GROUP):
                await repo.enqueue(
                    key=f"test:{group.id}:{n}",
                    kind="test_text",
                    chat_id=group.id,
                    due_at=now,
                    now=now,
                    payload={"text": f"第{n}条"},
                )
    branch = await make_branch(first)
    created = await branch.command(branch.secretary, "/meeting 党课 2026-11-28 15:00")
    number = int(created.split("编号 ")[1].split("）")[0])

    sweeps = asyncio.gather(*(bot.sweep() for bot in bots))
    notice = await emu.wait_for_bot_message(branch.group, contains="📢", timeout=30)
    people = (branch.zhang, branch.li, branch.wang)
    presses = [branch.press(person, notice, "参加") for person in people]
    reports = await sweeps
    await emu.settle()

    assert sum(report.sent for report in reports) > GROUPS * PER_GROUP  # and the notice
    assert all(report.sent > 0 for report in reports)  # all three took part
    for group in groups:
        texts = [m["text"] for m in emu.bot_messages(group)]
        assert sorted(texts) == sorted(f"第{n}条" for n in range(PER_GROUP))
    assert emu.stats.rate_limited == 0
    async with first.db() as session:
        assert await DeliveryRepo(session).counts("test:") == {
            DeliveryStatus.SENT: GROUPS * PER_GROUP
        }
        answers = await AnswerRepo(session).of_meeting(number)
    assert {answer.user_id for answer in answers} == {person.id for person in people}
    for query in presses:
        assert await branch.answer_of(query) == meeting_texts.ANSWERED_YES


class Balancer:
    """A load balancer in front of several bot processes: each webhook POST to the next."""

    def __init__(self, backends: list[str]) -> None:
        self.backends, self.turn = backends, 0
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/telegram"
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/telegram", self.forward)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def forward(self, request: web.Request) -> web.Response:
        backend = self.backends[self.turn % len(self.backends)]
        self.turn += 1
        headers = {k: v for k, v in request.headers.items() if k.lower().startswith("x-")}
        headers["Content-Type"] = "application/json"
        async with httpx.AsyncClient() as client:
            answer = await client.post(backend, content=await request.read(), headers=headers)
        return web.Response(status=answer.status_code, body=answer.content)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


async def test_webhooks_behind_a_balancer_record_every_answer_in_order(
    bot_factory: BotFactory, database_url: str
) -> None:
    """Three processes get one chat's updates in turn: every 参加 / 请假 and every reason is
    recorded (a chat's updates are handled one at a time across the processes)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes of one bot need PostgreSQL (SQLite is one process)")
    ports = [free_port() for _ in range(3)]
    balancer = Balancer([f"http://127.0.0.1:{port}/telegram" for port in ports])
    await balancer.start()
    try:
        bots = [await bot_factory(web_port=port, webhook_url=balancer.url) for port in ports]
        for bot in bots:
            await bot.runtime.services.processes.beat()
        assert [await bot.runtime.services.processes.beat() for bot in bots] == [3, 3, 3]
        branch = await make_branch(bots[0])
        emu = branch.bot.emulator
        people = [emu.add_user(f"党员{name}") for name in "甲乙丙丁戊己庚辛壬癸子丑"]
        for person in people:
            emu.join(branch.group, person)
        await emu.settle()
        number, notice = await branch.announce("党课 2026-11-28 15:00")
        for n, person in enumerate(people):
            branch.press(person, notice, "请假" if n % 2 else "参加")
        await emu.settle()
        prompts = [m for m in emu.bot_messages(branch.group) if "请假原因" in m["text"]]
        for person in people[1::2]:
            [prompt] = [m for m in prompts if person.first_name in m["text"]]
            emu.send_text(branch.group, person, f"{person.first_name}出差", reply_to=prompt)
        await emu.settle()
        async with bots[0].db() as session:
            answers = {a.user_id: a for a in await AnswerRepo(session).of_meeting(number)}
        assert set(answers) == {person.id for person in people}
        for n, person in enumerate(people):
            answer = answers[person.id]
            if n % 2:
                assert (answer.rsvp, answer.reason) == (Rsvp.LEAVE, f"{person.first_name}出差")
            else:
                assert (answer.rsvp, answer.reason) == (Rsvp.YES, None)
        assert balancer.turn >= len(people) * 2  # the presses went round all three
    finally:
        await balancer.stop()
