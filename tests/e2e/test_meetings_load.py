"""Issue 9: many presses with many updates outstanding lose no answer (counts, not times).

Before, every press began with a write and SQLite writers queued in its busy handler: now
and then one gave up after busy_timeout ("database is locked") and the 请假 was lost.
"""

from __future__ import annotations

from sqlalchemy import func, select

from bot.core.meetings import Rsvp
from bot.ratelimit import Unpaced
from bot.texts import meetings as texts
from emulator.ratelimit import RateLimiter, RateLimits
from emulator.world import Chat, User
from storage.models.meetings import MeetingAnswer
from tests.e2e.harness import BotFactory

GROUPS, MEMBERS, PRESSES, OUTSTANDING = 32, 8, 1000, 64


async def test_many_presses_outstanding_lose_no_answer(bot_factory: BotFactory) -> None:
    bot = await bot_factory(rate_limiter=Unpaced())
    emu = bot.emulator
    emu.callback_query_ttl = 3600.0  # a slow machine must not turn this into a timing test
    emu.rate_limiter = RateLimiter(RateLimits(None, None), emu.clock)  # prompts in groups
    notices: list[tuple[Chat, list[User], int]] = []
    for g in range(GROUPS):
        secretary = emu.add_user(f"书记{g}")
        members = [emu.add_user(f"党员{g}-{m}") for m in range(MEMBERS)]
        for person in members[::2]:  # half are asked for reasons privately, half in the group
            emu.start_private_chat(person)
        group = await bot.bound_group(f"第{g}支部群", f"第{g}党支部", secretary, members)
        emu.send_text(group, secretary, "/meeting 党课 明天下午3点")
        notice = await emu.wait_for_bot_message(group, contains="📢", timeout=30)
        notices.append((group, members, notice["message_id"]))
    await emu.settle()

    last: dict[int, Rsvp] = {}
    queries = []
    for n in range(PRESSES):
        group, members, message_id = notices[n % GROUPS]
        member = members[(n // GROUPS) % MEMBERS]
        rsvp = Rsvp.LEAVE if last.get(member.id) is Rsvp.YES else Rsvp.YES
        last[member.id] = rsvp
        label = "请假" if rsvp is Rsvp.LEAVE else "参加"
        if len(queries) - len(emu.callback_answers) >= OUTSTANDING:
            await emu.wait_for(
                lambda: len(queries) - len(emu.callback_answers) < OUTSTANDING, timeout=120
            )
        queries.append(emu.press_button(group, member, message_id, text=label))
    await emu.wait_for(lambda: len(emu.callback_answers) == PRESSES, timeout=300)
    await emu.settle(timeout=120)

    answers = [emu.callback_answers[q].text for q in queries]
    assert answers.count(texts.ANSWERED_YES) + answers.count(texts.ANSWERED_LEAVE) == PRESSES
    async with bot.db() as session:
        rows = await session.execute(select(MeetingAnswer.user_id, MeetingAnswer.rsvp))
        stored = {user_id: rsvp for user_id, rsvp in rows}
        leaves = await session.scalar(select(func.count()).where(MeetingAnswer.rsvp == Rsvp.LEAVE))
    assert stored == last
    assert leaves == sum(1 for rsvp in last.values() if rsvp is Rsvp.LEAVE)
    asked = [m for m in emu.sent if "请假原因" in emu.message(*m).get("text", "")]
    assert len(asked) == answers.count(texts.ANSWERED_LEAVE)  # every 请假 asked for its reason
