"""党费: the monthly amount from an income, and back pay (months × monthly amount).

Rules of 《关于中国共产党党费收缴、使用和管理的规定》 (中组发〔2008〕3号), numbered as in the
copies of its 收缴 part: 第一条 (税后 base), 第二条 (在职 brackets), 第三条 (年薪制),
第四条 (个体经营者), 第五条 (离退休), 第六条 (农民, 学生, 下岗失业, 低保), 第十二条 (补交
一般不超过6个月); 党章 第九条 (six months without dues: 自行脱党). A bracket's rate applies
to the whole income, not progressively, and each upper bound is included (含3000元).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from bot.core.computed.numbers import Amount, amounts, chinese_integer, is_malformed, plain, yuan
from bot.core.computed.result import Computed

DOC = "《关于中国共产党党费收缴、使用和管理的规定》"
CHARTER = "《中国共产党章程》"
MAX_MONTHS = 600


@dataclass(frozen=True, slots=True)
class Bracket:
    """One band: incomes up to `upper` (included; None: no limit) pay `rate`."""

    upper: Decimal | None
    rate: Decimal
    label: str


SALARY = (
    Bracket(Decimal(3000), Decimal("0.005"), "3000元以下（含3000元）"),
    Bracket(Decimal(5000), Decimal("0.01"), "3000元以上至5000元（含5000元）"),
    Bracket(Decimal(10000), Decimal("0.015"), "5000元以上至10000元（含10000元）"),
    Bracket(None, Decimal("0.02"), "10000元以上"),
)
RETIRED = (
    Bracket(Decimal(5000), Decimal("0.005"), "5000元以下（含5000元）"),
    Bracket(None, Decimal("0.01"), "5000元以上"),
)
SALARY_RULE = (
    "每月工资收入（税后）3000元以下（含3000元）的交0.5%，3000元以上至5000元（含5000元）的交1%，"
    "5000元以上至10000元（含10000元）的交1.5%，10000元以上的交2%；"
    "按所在档次的比例乘以全部收入，不分段累进"
)
RETIRED_RULE = (
    "离退休党员以每月实际领取的离退休费总额或养老金总额为基数，"
    "5000元以下（含5000元）的交0.5%，5000元以上的交1%"
)
FARMER_RULE = "农民党员每月交纳党费0.2元至1元"
LOW_INCOME_RULE = (
    "学生党员、下岗失业的党员、依靠抚恤或救济生活的党员、领取当地最低生活保障金的党员，"
    "每月交纳党费0.2元"
)
ARREARS_RULE = (
    "遇到特殊情况，经党支部同意可以补交党费，补交的时间一般不得超过6个月；"
    "党员没有正当理由连续六个月不交纳党费，就被认为是自行脱党"
)
ARREARS_SOURCE = f"{DOC}第十二条；{CHARTER}第九条"


@dataclass(frozen=True, slots=True)
class Category:
    """Who pays: the words that name them, the rule, its article, the base it asks for."""

    name: str
    words: re.Pattern[str]
    source: str
    rule: str
    brackets: tuple[Bracket, ...] = ()
    fixed: Decimal | None = None  # a flat monthly amount
    ask: str = ""


CATEGORIES = (
    Category(
        "学生、下岗失业或低保党员",
        re.compile("学生|大学生|研究生|下岗|失业|低保|最低生活保障|救济|抚恤"),
        f"{DOC}第六条",
        LOW_INCOME_RULE,
        fixed=Decimal("0.2"),
    ),
    Category(
        "农民党员",
        re.compile("农民|务农|种地|种田|农村党员|村里的党员"),
        f"{DOC}第六条",
        FARMER_RULE,
    ),
    Category(
        "离退休党员",
        re.compile("退休|离休|养老金"),
        f"{DOC}第五条",
        RETIRED_RULE,
        brackets=RETIRED,
        ask="请告诉我您每月实际领取的离退休费或养老金总额，我帮您算。",
    ),
    Category(
        "实行年薪制的党员",
        re.compile("年薪"),
        f"{DOC}第三条、第二条",
        "实行年薪制的党员每月以当月实际领取的薪酬收入为基数，参照在职党员的比例交纳："
        + SALARY_RULE,
        brackets=SALARY,
        ask="请告诉我您当月实际领取的薪酬（税后），我帮您算。",
    ),
    Category(
        "个体经营者等不按月取得收入的党员",
        re.compile("个体|做生意|做买卖|经商|开店|自己干|老板|自由职业"),
        f"{DOC}第四条、第二条",
        "不按月取得收入的个体经营者等党员，每月以本人上季度月平均纯收入为基数，"
        "参照在职党员的比例交纳：" + SALARY_RULE,
        brackets=SALARY,
        ask="请告诉我您上季度的月平均纯收入，我帮您算。",
    ),
    Category(
        "在职党员",
        re.compile(""),
        f"{DOC}第一条、第二条",
        "按月领取工资的党员以工资收入（税后）为基数：" + SALARY_RULE,
        brackets=SALARY,
        ask="请告诉我您每月的工资收入（税后），我帮您算。",
    ),
)

_AMOUNT_QUESTION = re.compile(
    "多少|几块|几毛|几元|几角|多钱|怎么算|咋算|如何算|算一下|算算|帮我算|该交|要交多|得交多|交几"
)
_PERSONAL = re.compile("我|俺|本人|咱|我爸|我妈|父亲|母亲|家里")
# Without a figure, only a question about the asker's own dues is a sum to work out.
_RULE_WORDS = re.compile("基数|比例|标准|税前|百分之|包括|算不算|算进|规定")
_INCOME_CUE = re.compile(
    "工资|月薪|薪水|薪资|薪酬|收入|月入|退休金|退休费|离休费|养老金|到手|税后|实发|年薪|挣"
)
_COUNT_AFTER = re.compile("个?月|年|日|号|岁|%|个|次|天|周|人|名|倍|分之|期|季")
_ARREARS_CUE = re.compile("补交|补缴|补齐|补多少|补几|欠|拖欠|没交|未交|漏交|忘了交|忘交|断交")
_TOTAL_CUE = re.compile("一共|总共|合计|共计|多少|几块|算")
_STRONG_TOTAL = re.compile("一共|总共|合计|共计|补多少|补几")
_MONTHS_RE = re.compile(
    r"(\d{1,4}|[一二两三四五六七八九十]{1,3})个?月|(半年)|(\d{1,2}|[一两二三四五])年"
)
_MONTHLY_CUE = re.compile(
    "(?:每个?月|一个月|一月|月交|每月交|每月应交|每月该交)(?:交|应交|是|为)?$"
)


def income_amounts(text: str) -> list[Amount]:
    """The figures that can be money: not counts (6个月, 2025年), not bare 一/五 (五险一金)."""
    found = []
    for amount in amounts(text):
        if _COUNT_AFTER.match(text, amount.end):
            continue
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


def category_of(text: str) -> Category:
    """Which rule applies: the first category whose words the question uses."""
    return next(c for c in CATEGORIES if c.words.search(text))


def monthly_dues(category: Category, income: Decimal) -> tuple[Decimal, Bracket]:
    """The monthly amount for an income under a bracketed category."""
    bracket = next(b for b in category.brackets if b.upper is None or income <= b.upper)
    return income * bracket.rate, bracket


def _rate(rate: Decimal) -> str:
    return f"{plain(rate * 100)}%"


def _figure(product: Decimal) -> str:
    exact = yuan(product)
    raw = f"{plain(product)}元"
    return exact if raw == exact else f"{exact}（{raw}，按分四舍五入）"


def answer_dues(text: str) -> Computed | None:
    """`月工资4000元交多少党费` -> 40元 and the bracket rule; None when it asks no amount."""
    if "党费" not in text or not _AMOUNT_QUESTION.search(text):
        return None
    category = category_of(text)
    found = income_amounts(text)
    figures = bool(found) or is_malformed(text)
    if not figures and (_RULE_WORDS.search(text) or not _PERSONAL.search(text)):
        return None  # a question on the rates or the base: the FAQ entries answer it
    if category.fixed is not None or not category.brackets:
        return _flat(category)
    income = None if is_malformed(text) else _pick_income(text, found)
    if income is None or income.vague or income.negative or income.value <= 0:
        return _ask(category, text, income)
    if "年薪" in text[max(0, income.start - 6) : income.start]:
        return _ask(category, text, None, "年薪是全年的收入，党费按当月实际领取的薪酬计算。")
    amount, bracket = monthly_dues(category, income.value)
    answer = (
        f"{category.name}每月收入{plain(income.value)}元，属于“{bracket.label}”一档，"
        f"按{_rate(bracket.rate)}交纳，每月党费{_figure(amount)}。\n"
        f"规定：{category.rule}。"
    )
    return Computed("dues", answer, category.source)


def _flat(category: Category) -> Computed:
    return Computed("dues", f"{category.rule}，与收入多少无关。", category.source)


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


def months_owed(text: str) -> int | None:
    """欠了6个月 -> 6, 半年 -> 6, 一年 -> 12."""
    match = _MONTHS_RE.search(text)
    if match is None:
        return None
    if match[2]:
        return 6
    figure = match[1] or match[3]
    value = int(figure) if figure.isdigit() else chinese_integer(figure)
    if value is None:
        return None
    return value * 12 if match[3] else value


def _monthly_amount(text: str) -> Decimal | None:
    """每月40 / 一个月交40元 -> 40: a figure right after 每月."""
    for amount in income_amounts(text):
        if _MONTHLY_CUE.search(text[max(0, amount.start - 6) : amount.start]):
            return -amount.value if amount.negative else amount.value
    return None


def answer_arrears(text: str) -> Computed | None:
    """`欠了6个月党费，每月40 一共补多少` -> 240元 and the back-pay rule."""
    if "党费" not in text or not _ARREARS_CUE.search(text) or not _TOTAL_CUE.search(text):
        return None
    months = months_owed(text)
    monthly = None if is_malformed(text) else _monthly_amount(text)
    category = category_of(text)
    if monthly is None and category.fixed is not None:
        monthly = category.fixed
    if months is None and monthly is None and not _STRONG_TOTAL.search(text):
        return None  # "党费忘了交咋补": the FAQ entry on back pay answers it
    if months is None or monthly is None or not 0 < months <= MAX_MONTHS or monthly <= 0:
        return _ask_arrears(months, monthly)
    total = monthly * months
    answer = (
        f"欠交{months}个月、每月{yuan(monthly)}，一共应补交{_figure(total)}"
        f"（{yuan(monthly)}×{months}）。\n规定：{ARREARS_RULE}。"
    )
    if months > 6:
        answer += "\n已超过6个月，请尽快向党支部说明情况。"
    return Computed("dues-arrears", answer, ARREARS_SOURCE)


def _ask_arrears(months: int | None, monthly: Decimal | None) -> Computed:
    if months is None or not 0 < months <= MAX_MONTHS:
        ask = "请告诉我欠交了几个月，我帮您算。"
    else:
        ask = "请告诉我每月应交多少党费（或每月的工资收入），我帮您算。"
    if monthly is not None and monthly <= 0:
        ask = "每月党费应当是大于0的金额。" + ask
    answer = f"补交党费按“每月应交金额×欠交月数”计算。{ARREARS_RULE}。\n{ask}"
    return Computed("dues-arrears", answer, ARREARS_SOURCE, complete=False)
