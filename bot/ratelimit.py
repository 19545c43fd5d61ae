"""Telegram's flood limits, kept per chat: a busy group waits alone, never every chat.

PTB's AIORateLimiter was measured to stall the whole bot (issue 9): its group bucket lets
20 messages out and then one every 3 s, which breaks Telegram's sliding minute, and the
429 that follows (retry_after up to 47 s) paused every chat. Here each chat has its own
sliding window and its own 429 pause; the only thing chats share is the overall pacing.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]
Call = Callable[[], Awaitable[Result]]
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# Overall, Telegram allows about 30 messages in any sliding second per bot. We release one
# message every 1/MESSAGES_PER_SECOND s on a fixed grid: never a burst (31 sends need more
# than a second), a reply in another chat waits at most one slot behind a broadcast, and the
# grid absorbs the event loop's lateness, so a sequential sender still gets 29/s. 29, not
# 30: one message a second of slack for network jitter between our clock and Telegram's.
MESSAGES_PER_SECOND = 29
# The hard cap behind the grid, Telegram's own number, on a sliding window of actual start
# times: when the loop was late and two grid slots fall due together, this holds the second.
OVERALL_MESSAGES, OVERALL_PERIOD = 30, 1.0
# Per group (and channel): 20 messages in any sliding minute, sends and edits alike. A true
# window: 20 may go at once, the 21st only when the 1st is a minute old.
GROUP_MESSAGES, GROUP_PERIOD = 20, 60.0
# Per private chat Telegram asks for about one message a second but lets short bursts
# through; 3 in any 3 s keeps that average without delaying a reply and its follow-up.
PRIVATE_MESSAGES, PRIVATE_PERIOD = 3, 3.0
# Retries of a request answered 429, each after its retry_after (PTB's setting before).
MAX_RETRIES = 3
# Waits end this much later than computed, so the condition holds when we wake even with
# float rounding, and a retry lands after Telegram's window, not on its edge.
SLACK = 0.001
RETRY_SLACK = 0.1
# Chats idle this many at once are forgotten (their windows are empty).
PRUNE_ABOVE = 1024

# Methods that put a message in a chat or change one: what Telegram's budgets count.
_NOT_MESSAGES = frozenset({"sendChatAction"})
_ALSO_MESSAGES = frozenset({"stopPoll", "stopMessageLiveLocation"})
_MESSAGE_PREFIXES = ("send", "editMessage", "copyMessage", "forwardMessage")

ChatKey = int | str


def _ignore(_endpoint: str) -> None:
    """The default hook: nobody watches."""


@dataclass
class LimiterHooks:
    """Told what Telegram answered, by Bot API method (the composition root counts them for
    /metrics; nothing here knows of Prometheus)."""

    retry_after: Callable[[str], None] = _ignore  # a 429, before it is waited out
    sent: Callable[[str], None] = _ignore  # a send or edit Telegram accepted


def counts_as_message(endpoint: str) -> bool:
    """True for sends and edits; answerCallbackQuery, getChatMember, getMe … do not count."""
    if endpoint in _NOT_MESSAGES:
        return False
    return endpoint in _ALSO_MESSAGES or endpoint.startswith(_MESSAGE_PREFIXES)


def chat_key(data: dict[str, Any]) -> ChatKey | None:
    """The chat a request goes to: an int id, an @username (a channel/supergroup), or None."""
    chat_id = data.get("chat_id")
    if chat_id is None:
        return None
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return str(chat_id)


def is_group(chat: ChatKey) -> bool:
    """Groups, supergroups and channels have negative ids; only those have @usernames here."""
    return isinstance(chat, str) or chat < 0


Processes = Callable[[], int]  # how many processes send for this bot now


def one_process() -> int:
    """A bot run by one process has the whole budget."""
    return 1


class SlidingWindow:
    """At most `limit` events in any `period` seconds (the last `limit` event times).

    Several processes of one bot (on one PostgreSQL) share Telegram's budgets without
    talking to each other: each keeps to `limit // processes()`, so together they never
    exceed `limit`.
    """

    def __init__(self, limit: int, period: float, processes: Processes = one_process) -> None:
        self.period, self.limit, self._processes = period, limit, processes
        self.events: deque[float] = deque(maxlen=limit)

    def wait(self, now: float) -> float:
        """Seconds until one more event fits; 0 when it fits now."""
        processes = max(1, self._processes())
        # Alone, the whole limit; shared, one message of slack for the jitter between the
        # processes' clocks and connections (their sends reach Telegram unsynchronised).
        share = self.limit if processes == 1 else max(1, (self.limit - 1) // processes)
        if len(self.events) < share:
            return 0.0
        return max(0.0, self.events[-share] + self.period - now)

    def add(self, now: float) -> None:
        """Count one event at `now`."""
        self.events.append(now)

    def empty(self, now: float) -> bool:
        """True when no event is left in the window."""
        return not self.events or self.events[-1] <= now - self.period


@dataclass
class _Lane:
    """One chat: its window, its 429 pause, and the lock that sends its messages in order."""

    window: SlidingWindow
    paused_until: float = -math.inf
    users: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def wait(self, now: float) -> float:
        """Seconds until the chat may have its next message."""
        return max(self.paused_until - now, self.window.wait(now))

    def idle(self, now: float) -> bool:
        """True when forgetting the chat loses nothing: no one waits, nothing is counted."""
        return self.users == 0 and self.paused_until <= now and self.window.empty(now)


class _Pacer:
    """The overall budget: one release per grid slot, capped by a sliding second."""

    def __init__(self, clock: Clock, sleep: Sleep, processes: Processes) -> None:
        self._clock, self._sleep, self._processes = clock, sleep, processes
        self._next = -math.inf
        self._window = SlidingWindow(OVERALL_MESSAGES, OVERALL_PERIOD, processes)

    async def turn(self) -> None:
        """Wait for this message's slot (taken at once: first come, first served)."""
        now = self._clock()
        slot = max(now, self._next)
        self._next = slot + max(1, self._processes()) / MESSAGES_PER_SECOND
        if slot > now:
            await self._sleep(slot - now)
        while (wait := self._window.wait(self._clock())) > 0:
            await self._sleep(wait + SLACK)
        self._window.add(self._clock())


class ChatRateLimiter(BaseRateLimiter[int]):
    """Per-chat sliding windows and 429 pauses under one overall pacing.

    `rate_limit_args` (an int) overrides the number of retries for one call. The clock
    (monotonic seconds) and sleep are injectable so tests move time without sleeping.
    `processes` says how many processes of the bot send now (bot/services/processes.py):
    each keeps to its share of every budget.
    Paid broadcasts (allow_paid_broadcast) are paced like any message: the bot sends none.
    """

    def __init__(
        self,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        max_retries: int = MAX_RETRIES,
        processes: Processes = one_process,
    ) -> None:
        self._clock, self._sleep, self._processes = clock, sleep, processes
        self._max_retries = max_retries
        self._pacer = _Pacer(clock, sleep, processes)
        self._lanes: dict[ChatKey, _Lane] = {}
        self._prune_above = PRUNE_ABOVE
        self._paused_until = -math.inf  # a 429 without a chat: the bot's own budget
        self.hooks = LimiterHooks()

    @classmethod
    def sped_up(cls, factor: float) -> ChatRateLimiter:
        """The same pacing on a clock `factor` times faster than real time: every window
        still applies, in the same order, in 1/factor of the time (test worlds, the sandbox)."""

        async def sleep(seconds: float) -> None:
            await asyncio.sleep(seconds / factor)

        return cls(clock=lambda: time.monotonic() * factor, sleep=sleep)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Call when the chat's and the bot's budgets allow; retry a 429 after retry_after."""
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        call: Call = partial(callback, *args, **kwargs)
        chat = chat_key(data)
        if not counts_as_message(endpoint):
            return await self._retrying(
                partial(self._unpaced, call), endpoint, chat, None, retries
            )
        if chat is None:
            result = await self._retrying(
                partial(self._paced, call), endpoint, chat, None, retries
            )
        else:
            result = await self._in_chat(call, endpoint, chat, retries)
        self.hooks.sent(endpoint)
        return result

    async def _in_chat(self, call: Call, endpoint: str, chat: ChatKey, retries: int) -> Result:
        lane = self._lane(chat)
        lane.users += 1
        try:
            # One message of a chat at a time, retries included: the chat's order is kept,
            # and every earlier message is in the window before the next one is checked.
            async with lane.lock:
                return await self._retrying(
                    partial(self._in_lane, lane, call), endpoint, chat, lane, retries
                )
        finally:
            lane.users -= 1

    async def _retrying(
        self, attempt: Call, endpoint: str, chat: ChatKey | None, lane: _Lane | None, retries: int
    ) -> Result:
        retried = 0
        while True:
            try:
                return await attempt()
            except RetryAfter as exc:
                self.hooks.retry_after(endpoint)
                if retried >= retries:
                    log.warning("429 for chat %s after %d retries, giving up", chat, retries)
                    raise
                retried += 1
                await self._hold(chat, lane, _seconds(exc))

    async def _hold(self, chat: ChatKey | None, lane: _Lane | None, retry_after: float) -> None:
        """Wait out a 429 where it applies: its chat, everything, or just this request."""
        until = self._clock() + retry_after + RETRY_SLACK
        log.info("429 for chat %s: retry after %.0f s", chat, retry_after)
        if lane is not None:
            lane.paused_until = max(lane.paused_until, until)
        elif chat is None:
            # Telegram names no chat: the bot's overall budget is spent, so every chat waits.
            self._paused_until = max(self._paused_until, until)
        else:
            await self._sleep(until - self._clock())

    async def _unpaced(self, call: Call) -> Result:
        """Not a message (a callback answer, a lookup): only a bot-wide pause holds it."""
        await self._wait_until(lambda now: self._paused_until - now)
        return await call()

    async def _paced(self, call: Call) -> Result:
        """A message: after any bot-wide pause, in its overall slot."""
        await self._wait_until(lambda now: self._paused_until - now)
        await self._pacer.turn()
        return await call()

    async def _in_lane(self, lane: _Lane, call: Call) -> Result:
        """A message to a chat: when the chat's window and pause allow, then paced."""
        await self._wait_until(lane.wait)
        refused = False
        try:
            return await self._paced(call)
        except RetryAfter:
            refused = True  # Telegram did not count it
            raise
        finally:
            if not refused:
                # Counted when the answer is back: Telegram counted it before answering, so
                # our window is never ahead of Telegram's, whatever the network's delay.
                lane.window.add(self._clock())

    async def _wait_until(self, remaining: Callable[[float], float]) -> None:
        while (wait := remaining(self._clock())) > 0:
            await self._sleep(wait + SLACK)

    def _lane(self, chat: ChatKey) -> _Lane:
        lane = self._lanes.get(chat)
        if lane is None:
            self._prune()
            limit, period = (
                (GROUP_MESSAGES, GROUP_PERIOD)
                if is_group(chat)
                else (PRIVATE_MESSAGES, PRIVATE_PERIOD)
            )
            lane = self._lanes[chat] = _Lane(SlidingWindow(limit, period, self._processes))
        return lane

    def _prune(self) -> None:
        """Forget idle chats once there are many; the threshold grows so this stays cheap."""
        if len(self._lanes) < self._prune_above:
            return
        now = self._clock()
        self._lanes = {chat: lane for chat, lane in self._lanes.items() if not lane.idle(now)}
        self._prune_above = max(PRUNE_ABOVE, 2 * len(self._lanes))


def _seconds(exc: RetryAfter) -> float:
    wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class Unpaced(BaseRateLimiter[int]):
    """Every call at once, for a Bot API that enforces no budget: benchmarks of the bot's own
    speed and load tests whose subject is not pacing (ChatRateLimiter has tests of its own)."""

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,  # noqa: ARG002
        data: dict[str, Any],  # noqa: ARG002
        rate_limit_args: int | None,  # noqa: ARG002
    ) -> Any:
        """Make the call at once."""
        return await callback(*args, **kwargs)
