"""党费 from an income: the monthly amount, the bracket a figure falls in (an exact boundary
included), the total for a year (or a quarter, half a year), and each of two or more incomes
in one question (a couple). The rules are in dues_rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from bot.core.computed.dues_rules import (
    CATEGORIES,
    Bracket,
    Category,
    category_of,
    monthly_dues,
)
from bot.core.computed.numbers import Amount, amounts, is_malformed, plain, yuan
from bot.core.computed.result import Computed

_PAY = "交|缴|扣|出|付"
_HOW_MUCH = "多少|几块|几毛|几元|几角|多钱"
_STOP = "[^，。？！?!,；;]"
# The question asks for a sum: 交多少, 该交几块, 党费是多少, 多少党费, 怎么算.
_AMOUNT_ASKED = re.compile(
    rf"(?:{_PAY}){_STOP}{{0,6}}?(?:{_HOW_MUCH})"
    rf"|(?:{_HOW_MUCH}){_STOP}{{0,3}}党费"
    rf"|党费{_STOP}{{0,5}}?(?:{_HOW_MUCH})"
    "|怎么算|咋算|如何算|算一下|算算|帮我算|帮忙算|算下|是多少|算多少|算是多少"
)
# …or for the bracket of a figure: 按0.5%还是1%, 算哪一档, 按多少比例.
_BRACKET_ASKED = re.compile(
    r"%还是|还是[\d.]+%|百分之\S{0,4}还是|哪一?档|哪个档|什么档|几档|档次|哪个比例|什么比例"
    "|多少比例|比例是多少|百分之几|几个点|按多少|适用哪"
)
_PERIODS = (
    # Numerals before 年 are digits by now: 一年 reads 1年.
    (re.compile("一年|(?<![\\d.])1年|全年|每年|一整年|十二个月|(?<![\\d.])12个月"), 12, "一年"),
    (re.compile("半年|六个月|(?<![\\d.])6个月"), 6, "半年"),
    (re.compile("(?<!上)(?:一个?季度|每个?季度?)|三个月|(?<![\\d.])3个月"), 3, "一个季度"),
)
_HOW_MUCH_AFTER = re.compile(rf"{_STOP}{{0,8}}?(?:{_HOW_MUCH})")
_PERSONAL = re.compile("我|俺|本人|咱|我爸|我妈|父亲|母亲|家里")
# Without a figure, only a question about the asker's own dues is a sum to work out.
_RULE_WORDS = re.compile("基数|比例|标准|税前|百分之|包括|算不算|算进|规定")
_INCOME_CUE = re.compile(
    "工资|月薪|薪水|薪资|薪酬|收入|月入|退休金|退休费|离休费|养老金|到手|税后|实发|年薪|挣"
)
_COUNT_AFTER = re.compile("个?月|年|日|号|岁|%|个|次|天|周|人|名|倍|分之|期|季")
# 3000以下, 3000到5000: a bound of the rule, not somebody's income.
_BOUND_AFTER = re.compile(
    r"(?:元|块)?(?:以下|以上|以内|之间|至|到\d|到[一二三四五六七八九]|[-~]\d)"
)
_RANGE_BEFORE = re.compile(r"\d(?:元|块)?(?:到|至|~)$")
_EACH = re.compile(
    "各|分别|每人|每个人|两口子|夫妻|俩|两人|两个人|爱人|老婆|妻子|丈夫|老公|媳妇|老伴|对象"
)
_WHO = re.compile(
    "我爱人|我老婆|我老公|我媳妇|我妻子|我丈夫|我老伴|我爸|我妈|爱人|老婆|老公|媳妇|妻子|丈夫"
    "|老伴|对象|父亲|母亲|本人|我|他|她"
)
_OTHER_LEVY = re.compile(
    "税|社保|公积金|医保|保险|会费|团费|房租|学费|电费|水费|话费|涨|加薪|提成|利息|存款|贷款"
)
_SUM = re.compile("一共|合计|总共|加起来|共交|一起|两人|俩人|两个人")
_SALARIED_WORDS = re.compile("工资|月薪|薪水|在职|上班")
MAX_PEOPLE = 4
_ORDINALS = ("第一位", "第二位", "第三位", "第四位")


@dataclass(frozen=True, slots=True)
class Person:
    """One income of a question about several: who earns it, under which rule."""

    who: str
    income: Amount
    category: Category


def income_amounts(text: str) -> list[Amount]:
    """The figures that can be money: not counts (6个月, 2025年), not bare 一/五 (五险一金),
    not the bounds of a bracket (3000以下)."""
    found = []
    for amount in amounts(text):
        if _COUNT_AFTER.match(text, amount.end) or _BOUND_AFTER.match(text, amount.end):
            continue
        before = text[max(0, amount.start - 6) : amount.start]
        if before.endswith("百分之") or _RANGE_BEFORE.search(before):
            continue
        if amount.negative and before[-1:].isdigit():
            continue  # 3000-5000: a range, not a negative income
        if amount.has_unit or text[amount.start].isdigit() or text[amount.start] in "-−负":
            found.append(amount)
    return found


def _pick_income(text: str, found: list[Amount]) -> Amount | None:
    """The income: the figure right after an income word, else the only figure there is."""
    for amount in found:
        before = text[max(0, amount.start - 8) : amount.start]
        if _INCOME_CUE.search(before):
            return amount
    return found[0] if len(found) == 1 else None


def monthly_from_income(text: str) -> tuple[Decimal, str] | None:
    """The monthly 党费 of the one income a text gives after an income word (工资4000 -> 40),
    rounded to 分 as paid, and how it was found; None when there is none, or it is not a clear
    figure."""
    category = category_of(text)
    if not category.brackets or is_malformed(text):
        return None
    found = [
        a for a in income_amounts(text) if _INCOME_CUE.search(text[max(0, a.start - 8) : a.start])
    ]
    if len(found) != 1 or found[0].vague or found[0].negative or found[0].value <= 0:
        return None
    if "年薪" in text[max(0, found[0].start - 6) : found[0].start]:
        return None
    amount, bracket = monthly_dues(category, found[0].value)
    how = f"每月收入{plain(found[0].value)}元按{_rate(bracket.rate)}计"
    return Decimal(yuan(amount).removesuffix("元")), how


def _rate(rate: Decimal) -> str:
    return f"{plain(rate * 100)}%"


def figure(product: Decimal) -> str:
    """A sum rounded to 分, with the exact product when rounding changed it."""
    exact = yuan(product)
    raw = f"{plain(product)}元"
    return exact if raw == exact else f"{exact}（{raw}，按分四舍五入）"


def _period(text: str) -> tuple[int, str]:
    """How many months the question asks the total of: 一年交多少 -> 12; else 1."""
    for words, months, name in _PERIODS:
        for match in words.finditer(text):
            if _HOW_MUCH_AFTER.match(text, match.end()):
                return months, name
    return 1, ""


def _about_dues(text: str, bracket_asked: re.Match[str] | None) -> bool:
    """党费 named, or left unsaid by someone who gives an income and asks a bracket
    (工资刚好3000 按0.5%还是1%) or a sum as a 党员 (两口子都是党员…一个月交多少)."""
    if "党费" in text:
        return True
    if not _INCOME_CUE.search(text) or _OTHER_LEVY.search(text):
        return False
    return bool(bracket_asked) or "党员" in text


def answer_dues(text: str) -> Computed | None:
    """`月工资4000元交多少党费` -> 40元 and the bracket rule; None when it asks no amount."""
    bracket_asked = _BRACKET_ASKED.search(text)
    if not (_AMOUNT_ASKED.search(text) or bracket_asked) or not _about_dues(text, bracket_asked):
        return None
    category = category_of(text)
    found = income_amounts(text)
    figures = bool(found) or is_malformed(text)
    months, period = _period(text)
    yearly_flat = category.flat is not None and months > 1
    if (
        not figures
        and not yearly_flat
        and (_RULE_WORDS.search(text) or not _PERSONAL.search(text))
    ):
        return None  # a question on the rates or the base: the FAQ entries answer it
    if category.flat is not None:
        return _flat(category, months, period)
    if is_malformed(text):
        return _ask(category, text, None)
    people = _people(text, found)
    if people:
        return _answer_each(people, months, period, text)
    income = _pick_income(text, found)
    if income is None or income.vague or income.negative or income.value <= 0:
        return _ask(category, text, income)
    if "年薪" in text[max(0, income.start - 6) : income.start]:
        return _ask(category, text, None, "年薪是全年的收入，党费按当月实际领取的薪酬计算。")
    amount, bracket = monthly_dues(category, income.value)
    answer = (
        f"{category.name}每月收入{plain(income.value)}元，{_bracket_text(income.value, bracket)}"
        f"每月党费{figure(amount)}。{_total(amount, months, period)}\n规定：{category.rule}。"
    )
    return Computed("dues", answer, category.source)


def _bracket_text(income: Decimal, bracket: Bracket) -> str:
    text = f"属于“{bracket.label}”一档，按{_rate(bracket.rate)}交纳，"
    if bracket.upper is not None and income == bracket.upper:
        text += f"{plain(income)}元正好是这一档的上限，规定写明含{plain(income)}元，不按上一档算；"
    return text


_CAVEAT = "各月收入有变化的，按每月实际收入分别计算。"


def _total(monthly: Decimal, months: int, period: str, caveat: str = _CAVEAT) -> str:
    """`一年（12个月）共480元（40元×12）`: the months of the period times the monthly sum
    rounded to 分, as it is paid."""
    if months == 1:
        return ""
    each = yuan(monthly)
    total = yuan(Decimal(each.removesuffix("元")) * months)
    return f"{period}（{months}个月）共{total}（{each}×{months}）" + (
        f"；{caveat}" if caveat else "。"
    )


def _flat(category: Category, months: int, period: str) -> Computed:
    answer = f"{category.rule}，与收入多少无关。"
    assert category.flat is not None
    low, high = category.flat
    if months > 1:
        span = (
            yuan(low * months) if low == high else f"{yuan(low * months)}至{yuan(high * months)}"
        )
        each = yuan(low) if low == high else f"{yuan(low)}至{yuan(high)}"
        answer += f"{period}（{months}个月）共{span}（每月{each}×{months}）。"
    return Computed("dues", answer, category.source)


def _ask(category: Category, text: str, income: Amount | None, problem: str = "") -> Computed:
    if not problem:
        problem = _problem(text, income)
    answer = f"{problem}{category.rule}。\n{category.ask}"
    return Computed("dues", answer, category.source, complete=False)


def _problem(text: str, income: Amount | None) -> str:
    if is_malformed(text):
        return "没看懂您写的金额。"
    if income is not None and (income.negative or income.value <= 0):
        return "收入应当是大于0的金额。"
    if income is not None and income.vague:
        return "要算准党费，需要确切的金额。"
    return ""


# Several incomes ---------------------------------------------------------------------------


def _people(text: str, found: list[Amount]) -> list[Person]:
    """Each income of a question that names two or more (我4000，爱人3500，各交多少)."""
    if not 2 <= len(found) <= MAX_PEOPLE or not _EACH.search(text):
        return []
    whole = category_of(text)
    people, start = [], 0
    for n, amount in enumerate(found, start=1):
        segment = text[start : amount.start]
        named = [c for c in CATEGORIES[:-1] if c.words.search(segment)]
        if named:
            category = named[0]
        elif _SALARIED_WORDS.search(segment):
            category = CATEGORIES[-1]
        else:
            category = whole
        people.append(Person(_who(segment, n), amount, category))
        start = amount.end
    if len({p.who for p in people}) < len(people):  # 他4000，他3000: told apart by order
        people = [Person(_ORDINALS[n], p.income, p.category) for n, p in enumerate(people)]
    return people


def _who(segment: str, n: int) -> str:
    """Who earns the figure at the end of `segment`: the person named right before it."""
    window = segment[-8:]
    matches = _WHO.findall(window)
    if not matches or re.search("(?:一个|一位|一人|另)$", window):
        return _ORDINALS[n - 1]  # 一个5200一个2600: nobody named for each figure
    word: str = matches[-1]
    if word in ("我", "本人"):
        return "您"
    return "您" + word[1:] if word.startswith("我") else word


def _answer_each(people: list[Person], months: int, period: str, text: str) -> Computed:
    lines, rules, sources = [], [], []
    paid: list[Decimal] = []
    for person in people:
        income, category = person.income, person.category
        if income.vague or income.negative or income.value <= 0:
            return _ask(category, "", income)
        if category.rule not in rules:
            rules.append(category.rule)
            sources.append(category.source)
        if category.flat is not None:
            lines.append(f"{person.who}：{category.rule}，与收入多少无关。")
            continue
        amount, bracket = monthly_dues(category, income.value)
        paid.append(Decimal(yuan(amount).removesuffix("元")))
        lines.append(
            f"{person.who}：{category.name}，每月收入{plain(income.value)}元，"
            f"{_bracket_text(income.value, bracket)}每月党费{figure(amount)}。"
            f"{_total(amount, months, period, caveat='')}"
        )
    if _SUM.search(text) and len(paid) == len(people):
        total = sum(paid, Decimal(0))
        count = "两" if len(people) == 2 else str(len(people))
        lines.append(f"{count}人每月合计{yuan(total)}。{_total(total, months, period, '')}")
    if months > 1:
        lines.append(_CAVEAT)
    answer = (
        "按每个人自己的收入分别计算，各交各的：\n"
        + "\n".join(lines)
        + "\n规定："
        + "；".join(rules)
        + "。"
    )
    return Computed("dues", answer, "；".join(sources))
