"""Computed answers (bot/core/computed): a table per kind, with boundaries, missing, malformed,
huge and negative numbers, and the questions each must leave to the FAQ matcher."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.core.computed import KINDS, Computed, compute_answer
from bot.core.computed.dates import Day, add_years, find_dates, full_years
from bot.core.computed.dues_rules import CATEGORIES, SALARY, monthly_dues
from bot.core.computed.numbers import amounts, chinese_integer, fold

TODAY = date(2026, 12, 1)
DOC = "《关于中国共产党党费收缴、使用和管理的规定》"

Row = tuple[str, tuple[str, ...], bool]  # question, substrings of the answer, complete


def ask(question: str, today: date = TODAY) -> Computed:
    """The computed answer, which must exist."""
    computed = compute_answer(question, today)
    assert computed is not None, question
    return computed


def check(kind: str, row: Row) -> Computed:
    question, parts, complete = row
    computed = ask(question)
    assert computed.kind == kind, (question, computed.kind)
    assert computed.label == f"computed:{kind}"
    assert computed.complete is complete, (question, computed.answer)
    for part in parts:
        assert part in computed.answer, (question, part, computed.answer)
    assert computed.source.startswith(("《", "中共中央")), computed.source
    return computed


# 党费 ------------------------------------------------------------------------------------

DUES: list[Row] = [
    ("月工资4000元交多少党费", ("4000元", "按1%", "每月党费40元", "不分段累进"), True),
    # Each upper bound is included (含3000元) and the rate applies to the whole amount.
    ("工资3000交多少党费", ("3000元以下（含3000元）", "按0.5%", "15元"), True),
    ("工资3000.01元交多少党费", ("3000元以上至5000元", "按1%", "30元"), True),
    ("工资5000交多少党费", ("（含5000元）”一档", "按1%", "50元"), True),
    ("工资5001交多少党费", ("按1.5%", "75.02元（75.015元"), True),
    ("月收入一万党费交多少", ("10000元", "按1.5%", "150元"), True),
    ("月收入10001元党费交多少", ("10000元以上", "按2%", "200.02元"), True),
    ("工资2999交多少党费", ("15元（14.995元，按分四舍五入）",), True),
    ("工资２８００ 党费交多少", ("2800元", "14元"), True),
    ("我月薪12000块 党费该交几块", ("12000元", "240元"), True),
    ("月薪1.2万党费多少", ("12000元", "240元"), True),
    ("月薪4千党费交多少", ("4000元", "40元"), True),
    ("工资四千五党费交多少", ("4500元", "45元"), True),
    ("月薪3,500元党费交多少", ("3500元", "35元"), True),
    ("工资扣完税和五险一金到手8500 一个月党费多少", ("8500元", "127.5元"), True),
    ("月工资9999999999元党费多少", ("199999999.98元",), True),
    # 离退休: 5000 included in the lower band.
    ("退休金3500党费多少", ("离退休", "0.5%", "17.5元"), True),
    ("退休金5000党费多少", ("5000元以下（含5000元）", "25元"), True),
    ("退休费5200，党费交多少呢", ("5000元以上", "按1%", "52元"), True),
    ("养老金4000元党费交多少", ("离退休", "20元"), True),
    # Flat amounts: no arithmetic, the rule whatever the income.
    ("我是学生党员，每月交多少党费", ("0.2元",), True),
    ("低保户党员月收入800党费交多少", ("0.2元", "与收入多少无关"), True),
    ("我是种地的农民党员，党费交多少", ("0.2元至1元",), True),
    # Missing, vague, malformed, negative, too long: the rule and a request for the figure.
    ("我每月该交多少党费", ("3000元以下（含3000元）", "请告诉我您每月的工资收入（税后）"), False),
    ("我退休了，党费交多少", ("5000元以下（含5000元）", "离退休费或养老金总额"), False),
    ("月收入一万多党费交多少", ("需要确切的金额",), False),
    ("月工资1e30元交多少党费", ("没看懂您写的金额",), False),
    ("月薪12a00党费交多少", ("没看懂您写的金额",), False),
    ("月薪-3000交多少党费", ("大于0",), False),
    ("月薪0元交多少党费", ("大于0",), False),
    ("月工资99999999999元党费多少", ("没看懂您写的金额",), False),
    ("年薪12万党费交多少", ("年薪是全年的收入", "当月实际领取的薪酬"), False),
    ("做生意的党员，我上季度月均纯收入6000党费交多少", ("个体经营者", "90元"), True),
]


@pytest.mark.parametrize("row", DUES, ids=[r[0] for r in DUES])
def test_dues(row: Row) -> None:
    computed = check("dues", row)
    assert computed.source.startswith(DOC)


def test_dues_articles_by_category() -> None:
    assert ask("月工资4000元交多少党费").source == f"{DOC}第一条、第二条"
    assert ask("退休金3500党费多少").source == f"{DOC}第五条"
    assert ask("我是学生党员，每月交多少党费").source == f"{DOC}第六条"


@pytest.mark.parametrize(
    ("income", "rate"),
    [
        ("0.01", "0.005"),
        ("3000", "0.005"),
        ("3000.01", "0.01"),
        ("5000", "0.01"),
        ("5000.01", "0.015"),
        ("10000", "0.015"),
        ("10000.01", "0.02"),
    ],
)
def test_salary_brackets_include_their_upper_bound(income: str, rate: str) -> None:
    salaried = CATEGORIES[-1]
    amount, bracket = monthly_dues(salaried, Decimal(income))
    assert bracket.rate == Decimal(rate)
    assert amount == Decimal(income) * Decimal(rate)  # the whole income, not progressive
    assert bracket in SALARY


DUES_ARREARS: list[Row] = [
    ("欠了6个月党费，每月40 一共补多少", ("240元", "40元×6", "一般不得超过6个月"), True),
    ("欠了半年党费，每月交25元，总共补多少", ("150元", "25元×6"), True),
    ("欠了８个月党费每月交25元一共多少", ("200元", "已超过6个月"), True),
    ("我是学生，欠了3个月党费，补多少", ("0.6元",), True),
    ("欠了三个月党费一共补多少", ("请告诉我每月应交多少党费",), False),
    ("党费每月40元，欠交了，一共补多少", ("请告诉我欠交了几个月",), False),
    ("欠了99999个月党费每月40一共补多少", ("请告诉我欠交了几个月",), False),
    ("欠了6个月党费每月-40一共补多少", ("大于0",), False),
]


@pytest.mark.parametrize("row", DUES_ARREARS, ids=[r[0] for r in DUES_ARREARS])
def test_dues_arrears(row: Row) -> None:
    computed = check("dues-arrears", row)
    assert "第十二条" in computed.source
    assert "《中国共产党章程》第九条" in computed.source


# 发展对象 ---------------------------------------------------------------------------------

CANDIDATE: list[Row] = [
    ("2025年5月10日确定为积极分子 什么时候能当发展对象", ("2026年5月10日", "支部委员会"), True),
    ("我去年9月被定为积极分子 今年几月能列为发展对象", ("2025年9月", "2026年9月"), True),
    ("2026.3.1确定的入党积极分子哪天能列为发展对象", ("2027年3月1日", "还有90天"), True),
    ("2024-02-29被确定为积极分子，哪天可以列为发展对象", ("2025年2月28日",), True),
    ("我是积极分子，什么时候能成为发展对象", ("请告诉我您被确定为入党积极分子的日期",), False),
]


@pytest.mark.parametrize("row", CANDIDATE, ids=[r[0] for r in CANDIDATE])
def test_candidate_date(row: Row) -> None:
    computed = check("candidate-date", row)
    assert computed.source == "《中国共产党发展党员工作细则》第十三条"


# 预备期满 ---------------------------------------------------------------------------------

PROBATION: list[Row] = [
    ("去年3月1日入的党预备期哪天满", ("2025年3月1日", "到2026年3月1日期满"), True),
    ("2025年7月1日支部大会通过我为预备党员 啥时候转正", ("2026年7月1日",), True),
    ("2025.7.1支部大会通过的预备党员，预备期哪天满", ("2026年7月1日",), True),
    ("2024年2月29日支部大会通过的预备党员哪天满", ("2025年2月28日", "没有2月29日"), True),
    ("二〇二五年三月一日入党，预备期什么时候满", ("2026年3月1日",), True),
    (
        "预备期延长了半年，原来2026年6月满，现在几号满",
        ("原定2026年6月期满", "延长6个月后，到2026年12月期满"),
        True,
    ),
    ("2025年8月31日入党，预备期延长6个月，哪天满", ("2026年8月31日", "2027年2月28日"), True),
    ("2025年1月1日入党，预备期延长一年，哪天满", ("2027年1月1日",), True),
    ("2025年1月1日入党，预备期延长了两年，哪天满", ("不符合规定", "最长不超过一年"), False),
    ("2025年1月1日入党，预备期延长3个月，哪天满", ("不符合规定", "不能少于半年"), False),
    ("我的预备期什么时候满", ("请告诉我支部大会通过您为预备党员的日期",), False),
]


@pytest.mark.parametrize("row", PROBATION, ids=[r[0] for r in PROBATION])
def test_probation_end(row: Row) -> None:
    computed = check("probation-end", row)
    assert computed.source.startswith("《中国共产党章程》第七条")


def test_an_extension_cites_the_rules_of_recruitment() -> None:
    computed = ask("2025年1月1日入党，预备期延长一年，哪天满")
    assert computed.source == "《中国共产党章程》第七条；《中国共产党发展党员工作细则》第三十二条"


# 党龄 -------------------------------------------------------------------------------------

PARTY_AGE: list[Row] = [
    ("2020年10月转正的，预备期1年，党龄哪年开始算", ("2020年10月转为正式党员", "满6年"), True),
    ("我2000年7月1日转正，党龄多少年", ("满26年",), True),
    ("我2000年12月2日转正，党龄多少年", ("满25年",), True),  # the anniversary is tomorrow
    ("我2024年12月入党 到现在党龄几年了", ("2025年12月转为正式党员", "满0年", "已满1年"), True),
    ("我2026年5月入党，党龄几年了", ("还没有转正",), True),
    ("我爸1976年入党的 能拿50年纪念章吗", ("1977年", "2027年满50年", "还不满50年"), True),
    (
        "我1975年3月转正，2025年能领光荣在党50年纪念章吗",
        ("2025年3月满50年", "截至2025年7月1日已满50年"),
        True,
    ),
    ("我1975年9月转正，2025年能领光荣在党50年纪念章吗", ("截至2025年7月1日还不满",), True),
    ("76年入党的老党员能领50年纪念章吗", ("1976年", "1977年"), True),
    ("我1975年入党1976年转正什么时候满50年党龄", ("1976年转为正式党员", "2026年满50年"), True),
    ("我的党龄有多少年", ("请告诉我您转为正式党员的日期",), False),
]


@pytest.mark.parametrize("row", PARTY_AGE, ids=[r[0] for r in PARTY_AGE])
def test_party_age(row: Row) -> None:
    computed = check("party-age", row)
    assert computed.source.startswith("《中国共产党章程》第七条")


def test_the_medal_cites_the_notice() -> None:
    assert "光荣在党50年" in ask("我爸1976年入党的 能拿50年纪念章吗").source


# 入党申请 -> 预备党员 ----------------------------------------------------------------------

TIMELINE: list[Row] = [
    (
        "2026年3月递交的入党申请，最快哪年能成预备党员",
        ("2027年3月才可能列为发展对象", "2027年或更晚", "由支部决定", "不少于3天或24个学时"),
        True,
    ),
    ("我去年5月1日交的入党申请书，最快什么时候能入党", ("2026年5月1日",), True),
    ("我交了入党申请，最快多久能成为预备党员", ("请告诉我您递交入党申请书的日期",), False),
]


@pytest.mark.parametrize("row", TIMELINE, ids=[r[0] for r in TIMELINE])
def test_membership_timeline(row: Row) -> None:
    computed = check("membership-timeline", row)
    assert "第十三条" in computed.source


# Left to the FAQ matcher -------------------------------------------------------------------

NOT_COMPUTED = [
    "支委会多久开一次",
    "党费按啥比例交",
    "党费交纳标准是什么",
    "交党费的基数咋算 是税前还是税后",
    "我的党费基数包括奖金吗",
    "学生党员交多少党费",
    "党费怎么交",
    "党费能不能补交",
    "半年没交党费会怎样",
    "党费忘了交好几个月 咋补",
    "一次交一千元以上党费怎么处理",
    "党费一次交一年的行不行",
    "预备期多长",
    "预备期从什么时候开始算",
    "延长预备期最长多久",
    "积极分子多久可以成为发展对象",
    "入党申请书怎么写",
    "入党申请书交上去多久找我谈话",
    "光荣在党50年纪念章发给谁",
    "今年满50年党龄什么时候能拿到纪念章",
    "我转正了党龄从哪天起",
    "转正批下来前我算正式党员吗",
    "拿年薪的怎么算党费",
    "收入不固定的党员交多少党费",
    "2025年2月30日入党预备期哪天满",  # no such day: not guessed
    "明天天气怎么样？",
    "",
    "党费" * 200,
]


@pytest.mark.parametrize("question", NOT_COMPUTED)
def test_left_to_the_matcher(question: str) -> None:
    assert compute_answer(question, TODAY) is None


def test_every_kind_is_covered() -> None:
    tables = {"dues": DUES, "dues-arrears": DUES_ARREARS, "candidate-date": CANDIDATE}
    tables |= {"probation-end": PROBATION, "party-age": PARTY_AGE}
    tables |= {"membership-timeline": TIMELINE}
    assert set(tables) == set(KINDS)


# Readers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("一万二", 12000), ("四千五", 4500), ("三千五百", 3500), ("十二", 12), ("二〇二五", 2025)],
)
def test_chinese_integers(text: str, value: int) -> None:
    assert chinese_integer(text) == value


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("４０００块", [Decimal(4000)]),
        ("1.2万", [Decimal(12000)]),
        ("3,500元", [Decimal(3500)]),
        ("4k", [Decimal(4000)]),
    ],
)
def test_amounts(text: str, values: list[Decimal]) -> None:
    assert [a.value for a in amounts(fold(text))] == values


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025年7月1日", Day(2025, 7, 1)),
        ("2025.7.1", Day(2025, 7, 1)),
        ("2025-07-01", Day(2025, 7, 1)),
        ("2025/7/1", Day(2025, 7, 1)),
        ("去年3月1日", Day(2025, 3, 1)),
        ("今年9月", Day(2026, 9)),
        ("上个月5号", Day(2026, 11, 5)),
        ("前年", Day(2024)),
        ("76年入党", Day(1976)),
        ("05年入党", Day(2005)),
    ],
)
def test_dates(text: str, day: Day) -> None:
    assert [f.day for f in find_dates(fold(text), TODAY)] == [day]


def test_relative_dates_follow_the_injected_today() -> None:
    january = date(2027, 1, 15)
    assert [f.day for f in find_dates("上个月5号", january)] == [Day(2026, 12, 5)]
    assert "2027年3月1日" in ask("去年3月1日入的党预备期哪天满", january).answer


def test_leap_days() -> None:
    assert add_years(Day(2024, 2, 29), 1) == Day(2025, 2, 28)
    assert add_years(Day(2024, 2, 29), 4) == Day(2028, 2, 29)
    assert full_years(date(2024, 2, 29), date(2025, 2, 27)) == 0
    assert full_years(date(2024, 2, 29), date(2025, 2, 28)) == 1


# Whatever the text: an answer or None, never an exception ---------------------------------

FRAGMENT_WORDS = (
    "党费 月工资 退休金 欠了 个月 每月 补多少 交多少 积极分子 发展对象 预备期 延长 半年 哪天满"
    " 转正 入党 党龄 几年 纪念章 申请 最快 我 去年 今年 上个月 年 月 日 号 元 万 千 多 - . e"
    " 9999 0 29 2 13 32 1e30 ２０２５ 一万二 二〇二五 76 k"
    " 一年 全年 一个季度 各 分别 爱人 老伴 他 一个 两人 一共 周年 多少周年 五十周年 是不是 明年"
    " 按0.5%还是1% 哪一档 刚好 百分之 到 以下 - ~ 党员 退休金 学生 农民 本来 算起 够一年"
)
FRAGMENTS = st.sampled_from(FRAGMENT_WORDS.split())


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(FRAGMENTS, max_size=12).map("".join), st.dates())
@example("9999年1月1日入党预备期哪天满", date(2026, 12, 1))
@example("2200年12月31日入党，我的党龄几年，能领纪念章吗", date(2026, 12, 1))
@example("我1900年1月1日转正党龄多少年", date(2026, 12, 1))
def test_never_raises(question: str, today: date) -> None:
    computed = compute_answer(question, today)
    assert computed is None or (computed.kind in KINDS and computed.answer and computed.source)
