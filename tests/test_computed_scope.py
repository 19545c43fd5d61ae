"""What the computed answerer must leave alone, and the sums it learned: a table per class.

A question that names a date and 入党, or 党费 and a figure, but asks about something else
(开除, 脱党, 处分, a branch's own accounts, what counts as income, what to do next) goes to
the FAQ matcher: a computed answer to it would be wrong. And the newer sums: a year's total,
the bracket of a boundary income, several incomes in one question, 入党周年 from a year.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.computed import Computed, compute_answer

TODAY = date(2026, 12, 1)
DOC = "《关于中国共产党党费收缴、使用和管理的规定》"

Row = tuple[str, tuple[str, ...]]  # question, substrings of the answer


def check(kind: str, row: Row) -> Computed:
    """The question gets a complete computed answer of `kind` that says every part."""
    question, parts = row
    computed = compute_answer(question, TODAY)
    assert computed is not None, question
    assert (computed.kind, computed.complete) == (kind, True), (question, computed.answer)
    for part in parts:
        assert part in computed.answer, (question, part, computed.answer)
    return computed


# Declined: another subject -----------------------------------------------------------------

DISCIPLINE = [
    "他2019年受到开除党籍处分，现在还能再入党吗",
    "2021年被除名的党员，过几年可以重新递交入党申请",
    "2018年开除党籍的人，最快什么时候能再写入党申请",
    "我2022年受了留党察看一年，什么时候恢复党员权利",
    "预备党员2025年5月被取消预备党员资格，多久以后能再申请",
    "我2023年入党，2025年受了警告处分，影响转正吗",
    "我2025年3月入党，受了处分，预备期什么时候满",
    "1985年入党，中间停止过党籍，党龄多少年",
    "1990年入党后来恢复党籍，党龄几年",
    "2024年评议被定为不合格党员，限期改正，预备期什么时候满",
    "我爸1960年入党，2020年去世了，党龄多少年",
]
SELF_WITHDRAWAL = [
    "我已经半年没交党费了，会不会被当作自行脱党",
    "连续8个月没交党费，每月30元，算不算脱党",
    "欠了7个月党费每月20元，会被除名吗",
    "党费欠了9个月，一共该补多少，会不会按脱党处理",
    "党员欠交党费超过六个月怎么处理",
]
BRANCH_DATA = [
    "我们支部今年党费一共收了多少",
    "支部党费账上还剩多少钱",
    "党费余额还有多少",
    "这个月大家的党费都交齐了吗",
    "张三上个月党费交没交",
    "11月份党费收缴情况怎么样",
    "我们支部30个党员每月党费合计多少",
    "谁还没交本月党费",
    "今年上半年党费交了多少",
]
NOT_THE_SUM = [
    # 党费 with an income, but the question is on the base, relief or the way to pay.
    "我工资5000，年终奖发了2万，年终奖要交党费吗",
    "月薪4000，补发的工资要不要算党费",
    "生活困难的党员月收入1500，党费能少交吗",
    "我自愿多交党费，一次交1000元行吗",
    "特殊党费一般交多少",
    "党员工资4000，党费从哪个月开始交",
    "我工资6000，党费每月几号前交",
    "工资4000的党员，党费可以用微信交吗",
    "工资8000，党费按季度交可以吗",
    "党费3000以下交0.5%还是1%",
    "3000到5000的交多少党费",
    "工资3000-5000的党员交多少党费",
    "欠了6个月党费每月40，补交要经过谁同意",
    "欠了3个月党费，每月30，最多能补几个月",
    "我是党员，工资5000，个税交多少",
    "工资3000，个税按3%还是10%",
    "月薪8000，公积金按5%还是12%交",
]
NOT_THE_DATE = [
    # A date and the words of a kind, but another question: what to do, or what follows.
    "2025年7月1日入党，什么时候宣誓",
    "2025年6月被确定为积极分子，发展对象培训要几天",
    "我2024年10月成为预备党员，转正需要准备什么材料",
    "我2025年6月1日入党，预备期满后多久召开支部大会",
    "我2020年入党，党龄满5年有什么待遇",
    "我1970年入党，纪念章到哪里领",
    "2026年1月交的入党申请书，多久找我谈话",
    "2025年交了入党申请，入党需要什么条件",
    "2025年3月被确定为积极分子，表现好能不能提前列为发展对象",
    "我2025年7月1日入党，转正时要多少人同意",
    "预备党员2025年8月入党，能参加选举吗",
    "我是2025年10月入党的，现在能转组织关系吗",
    "积极分子2025年4月确定，多久要写一次思想汇报",
    "我2025年3月递交了入党申请，信教的可以入党吗",
    "2025年交的入党申请书，有纹身能不能入党",
    "我2025年7月入党，在外地打工能转正吗",
    "我2025年3月成为积极分子，学历低能列为发展对象吗",
]


@pytest.mark.parametrize(
    "question", DISCIPLINE + SELF_WITHDRAWAL + BRANCH_DATA + NOT_THE_SUM + NOT_THE_DATE
)
def test_left_to_the_matcher(question: str) -> None:
    computed = compute_answer(question, TODAY)
    assert computed is None, (question, computed)


# Answered: a year's total -----------------------------------------------------------------

YEARLY: list[Row] = [
    ("我工资4000，一年交多少党费", ("每月党费40元", "一年（12个月）共480元（40元×12）")),
    ("月薪7000，一年下来党费交多少", ("按1.5%", "共1260元（105元×12）")),
    ("退休金3200一年党费多少钱", ("离退休", "每月党费16元", "共192元")),
    # Rounded to 分 each month, as paid: 75.015 -> 75.02, times 12.
    ("工资5001全年交多少党费", ("75.02元", "共900.24元（75.02元×12）")),
    ("我月薪6000，一个季度交多少党费", ("每月党费90元", "一个季度（3个月）共270元")),
    ("我是大学生党员，一年要交多少党费", ("每月交纳党费0.2元", "共2.4元（每月0.2元×12）")),
    ("下岗党员全年党费多少", ("0.2元", "共2.4元")),
    ("在农村种地的党员一年党费交多少", ("0.2元至1元", "共2.4元至12元（每月0.2元至1元×12）")),
    ("农民党员一年党费多少", ("共2.4元至12元",)),
]


@pytest.mark.parametrize("row", YEARLY, ids=[r[0] for r in YEARLY])
def test_yearly_total(row: Row) -> None:
    check("dues", row)


# Answered: the bracket of a boundary income -----------------------------------------------

BOUNDARY: list[Row] = [
    (
        "工资刚好3000 按0.5%还是1%",
        ("3000元以下（含3000元）", "按0.5%", "正好是这一档的上限", "15元"),
    ),
    ("工资5000整，党费按1%还是1.5%交", ("（含5000元）”一档", "按1%", "50元")),
    ("工资正好10000，党费按1.5%还是2%", ("按1.5%", "150元")),
    ("我工资正好五千，党费按百分之一还是百分之一点五", ("按1%", "50元")),
    ("退休金正好5000，算哪一档", ("离退休", "5000元以下（含5000元）", "按0.5%", "25元")),
    ("退休金刚好五千块，党费算哪个档次", ("按0.5%", "25元")),
    ("月收入3000元整交多少党费，是0.5%吗", ("按0.5%", "15元")),
    ("到手5000整，党费是1%还是1.5%", ("按1%",)),
    # Just above a bound: the next bracket, the rate on the whole income.
    ("工资3000.5，党费按0.5%还是1%", ("3000元以上至5000元", "按1%", "30.01元")),
]


@pytest.mark.parametrize("row", BOUNDARY, ids=[r[0] for r in BOUNDARY])
def test_boundary_bracket(row: Row) -> None:
    check("dues", row)


def test_a_boundary_is_included_in_the_lower_bracket_only_at_the_bound() -> None:
    above = check("dues", ("工资5000.01 按1%还是1.5%", ("按1.5%",)))
    assert "正好是这一档的上限" not in above.answer


# Answered: several incomes in one question -----------------------------------------------

COUPLES: list[Row] = [
    (
        "我工资4500，爱人工资9000，我们俩党费各交多少",
        ("各交各的", "您：在职党员，每月收入4500元", "每月党费45元", "爱人：", "每月党费135元"),
    ),
    ("我和老公都上班，我3800他12000，党费分别交多少", ("您：", "38元", "他：", "按2%", "240元")),
    (
        "我工资4000，我爱人退休金3500，各交多少党费",
        ("您：在职党员", "您爱人：离退休党员", "17.5元"),
    ),
    (
        "夫妻俩都退休了，退休金一个4600一个5400，每人交多少党费",
        ("第一位：离退休党员", "23元", "第二位：离退休党员", "按1%", "54元"),
    ),
    (
        "我和我爱人都是党员，我月薪8000，她退休金2600，两人每月一共交多少",
        ("120元", "她：离退休党员", "13元", "两人每月合计133元"),
    ),
    (
        "我们俩都是党员，我工资6000，他工资4000，一年一共交多少党费",
        ("90元", "40元", "两人每月合计130元", "共1560元（130元×12）"),
    ),
]


@pytest.mark.parametrize("row", COUPLES, ids=[r[0] for r in COUPLES])
def test_each_income(row: Row) -> None:
    computed = check("dues", row)
    assert computed.source.startswith(DOC)


def test_several_incomes_cite_each_rule() -> None:
    computed = check("dues", ("我工资4000，我爱人退休金3500，各交多少党费", ()))
    assert computed.source == f"{DOC}第一条、第二条；{DOC}第五条"


def test_one_vague_income_of_two_asks_for_the_figure() -> None:
    computed = compute_answer("我工资4000，爱人工资一万多，党费各交多少", TODAY)
    assert computed is not None
    assert (computed.kind, computed.complete) == ("dues", False)
    assert "确切的金额" in computed.answer


# Answered: back pay from an income --------------------------------------------------------

ARREARS: list[Row] = [
    ("我工资4000，欠了3个月党费，补多少", ("每月40元（每月收入4000元按1%计）", "120元")),
    ("退休金6000，党费欠了半年没交，一共要补多少", ("每月60元", "360元（60元×6）")),
]


@pytest.mark.parametrize("row", ARREARS, ids=[r[0] for r in ARREARS])
def test_back_pay_from_an_income(row: Row) -> None:
    computed = check("dues-arrears", row)
    assert "第十二条" in computed.source


# Answered: 入党周年 from a year (and the 党龄, with what was assumed) ---------------------

ANNIVERSARY: list[Row] = [
    (
        "我爷爷1958年入党，今年是入党多少周年",
        ("到2026年是入党68周年", "只知道年份", "如按期转正，1959年转为正式党员", "满67年"),
    ),
    ("我父亲1965年加入党组织，今年入党多少年了", ("入党61周年",)),
    (
        "我2001年7月1日入党，到现在入党几年了",
        ("入党25周年", "2026年7月1日是入党25周年纪念日", "党龄满24年"),
    ),
    ("1976年入的党，明年是不是入党50周年", ("到2027年是入党51周年", "入党50周年是2026年")),
    ("1975年入党1976年转正，到2025年是入党多少周年", ("入党50周年", "1976年转为正式党员")),
    ("我1976年入党，今年是不是入党五十周年", ("到2026年是入党50周年",)),
]


@pytest.mark.parametrize("row", ANNIVERSARY, ids=[r[0] for r in ANNIVERSARY])
def test_anniversary(row: Row) -> None:
    computed = check("party-age", row)
    assert computed.source == "《中国共产党章程》第七条"


def test_party_age_from_a_year_states_its_assumption() -> None:
    computed = check("party-age", ("1960年入党，今年党龄多少年", ("如按期转正", "1961年")))
    assert "转正日若在12月1日或之前" in computed.answer


# Answered: phrasings the stricter recognisers still take -------------------------------

PHRASINGS: list[tuple[str, str, str]] = [
    ("党费按工资4000算是多少", "dues", "每月党费40元"),
    ("我的工资是五千五，党费交几块钱", "dues", "82.5元"),
    ("积极分子是2025年6月确定的，哪天够一年", "candidate-date", "2026年6月"),
    ("我2025年1月当上积极分子，满一年了吗", "candidate-date", "2026年1月"),
    ("我是去年10月1号入党的，现在能转正了吗", "probation-end", "2026年10月1日"),
    ("预备期是2025年11月开始的，到哪天结束", "probation-end", "2026年11月"),
    ("预备期本来2027年3月到期，到底哪天满", "probation-end", "预备期到2027年3月期满"),
    ("我党龄从2001年3月算起，到现在多少年", "party-age", "满25年"),
    ("我2000年入党从哪年算起党龄", "party-age", "2001年转为正式党员"),
    ("爷爷1974年入党，有资格领纪念章吗", "party-age", "满50年"),
    ("去年10月递交入党申请书，明年能入党吗", "membership-timeline", "2026年10月"),
]


@pytest.mark.parametrize(("question", "kind", "part"), PHRASINGS)
def test_still_answered(question: str, kind: str, part: str) -> None:
    check(kind, (question, (part,)))


# Answered: the end of an extended 预备期 --------------------------------------------------


def test_an_extension_from_the_original_end() -> None:
    check(
        "probation-end",
        (
            "预备期延长了一年，原本2026年3月5日到期，现在到什么时候",
            ("原定2026年3月5日期满", "到2027年3月5日期满"),
        ),
    )
