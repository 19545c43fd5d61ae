"""Back pay of 党费: months owed × the monthly amount (规定 第十二条; 党章 第九条)."""

from __future__ import annotations

import re
from decimal import Decimal

from bot.core.computed.dues import figure, income_amounts, monthly_from_income
from bot.core.computed.dues_rules import ARREARS_RULE, ARREARS_SOURCE, category_of
from bot.core.computed.numbers import chinese_integer, is_malformed, yuan
from bot.core.computed.result import Computed

MAX_MONTHS = 600
_ARREARS_CUE = re.compile("补交|补缴|补齐|补多少|欠|拖欠|没交|未交|漏交|忘了交|忘交|断交")
# The question must ask for the sum to pay back, not whether one may, how, or what follows.
_TOTAL_ASKED = re.compile(
    "(?:补|交|缴)[^，。？！?!,]{0,4}?(?:多少|几块|几元|多钱)|一共|总共|合计|共计|多少钱"
    "|怎么算|咋算|如何算|算一下|算算|帮我算|帮忙算"
)
_STRONG_TOTAL = re.compile("一共|总共|合计|共计|补多少|补交多少|补缴多少|补齐多少")
_MONTHS_RE = re.compile(
    r"(\d{1,4}|[一二两三四五六七八九十]{1,3})个?月|(半年)|(\d{1,2}|[一两二三四五])年"
)
_MONTHLY_CUE = re.compile(
    "(?:每个?月|一个月|一月|月交|每月交|每月应交|每月该交)(?:交|应交|是|为)?$"
)


def months_owed(text: str) -> int | None:
    """欠了6个月 -> 6, 半年 -> 6, 一年 -> 12."""
    match = _MONTHS_RE.search(text)
    if match is None:
        return None
    if match[2]:
        return 6
    figure_ = match[1] or match[3]
    value = int(figure_) if figure_.isdigit() else chinese_integer(figure_)
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
    if "党费" not in text or not _ARREARS_CUE.search(text) or not _TOTAL_ASKED.search(text):
        return None
    months = months_owed(text)
    monthly = None if is_malformed(text) else _monthly_amount(text)
    category = category_of(text)
    if monthly is None and category.flat is not None and category.flat[0] == category.flat[1]:
        monthly = category.flat[0]
    basis = ""
    if monthly is None and (from_income := monthly_from_income(text)) is not None:
        monthly, how = from_income
        basis = f"（{how}）"
    if months is None and monthly is None and not _STRONG_TOTAL.search(text):
        return None  # "党费忘了交咋补": the FAQ entry on back pay answers it
    if months is None or monthly is None or not 0 < months <= MAX_MONTHS or monthly <= 0:
        return _ask_arrears(months, monthly)
    total = monthly * months
    answer = (
        f"欠交{months}个月、每月{yuan(monthly)}{basis}，一共应补交{figure(total)}"
        f"（{yuan(monthly)}×{months}）。\n规定：{ARREARS_RULE}。"
    )
    if months > 6:
        answer += "\n已超过6个月，请尽快向党支部说明情况。"
    source = f"{ARREARS_SOURCE}；{category.source}" if basis else ARREARS_SOURCE
    return Computed("dues-arrears", answer, source)


def _ask_arrears(months: int | None, monthly: Decimal | None) -> Computed:
    if months is None or not 0 < months <= MAX_MONTHS:
        ask = "请告诉我欠交了几个月，我帮您算。"
    else:
        ask = "请告诉我每月应交多少党费（或每月的工资收入），我帮您算。"
    if monthly is not None and monthly <= 0:
        ask = "每月党费应当是大于0的金额。" + ask
    answer = f"补交党费按“每月应交金额×欠交月数”计算。{ARREARS_RULE}。\n{ask}"
    return Computed("dues-arrears", answer, ARREARS_SOURCE, complete=False)
