"""ChatRateLimiter on virtual time: windows per chat, 429s per chat, overall pacing."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.ratelimit import (
    GROUP_MESSAGES,
    GROUP_PERIOD,
    MESSAGES_PER_SECOND,
    OVERALL_MESSAGES,
    PRIVATE_MESSAGES,
    PRIVATE_PERIOD,
    PRUNE_ABOVE,
    ChatRateLimiter,
    LimiterHooks,
    chat_key,
    counts_as_message,
)
from tests.virtual_time import VirtualTime

GROUP_A, GROUP_B, USER = -1001, -1002, 4242
SLOT = 1 / MESSAGES_PER_SECOND


class FakeTelegram:
    """The callback PTB would pass: records when each call reached 'Telegram'."""

    def __init__(self, time: VirtualTime) -> None:
        self.time = time
        self.calls: list[tuple[str, Any, float]] = []
        self.refuse: dict[Any, list[int]] = {}  # chat -> retry_after of the next answers

    def limiter(self, **options: Any) -> ChatRateLimiter:
        """A limiter on this fake's virtual time."""
        return ChatRateLimiter(clock=self.time.clock, sleep=self.time.sleep, **options)

    async def request(
        self, limiter: ChatRateLimiter, endpoint: str = "sendMessage", **data: Any
    ) -> Any:
        """One Bot API call through the limiter, as ExtBot makes it."""

        async def call(*args: Any, **kwargs: Any) -> dict[str, Any]:
            chat = data.get("chat_id")
            self.calls.append((endpoint, chat, self.time.now))
            waits = self.refuse.get(chat)
            if waits:
                raise RetryAfter(timedelta(seconds=waits.pop(0)))
            return {"ok": True}

        return await limiter.process_request(call, (), {}, endpoint, data, None)

    def times(self, chat: Any = None, endpoint: str | None = None) -> list[float]:
        """When calls (to `chat`, of `endpoint`) reached Telegram, in order."""
        return [
            at
            for method, to, at in self.calls
            if (chat is None or to == chat) and (endpoint is None or method == endpoint)
        ]


@pytest.fixture
def time() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
def telegram(time: VirtualTime) -> FakeTelegram:
    return FakeTelegram(time)


def most_in_any_window(times: list[float], period: float) -> int:
    """The largest number of events in any half-open window (t - period, t]."""
    return max(sum(1 for u in times if t - period < u <= t) for t in times)


async def test_21_sends_in_a_group_never_exceed_the_sliding_minute(
    time: VirtualTime, telegram: FakeTelegram
) -> None:
    limiter = telegram.limiter()
    await time.run(*(telegram.request(limiter, chat_id=GROUP_A) for _ in range(21)))
    times = telegram.times(GROUP_A)
    assert len(times) == 21
    assert times[19] - times[0] < 1  # the first 20 go at once, paced only overall
    assert times[20] - times[0] >= GROUP_PERIOD  # the 21st when the 1st is a minute old
    assert most_in_any_window(times, GROUP_PERIOD) == GROUP_MESSAGES


async def test_a_long_stream_to_one_group_keeps_every_minute_at_20(
    time: VirtualTime, telegram: FakeTelegram
) -> None:
    """Unlike a bucket refilled every 3 s, the 21st..40th wait for the window, not a rate."""
    limiter = telegram.limiter()
    await time.run(*(telegram.request(limiter, chat_id=GROUP_A) for _ in range(65)))
    times = telegram.times(GROUP_A)
    assert most_in_any_window(times, GROUP_PERIOD) == GROUP_MESSAGES
    assert times[-1] - times[0] < 3 * GROUP_PERIOD + 2  # and no slower than the window


async def test_a_group_waiting_for_its_window_does_not_hold_up_other_groups(
    time: VirtualTime, telegram: FakeTelegram
) -> None:
    limiter = telegram.limiter()
    await time.run(*(telegram.request(limiter, chat_id=GROUP_A) for _ in range(20)))
    start = time.now
    busy = telegram.request(limiter, chat_id=GROUP_A)
    other = telegram.request(limiter, chat_id=GROUP_B)
    await time.run(busy, other)
    assert telegram.times(GROUP_B)[0] - start < 2 * SLOT
    assert telegram.times(GROUP_A)[-1] - start > GROUP_PERIOD - 1


async def test_a_429_in_chat_a_delays_chat_a_only_and_is_retried(
    time: VirtualTime, telegram: FakeTelegram
) -> None:
    limiter = telegram.limiter()
    telegram.refuse[GROUP_A] = [30]
    first = telegram.request(limiter, chat_id=GROUP_A)
    later = telegram.request(limiter, chat_id=GROUP_A)

    async def other_chat_meanwhile() -> None:
        await time.sleep(1)  # after the 429
        await telegram.request(limiter, chat_id=GROUP_B)
        await telegram.request(limiter, chat_id=USER)

    await time.run(first, later, other_chat_meanwhile())
    a_times = telegram.times(GROUP_A)
    assert len(a_times) == 3  # refused, retried, the later one
    assert a_times[1] - a_times[0] >= 30  # the retry waited retry_after
    assert a_times[2] >= a_times[1]  # the later one kept its place behind it
    assert telegram.times(GROUP_B)[0] - a_times[0] < 1.5
    assert telegram.times(USER)[0] - a_times[0] < 1.5


async def test_a_message_without_a_chat_is_retried_after_its_429(
    time: VirtualTime, telegram: FakeTelegram
) -> None:
    limiter = telegram.limiter()
    telegram.refuse[None] = [5]
    await time.run(telegram.request(limiter, "editMessageText", inline_message_id="x"))
    assert len(telegram.times()) == 2
    assert telegram.times()[1] - telegram.times()[0] >= 5


async def test_a_global_pause_holds_messages_to_other_chats(
    time: VirtualTime, telegram: FakeTelegram
) -> None:
    limiter = telegram.limiter()
    telegram.refuse[None] = [5]
    refused = telegram.request(limiter, "getMe")

    async def message_meanwhile() -> None:
        await time.sleep(1)
        await telegram.request(limiter, chat_id=GROUP_B)

    await time.run(refused, message_meanwhile())
    started = telegram.times(endpoint="getMe")[0]
    assert telegram.times(GROUP_B)[0] - started >= 5


async def test_retries_end_after_max_retries(time: VirtualTime, telegram: FakeTelegram) -> None:
    limiter = telegram.limiter(max_retries=2)
    telegram.refuse[GROUP_A] = [1, 1, 1, 1]
    with pytest.raises(RetryAfter):
        await time.run(telegram.request(limiter, chat_id=GROUP_A))
    assert len(telegram.times(GROUP_A)) == 3


async def test_overall_one_message_per_slot_and_never_a_burst(
    time: VirtualTime, telegram: FakeTelegram
) -> None:
    limiter = telegram.limiter()
    chats = [-2000 - n for n in range(100)]
    await time.run(*(telegram.request(limiter, chat_id=chat) for chat in chats))
    times = telegram.times()
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= SLOT - 1e-9
    assert most_in_any_window(times, 1.0) <= MESSAGES_PER_SECOND + 1
    assert times[-1] - times[0] == pytest.approx(99 * SLOT)


async def test_a_late_event_loop_cannot_squeeze_more_than_30_into_a_second(
    time: VirtualTime, telegram: FakeTelegram
) -> None:
    """Grid slots that fall due together (the loop was busy) are held by the hard cap."""
    blocked = BlockedLoop(time, (time.now + 1.0, time.now + 1.4))
    limiter = ChatRateLimiter(clock=time.clock, sleep=blocked)
    await time.run(*(telegram.request(limiter, chat_id=-3000 - n) for n in range(120)))
    assert most_in_any_window(telegram.times(), 1.0) <= OVERALL_MESSAGES


async def test_callback_answers_and_lookups_are_not_limited(
    time: VirtualTime, telegram: FakeTelegram
) -> None:
    limiter = telegram.limiter()
    await time.run(*(telegram.request(limiter, chat_id=GROUP_A) for _ in range(20)))
    start = time.now
    free = [
        telegram.request(limiter, "answerCallbackQuery", callback_query_id=str(n))
        for n in range(50)
    ]
    free += [
        telegram.request(limiter, "getChatMember", chat_id=GROUP_A, user_id=1) for _ in range(5)
    ]
    await time.run(*free)
    assert telegram.times(endpoint="answerCallbackQuery") == [start] * 50
    assert telegram.times(endpoint="getChatMember") == [start] * 5


async def test_a_private_chat_gets_about_one_message_a_second(
    time: VirtualTime, telegram: FakeTelegram
) -> None:
    limiter = telegram.limiter()
    await time.run(*(telegram.request(limiter, chat_id=USER) for _ in range(9)))
    times = telegram.times(USER)
    assert most_in_any_window(times, PRIVATE_PERIOD) == PRIVATE_MESSAGES
    assert times[-1] - times[0] == pytest.approx(6, abs=0.2)  # 9 messages, 3 per 3 s


async def test_idle_chats_are_forgotten(time: VirtualTime, telegram: FakeTelegram) -> None:
    limiter = telegram.limiter()
    await time.run(*(telegram.request(limiter, chat_id=-5000 - n) for n in range(PRUNE_ABOVE)))
    time.now += GROUP_PERIOD
    await time.run(telegram.request(limiter, chat_id=GROUP_A))
    assert len(limiter._lanes) == 1


@pytest.mark.parametrize(
    ("endpoint", "counted"),
    [
        ("sendMessage", True),
        ("sendPoll", True),
        ("copyMessage", True),
        ("forwardMessage", True),
        ("editMessageText", True),
        ("editMessageReplyMarkup", True),
        ("stopPoll", True),
        ("sendChatAction", False),
        ("answerCallbackQuery", False),
        ("getChatMember", False),
        ("getMe", False),
        ("setMyCommands", False),
        ("deleteMessage", False),
    ],
)
def test_what_counts_as_a_message(endpoint: str, counted: bool) -> None:
    assert counts_as_message(endpoint) is counted


def test_chat_keys() -> None:
    assert chat_key({"chat_id": -100}) == -100
    assert chat_key({"chat_id": "-100"}) == -100
    assert chat_key({"chat_id": "@branch"}) == "@branch"
    assert chat_key({"inline_message_id": "x"}) is None


class BlockedLoop:
    """A sleep whose sleepers due while the loop was blocked all wake when it frees up."""

    def __init__(self, time: VirtualTime, blocked: tuple[float, float]) -> None:
        self.time, self.blocked = time, blocked

    async def __call__(self, seconds: float) -> None:
        start, end = self.blocked
        deadline = self.time.now + seconds
        await self.time.sleep((end if start <= deadline < end else deadline) - self.time.now)


async def test_hooks_hear_each_429_and_each_accepted_message(
    telegram: FakeTelegram, time: VirtualTime
) -> None:
    """What /metrics counts: every 429 Telegram answered, and sends it accepted (not getMe)."""
    limiter = telegram.limiter()
    heard: list[tuple[str, str]] = []
    limiter.hooks = LimiterHooks(
        retry_after=lambda method: heard.append(("429", method)),
        sent=lambda method: heard.append(("sent", method)),
    )
    telegram.refuse[USER] = [2, 1]
    await time.run(
        telegram.request(limiter, chat_id=USER),
        telegram.request(limiter, "editMessageText", chat_id=GROUP_A),
        telegram.request(limiter, "getMe"),
    )
    assert sorted(heard) == [
        ("429", "sendMessage"),
        ("429", "sendMessage"),
        ("sent", "editMessageText"),
        ("sent", "sendMessage"),
    ]

    heard.clear()
    telegram.refuse[USER] = [1]
    with pytest.raises(RetryAfter):
        await time.run(limiter.process_request(always_refused, (), {}, "sendMessage", {}, 0))
    assert heard == [("429", "sendMessage")]  # refused for good: heard, never counted as sent


async def always_refused(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """A Bot API call that Telegram answers 429 every time."""
    raise RetryAfter(timedelta(seconds=1))
