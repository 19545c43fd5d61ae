"""What a question is about, beyond the words that bring it to a computed kind.

A question can name 入党 or 党费 and carry a date or a figure, yet ask about something the
computed kinds do not work out: discipline (开除, 脱党, 处分), a branch's own accounts (余额,
交了没有, 收了多少), what counts as income. Answering those with a membership timeline or a
bracket rule is wrong, and a wrong answer is worse than none: they are declined here and go
to the FAQ matcher. Each kind also checks that the question asks for its own quantity.
"""

from __future__ import annotations

import re

# Another subject, whatever the kind: these have their own rules, periods and people.
OTHER_SUBJECT = re.compile(
    # Discipline and leaving the Party: not the path of a member in good standing.
    "开除|除名|脱党|劝退|出党|处分|处理|留党察看|撤销党内|取消预备党员|取消资格|取消了"
    "|恢复党籍|停止党籍|党籍|重新入党|再次入党|重新申请|再申请|违纪|违法|犯罪|判刑|失联"
    "|不合格|限期改正|组织处置"
    # A member who has died: 党龄 and dues stop, and the questions are about honours.
    "|去世|逝世|过世|病故|牺牲|身故"
    # A branch's own records: figures the bot does not have.
    "|余额|结余|账目|账上|账本|记账|台账|明细|收缴|收了|收齐|交齐|交了没|交没交|有没有交"
    "|交了吗|交过没|交了多少|谁没交|谁还没|哪些人|多少人|几个人|统计|汇总|报表|上缴"
    "|还剩|剩下|剩多少|结存|全支部|全体|大家|所有党员|支部的党费|支部党费|党员们"
    r"|\d+(?:个|名|位)党员|支部(?:每月|每个月|一年|全年|一共|总共)"
)
# 党费 only: the base or the duty itself is in question, not the sum for an income.
DUES_OTHER_SUBJECT = re.compile(
    "特殊党费|自愿|多交|少交|免交|减免|减交|困难|退还|退回|返还|使用|下拨"
    "|奖金|年终|绩效|补发|津贴|补贴|加班费|一次性|提成|分红"
)
# Dates of joining: a question on what to do, not on when.
PROCEDURE = re.compile(
    "材料|手续|需要什么|要什么|准备什么|怎么写|谁批|找谁|去哪|哪里|流程|程序|培训|谈话|政审|公示"
    "|介绍人|考察什么|考察内容|表现|条件|待遇|补贴"
)


def other_subject(text: str) -> bool:
    """Whether a folded question is about something no computed kind answers."""
    if OTHER_SUBJECT.search(text):
        return True
    return "党费" in text and bool(DUES_OTHER_SUBJECT.search(text))
