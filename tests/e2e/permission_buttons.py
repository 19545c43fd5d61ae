"""The permission matrix's rows for buttons (see permission_cases.py for the commands).

Each callback pattern a manager's button sends has a row; the buttons any member presses
for themself (参加, 签到, 已学习, a suggested question) are listed apart.
"""

from __future__ import annotations

from typing import Any

from bot.texts import broadcast as broadcast_texts
from bot.texts import faq as faq_texts
from bot.texts import meetings as meeting_texts
from bot.texts import minutes as minutes_texts
from bot.texts import study as study_texts
from emulator.world import User
from tests.e2e.permission_cases import MANAGERS, Action, Arrange, Case, secretary_says
from tests.e2e.permission_world import ORG, World

NOT_YOURS = broadcast_texts.NOT_YOURS  # only the person who started a broadcast
SHORT_REFUSAL = meeting_texts.MANAGERS_ONLY  # the notice's button answers in an alert


def data_of(message: dict[str, Any], row: int = 0, column: int = 0) -> str:
    """The callback data of a button of a message."""
    return str(message["reply_markup"]["inline_keyboard"][row][column]["callback_data"])


async def nudge(w: World, user: User) -> Action:
    """提醒未回复 under a new meeting's notice."""
    meeting = await w.new_meeting()
    notice = await w.notice_of(meeting.id)
    return lambda: w.press(w.group, user, notice, f"m:nudge:{meeting.id}")


async def broadcast_scope(w: World, user: User) -> Action:
    """本组织 under a /broadcast prompt: the caller's own when they may start one."""
    starter = user if w.caller_of(user) in MANAGERS else w.secretary
    replied = await secretary_says(w)
    await w.command(w.group, starter, "/broadcast", reply_to=replied)
    prompt = w.last_bot_message(w.group)
    number = data_of(prompt).split(":")[1]
    return lambda: w.press(w.group, user, prompt["message_id"], f"bc:{number}:own")


def pending_button(action: str) -> Arrange:
    """答复 (pa) or 忽略 (pd) under the secretary's /faq pending list."""

    async def arrange(w: World, user: User) -> Action:
        question = await w.new_pending_question()
        await w.command(w.group, w.secretary, "/faq pending")
        listing = w.last_bot_message(w.group)
        return lambda: w.press(w.group, user, listing["message_id"], f"faq:{action}:{question}")

    return arrange


def guided(start: str, answers: list[str], confirm: str) -> Arrange:
    """A guided flow: allowed callers start it, answer every prompt and press `confirm`;
    the others press `confirm` under the prompt of the secretary's own draft."""

    async def arrange(w: World, user: User) -> Action:
        allowed = w.caller_of(user) in MANAGERS
        await w.command(w.group, user if allowed else w.secretary, start)
        prompt = w.last_bot_message(w.group)
        if not allowed:
            return lambda: w.press(w.group, user, prompt["message_id"], confirm)

        async def fill_in() -> list[str]:
            said: list[str] = []
            for answer in answers:
                asked = w.last_bot_message(w.group)
                if answer.startswith("button:"):
                    said += await w.press(w.group, user, asked["message_id"], answer[7:])
                else:
                    said += await w.command(w.group, user, answer, reply_to=asked)
            confirmation = w.last_bot_message(w.group)
            return said + await w.press(w.group, user, confirmation["message_id"], confirm)

        return fill_in

    return arrange


NEW_MEETING = guided(
    "/meeting", ["button:m:new:committee", "2026-12-06 15:00", "党员活动室", "无"], "m:new:ok"
)
NEW_TOPIC = guided(
    "/study add",
    [
        "学习党章总纲",
        "2026-12-04 09:00",
        "学习党章总纲。",
        "无",
        "党员有哪些义务？\n如何发挥先锋模范作用？",
        "发布后7天",
        "无",
        "本组织",
    ],
    "study:add:ok",
)
NEW_ENTRY = guided(
    "/faq add",
    [
        "党员活动室什么时候开放？",
        "活动室几点开门\n活动室开放时间\n活动室周末开吗",
        "活动室 开放",
        "每周一至周五9:00-17:00开放。",
        "本支部委员会决定",
    ],
    "faq:new:ok",
)


async def bind_request(w: World, user: User) -> Action:
    """同意 under a bind request: approvers have it privately; others forge it."""
    n = next(w.numbers)
    admin = w.emu.add_user(f"新群管理员{n}")
    w.emu.start_private_chat(admin)
    group = w.emu.add_group(f"新群{n}", admins=[admin], bot_admin=True)
    w.undo.append(lambda: w.bind(group, None))
    await w.command(group, admin, f"/bind {ORG}")
    number = await w.pending_bind_request()
    if w.caller_of(user) in MANAGERS:  # asked privately, with 同意 / 拒绝
        message = await w.emu.wait_for_bot_message(user, contains="绑定申请")
    else:
        message = w.last_bot_message(user)
    return lambda: w.press(user, user, message["message_id"], f"bind:{number}:y")


async def ledger_pick(w: World, user: User) -> Action:
    """An organisation picked for /ledger, pressed (forged for those never offered it) in
    the caller's private chat."""
    message = w.last_bot_message(user)
    data = f"ledger:{w.org_id}:2026年第4季度"
    return lambda: w.press(user, user, message["message_id"], data)


async def record_done(w: World, user: User) -> Action:
    """完成 under a drafted record (forged under the group's newest message)."""
    number = await w.past_meeting(content="学习了支部工作条例")
    message = w.last_bot_message(w.group)
    return lambda: w.press(w.group, user, message["message_id"], f"rec:done:{number}")


# fmt: off
BUTTON_CASES: dict[str, list[Case]] = {
    # The notice's button answers with a shorter refusal (it is an alert).
    r"^m:nudge:\d{1,9}$": [Case("nudge", nudge, meeting_texts.NUDGE_DONE, SHORT_REFUSAL)],
    # Only the person who started a broadcast presses its buttons (a superadmin too).
    r"^bc:\d{1,9}:\w+$": [Case("scope", broadcast_scope, "范围：本组织", NOT_YOURS)],
    r"^faq:p[ad]:\d{1,9}$": [
        Case("answer", pending_button("pa"), "【答复问题】", writes=False),
        Case("dismiss", pending_button("pd"), "已忽略"),
    ],
    # Guided flows: only the person drafting presses their prompts' buttons.
    "^m:new:": [Case("meeting", NEW_MEETING, "已发布会议通知", meeting_texts.FLOW_NOT_YOURS)],
    r"^study:add:": [Case("topic", NEW_TOPIC, "已添加第", study_texts.FLOW_NOT_YOURS)],
    r"^faq:new:": [Case("entry", NEW_ENTRY, "已保存为第", faq_texts.FLOW_NOT_YOURS)],
    # Approvers: the post-holders of the organisation and above, and the superadmins.
    r"^bind:\d{1,9}:[yn]$": [Case("approve", bind_request, "已同意")],
    # The ledger, or that its period has no meeting yet: both past the access check.
    r"^ledger:\d{1,9}:\S{1,40}$": [Case("ledger", ledger_pick, "台账", writes=False)],
    # Managers of the meeting's organisation close its record.
    r"^rec:done:\d{1,9}$": [
        Case("record done", record_done, "会议记录第1版已完成", minutes_texts.ONLY_MANAGERS)
    ],
}
# fmt: on
# Buttons anyone may press, each for themself: not in the matrix.
MEMBER_BUTTONS = {
    r"^duty:pick:\d{1,12}:\d{1,12}$",  # the reporter's own (checked by the service)
    r"^m:rsvp:\d{1,9}:[yl]$",
    r"^m:ci:\d{1,9}$",
    r"^study:(done|mk):\d{1,9}$",
    r"^faqr?:[so]\w{1,40}$",
}
