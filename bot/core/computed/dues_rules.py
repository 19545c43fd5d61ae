"""党费 rules: the brackets and the categories of members of
《关于中国共产党党费收缴、使用和管理的规定》 (中组发〔2008〕3号), numbered as in the copies of
its 收缴 part: 第一条 (税后 base), 第二条 (在职 brackets), 第三条 (年薪制), 第四条 (个体经营者),
第五条 (离退休), 第六条 (农民, 学生, 下岗失业, 低保), 第十二条 (补交一般不超过6个月); 党章
第九条 (six months without dues: 自行脱党). A bracket's rate applies to the whole income, not
progressively, and each upper bound is included (含3000元).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

DOC = "《关于中国共产党党费收缴、使用和管理的规定》"
CHARTER = "《中国共产党章程》"


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
    flat: tuple[Decimal, Decimal] | None = None  # a monthly amount whatever the income: low, high
    ask: str = ""


CATEGORIES = (
    Category(
        "学生、下岗失业或低保党员",
        re.compile("学生|大学生|研究生|下岗|失业|低保|最低生活保障|救济|抚恤"),
        f"{DOC}第六条",
        LOW_INCOME_RULE,
        flat=(Decimal("0.2"), Decimal("0.2")),
    ),
    Category(
        "农民党员",
        re.compile("农民|务农|种地|种田|农村党员|村里的党员"),
        f"{DOC}第六条",
        FARMER_RULE,
        flat=(Decimal("0.2"), Decimal(1)),
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


def category_of(text: str) -> Category:
    """Which rule applies: the first category whose words the question uses."""
    return next(c for c in CATEGORIES if c.words.search(text))


def monthly_dues(category: Category, income: Decimal) -> tuple[Decimal, Bracket]:
    """The monthly amount for an income under a bracketed category."""
    bracket = next(b for b in category.brackets if b.upper is None or income <= b.upper)
    return income * bracket.rate, bracket
