"""Computed answers: questions that need arithmetic on an amount or a date.

`compute_answer(question, today)` recognises 党费 from an income (a month, a year, each of
two incomes, the bracket of a boundary figure), back pay, the earliest day to become a
发展对象, the end of the 预备期, 党龄 (入党周年, the 50-year medal) and the earliest path from
入党申请 to 预备党员, and answers with the figure and the rule, citing it; when the numbers
are missing it gives the rule and asks for them. A question must ask for the quantity a kind
computes. One on another subject that merely names a date or 党费 (开除, 脱党, a branch's own
accounts: see subjects.py), or anything it cannot read, returns None and goes to the FAQ
matcher: a wrong answer is worse than none. Pure: `today` is passed in (the local date).

Cheap for the questions it does not handle: one regular-expression search decides whether to
look further (bench/faq.py measures it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from bot.core.computed.arrears import answer_arrears
from bot.core.computed.dates import BadDate, digits_for_chinese, find_dates
from bot.core.computed.dues import answer_dues
from bot.core.computed.membership import (
    Question,
    answer_candidate,
    answer_probation,
    answer_timeline,
)
from bot.core.computed.numbers import fold
from bot.core.computed.party_age import answer_party_age
from bot.core.computed.result import KINDS, LABEL_PREFIX, Computed
from bot.core.computed.subjects import other_subject

__all__ = ["KINDS", "LABEL_PREFIX", "Computed", "compute_answer", "kind_of"]

MAX_CHARS = 200  # longer messages are discussions, not a sum to work out
# Every kind needs one of these words; most questions stop here.
_GATE = re.compile(
    "党费|党员|%|百分之|档|预备期|预备党员|转正|积极分子|发展对象|党龄|纪念章|入党|入的党|申请"
)
_DATED: tuple[Callable[[Question], Computed | None], ...] = (
    answer_party_age,
    answer_candidate,
    answer_timeline,
    answer_probation,
)


def compute_answer(question: str, today: date) -> Computed | None:
    """The computed answer to a question, or None when it is not one (see the module doc)."""
    if len(question) > MAX_CHARS or not _GATE.search(question):
        return None
    text = digits_for_chinese(fold(question))
    if other_subject(text):
        return None  # 开除党籍后多久能再申请, 党费余额多少: not a sum of ours
    if "党费" in text:
        return answer_arrears(text) or answer_dues(text)
    if (dues := answer_dues(text)) is not None:  # 工资3000按0.5%还是1%: 党费 left unsaid
        return dues
    try:
        dates = find_dates(text, today)
    except BadDate:
        return None  # 2月30日: not a date we can work from; the matcher may still help
    q = Question(text, dates, today)
    for answer in _DATED:
        if (found := answer(q)) is not None:
            return found
    return None


def kind_of(question: str, today: date) -> str | None:
    """The kind of computed answer a question gets ("dues" …), or None (for evaluations)."""
    computed = compute_answer(question, today)
    return None if computed is None else computed.kind
