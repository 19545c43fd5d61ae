"""Issue 9: a command fuzzer through the emulator.

Every command of the registry (and a few unknown ones) is sent with random arguments, by a
member and by a manager, in the group and privately; every kind of button is pressed with
forged data. Arguments follow the command's usage (its registry `args`, the /study and
/faq verbs) with every placeholder filled from pools of awkward values (empty, long, Chinese,
emoji, numbers tiny and huge, `#12`, `²`, control characters, RTL marks, HTML, Markdown),
so that the odd values reach deep code, not only the usage message. The bot must answer
each (a message in that chat, or the button's answer), never with texts.ERROR_GENERIC, and
log no error from handlers.errors. A seeded generator makes every run send the same inputs;
a failure lists the ones that broke.
"""

from __future__ import annotations

import logging
import random
import zlib
from collections.abc import AsyncIterator, Callable, Iterator

import pytest
import pytest_asyncio

from bot import texts
from bot.commands import COMMANDS, Command, Where
from emulator.world import Chat, User
from tests.e2e.harness import ModuleEnv
from tests.e2e.permission_world import Caller, World, build_world

pytestmark = pytest.mark.asyncio(loop_scope="module")

TRIES = 2  # inputs per command and place where it works (one where it does not)
UNKNOWN = [Command("foo", "", Where.ANYWHERE), Command("meeting_infox", "", Where.ANYWHERE)]
NUMBERS = ["1", "0", "#1", "＃２", "١", "²", "-1", "2147483648", "99999999999999999999999"]
TEXTS = [
    *["", "张三", "第一党支部", "党" * 120, "支委会 " * 500, "🙂", "👨‍👩‍👧🇨🇳", "\u200b"],
    *["\u200f\u202e党员", "\ufeff", "\x07\x1b[31m", "a\r\nb\tc", "<b>粗</b>", "5<6 & 7>3"],
    *["*粗* _斜_ `x` [链](http://x)", "\\", "%s {0}", "'; DROP TABLE users; --", "ﾃｽﾄＡ"],
    *["明天下午3点", "2026-12-05 15:00", "每月第一个周五 15:00", "0001-01-01 00:00", "默认"],
    *["2h,30m", "不提醒", "下级组织", "@dangjian_test_bot", "/help", "支委会", "党课"],
]
# The shapes of /study, /study_stats and /faq arguments (the registry lists only verbs);
# `$` marks a placeholder, filled from the pools.
VERBS = {
    "study": [
        "template",
        "add",
        "edit $编号 $字段 $值",
        "delete $编号",
        "import",
        "help",
        "$名称",
    ],
    "study_stats": ["$编号", "$编号 $名称", "$名称"],
    "faq": ["pending", "add", "list", "edit $编号 $字段 $值", "delete $编号", "export 全部", "$x"],
}
FIELDS = ["标题", "发布时间", "讨论题", "范围", "问题", "问法", "答案", "出处", "时间", "地点"]
TIMES = ["明天下午3点", "2026-12-05 15:00", "0001-01-01 00:00", "9999-12-31 23:59", "2月30日 9点"]
# Plausible values of some placeholders, so that the odd ones after them are reached.
SAMPLES = {
    "$类型": ["支委会", "党课", "其他"],
    "$时间": [*TIMES, "每月第一个周五 15:00", "每年2月30日 9:00", "每周八 9:00"],
    "$新内容": [*TIMES, "2h,30m", "0s", "99999d", "默认", "不提醒", "三楼会议室"],
    "$组织名称": ["第一党支部", "城关镇党委", "第二党支部"],
    "$上级组织名称": ["城关镇党委", "第一党支部"],
    "$领域": ["机关", "农村", "其他"],
    "$问题": ["预备党员有表决权吗？", "党费怎么交", "收到"],
}


class Pools:
    """Values cycled in a shuffled order: over a few tries each kind of value comes up."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._cycles: dict[str, Iterator[str]] = {}

    def take(self, kind: str, values: list[str]) -> str:
        """The next value of a kind."""
        if kind not in self._cycles:
            self._cycles[kind] = self._cycle(values)
        return next(self._cycles[kind])

    def _cycle(self, values: list[str]) -> Iterator[str]:
        while True:
            shuffled = values[:]
            self.rng.shuffle(shuffled)
            yield from shuffled


def usages(command: Command) -> list[str]:
    """The shapes of a command's arguments: `编号 时间/地点` gives `$编号 时间`, `$编号 地点`."""
    if command.name in VERBS:
        return VERBS[command.name]
    shapes = [""]
    for slot in command.args.replace("[", "").replace("]", "").split():
        options = slot.split("/")
        words = options if len(options) > 1 else [f"${slot}"]  # a choice, or a placeholder
        shapes = [f"{shape} {word}".strip() for shape in shapes for word in words]
    return shapes


def arguments(command: Command, pools: Pools) -> str:
    """One input: a usage with its placeholders filled, now and then garbage instead."""
    if pools.rng.random() < 0.15:
        return pools.take("garbage", TEXTS)
    words = []
    for word in pools.take("usage", usages(command)).split():
        if not word.startswith("$"):
            words.append(word)
        elif "编号" in word:
            words.append(pools.take("number", NUMBERS))
        elif word == "$字段":
            words.append(pools.take("field", FIELDS))
        elif word in SAMPLES and pools.rng.random() < 0.6:
            words.append(pools.take(word, SAMPLES[word]))
        else:
            words.append(pools.take("text", TEXTS))
    return " ".join(words)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(module_env: ModuleEnv) -> AsyncIterator[World]:
    """The county of the permission matrix, built once per backend."""
    yield await build_world(module_env)


def places(world: World, command: Command) -> list[tuple[str, Chat | User, User, int]]:
    """(who, where, as whom, tries): a member and a manager, in the group and privately."""
    member, parent = world.callers[Caller.MEMBER], world.callers[Caller.PARENT]
    tries = {True: TRIES, False: 1} if command not in UNKNOWN else {True: 1, False: 1}
    return [
        ("member in the group", world.group, member, tries[command.usable_in(False)]),
        ("manager in the group", world.group, world.secretary, tries[command.usable_in(False)]),
        ("member privately", member, member, tries[command.usable_in(True)]),
        ("manager privately", parent, parent, tries[command.usable_in(True)]),
    ]


def problem_of(said: list[str], errors: list[logging.LogRecord], silent_ok: bool) -> str:
    """What is wrong with the bot's answer to one input ("" when nothing)."""
    if errors:
        error = errors[0].exc_info[1] if errors[0].exc_info else None
        return f"logged {type(error).__name__}: {str(error)[:80]}"
    if texts.ERROR_GENERIC in said:
        return "answered ERROR_GENERIC"
    return "" if said or silent_ok else "no answer"


async def attempt(
    world: World,
    caplog: pytest.LogCaptureFixture,
    act: Callable[[], object],
    chat: Chat | User,
    answers: bool = True,
) -> tuple[list[str], list[logging.LogRecord]]:
    """Do one thing; what the bot said in `chat` (or to a button) and the errors it logged
    (handlers.errors for a handler's exception; any other logger counts too)."""
    caplog.clear()
    said = await world.said(act, chat, answers=answers)
    return said, [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("command", [*COMMANDS, *UNKNOWN], ids=lambda command: command.name)
async def test_any_arguments_get_an_answer(
    world: World, command: Command, caplog: pytest.LogCaptureFixture
) -> None:
    pools = Pools(random.Random(zlib.crc32(command.name.encode())))
    caplog.set_level(logging.ERROR)
    failures = []
    try:
        for who, chat, user, tries in places(world, command):
            for _ in range(tries):
                text = f"/{command.name} {arguments(command, pools)}".strip()[:4096]
                act = lambda c=chat, u=user, t=text: world.emu.send_text(c, u, t)  # noqa: E731
                # Unknown commands may go unanswered: they could be another bot's.
                unknown = command in UNKNOWN
                said, errors = await attempt(world, caplog, act, chat, answers=not unknown)
                if problem := problem_of(said, errors, silent_ok=unknown):
                    failures.append(f"{who}: {text[:70]!r}: {problem}")
    finally:
        await world.bind(world.group, world.org_id)  # /unbind and /bind may have moved it
    assert not failures, "\n".join(failures)


BUTTONS = [
    *["m:rsvp:{n}:y", "m:ci:{n}", "m:nudge:{n}", "study:done:{n}", "study:mk:{n}"],
    *["faq:pa:{n}", "faq:pd:{n}", "faq:o{n}", "faq:s{n}", "bc:{n}:own", "bc:{n}:ok"],
    *["bind:{n}:y", "m:new:{n}", "study:add:{n}", "faq:new:{n}"],
]


@pytest.mark.parametrize("data", BUTTONS)
async def test_any_forged_button_gets_an_answer(
    world: World, data: str, caplog: pytest.LogCaptureFixture
) -> None:
    pools = Pools(random.Random(zlib.crc32(data.encode())))
    caplog.set_level(logging.ERROR)
    member, parent = world.callers[Caller.MEMBER], world.callers[Caller.PARENT]
    failures = []
    for who, chat, user in [
        ("member in the group", world.group, member),
        ("manager in the group", world.group, world.secretary),
        ("manager privately", parent, parent),
    ]:
        pressed = data.format(n=pools.take("number", [*NUMBERS[:2], *NUMBERS[-4:]]))
        under = world.last_bot_message(chat)["message_id"]
        queries: list[str] = []

        def act(c: Chat | User = chat, u: User = user, d: str = pressed, m: int = under) -> None:
            queries.append(world.emu.forge_button(c, u, m, d))  # noqa: B023 - run at once

        said, errors = await attempt(world, caplog, act, chat)
        answered = queries[0] in world.emu.callback_answers
        if problem := problem_of(said if answered else [], errors, silent_ok=False):
            failures.append(f"{who}: {pressed!r}: {problem}")
    assert not failures, "\n".join(failures)


FLOWS = {
    "meeting": ("/meeting", "m:new:committee"),
    "study": ("/study add", ""),
    "study (private)": ("/study add 第一党支部", ""),
    "faq": ("/faq add", ""),
}
# Replies to the current question (commands are no answers: the flow leaves them alone).
ANSWERS = [
    *[text for text in TEXTS if not text.startswith("/")],
    *[*TIMES, *FIELDS, "无", "跳过", "发布后7天", "本组织", "题|甲|乙|甲", "a|b"],
]


@pytest.mark.parametrize("flow", FLOWS)
async def test_any_answers_to_a_guided_flow_get_an_answer(
    world: World, flow: str, caplog: pytest.LogCaptureFixture
) -> None:
    pools = Pools(random.Random(zlib.crc32(flow.encode())))
    caplog.set_level(logging.ERROR)
    parent = world.callers[Caller.PARENT]
    manager, chat = (parent, parent) if "private" in flow else (world.secretary, world.group)
    start, button = FLOWS[flow]
    await world.command(chat, manager, start)
    if button:
        await world.press(chat, manager, world.last_bot_message(chat)["message_id"], button)
    failures = []
    for _ in range(6):
        text = pools.take("answer", ANSWERS) or "无"
        prompt = world.last_bot_message(chat)
        if "inline_keyboard" in prompt.get("reply_markup", {}):
            break  # every step answered: the flow waits for 确认 / 取消

        def act(t: str = text, m: dict[str, object] = prompt) -> None:
            world.emu.send_text(chat, manager, t, reply_to=m)

        said, errors = await attempt(world, caplog, act, chat)
        if problem := problem_of(said, errors, silent_ok=False):
            failures.append(f"{text[:40]!r}: {problem}")
    await world.command(chat, manager, "/cancel", answers=False)  # answered if still drafting
    assert not failures, "\n".join(failures)
