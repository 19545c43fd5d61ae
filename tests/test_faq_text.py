"""Normalisation, segmentation, synonyms and intents of the FAQ matcher."""

from __future__ import annotations

import subprocess
import sys

import jieba
import pytest

from bot.core.faq import FaqEntry, FaqMatcher, analyse, get_tokenizer, normalise
from bot.core.faq.decision import negates_other_act
from bot.core.faq.text import chinese_number
from bot.core.faq.tokenizer import detect_intents, segment


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＢＣ　支部？！", "abc 支部"),  # full width letters, space and punctuation
        ("  支委会   多久 \n 开一次  ", "支委会 多久 开1次"),
        ("《党章》第七条：预备期……", "党章 第七条 预备期"),
        ("3会1课", "三会一课"),
        ("３会１课", "三会一课"),
        ("三会1课", "三会一课"),
        ("2学1做", "两学一做"),
        ("4议2公开", "四议两公开"),
        ("主体党日", "主题党日"),
        ("留党查看", "留党察看"),
        ("转证", "转正"),
        ("满十八岁", "满18岁"),
        ("一百名党员", "100名党员"),
        ("不到三个人", "不到3个人"),
        ("第一次", "第一次"),
        # numbered slogans that look counted stay whole (八项 is no count of 项)
        ("八项规定是什么", "八项规定是什么"),
        ("4个服从", "四个服从"),
        # colloquial forms
        ("党费咋交", "党费怎么交"),
        ("这事咋样", "这事怎么样"),
        ("啥叫民主集中制", "什么叫民主集中制"),
        ("预备期多会儿满", "预备期什么时候满"),
        ("几时转正", "什么时候转正"),
        ("支部书记干几年", "支部书记任期几年"),
        ("党废", "党费"),
        ("学生党员党费多少钱", "学生党员党费多少"),  # not the shopping question it looks like
        ("一个月交几块", "1个月交多少"),
        ("组织员是干嘛的", "组织员是干什么的"),
        # amounts
        ("月工资四千块交多少", "月工资4000元交多少"),
        ("工资1万2", "工资12000"),
        ("3.5k", "3500"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [("三", 3), ("十", 10), ("十八", 18), ("五十", 50), ("一百", 100), ("两", 2)],
)
def test_chinese_number(text: str, value: int) -> None:
    assert chinese_number(text) == value


@pytest.mark.parametrize(
    "term",
    [
        *("三会一课", "主题党日", "支部党员大会", "流动党员", "组织生活会", "两新组织"),
        *("党小组会", "党徽", "党旗", "民主集中制", "八项规定", "四个服从"),
    ],
)
def test_domain_terms_stay_whole(term: str) -> None:
    assert term in segment(f"请问{term}怎么弄")


def test_search_mode_finds_the_words_inside_a_domain_term() -> None:
    terms = analyse("支部党员大会多久开").terms
    assert {"支部党员大会", "党员大会", "党员", "支部"} <= set(terms)


def test_domain_words_do_not_break_their_neighbours() -> None:
    assert segment("入党日期") == ["入党", "日期"]


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("支委会", "支部委员会"),
        ("党日", "主题党日"),
        ("支部大会", "支部党员大会"),
        ("转为正式党员", "转正"),
        ("积极分子", "入党积极分子"),
        ("缴纳", "交纳"),
        ("自动退党", "自行脱党"),
        ("过世", "去世"),
        ("村支书", "村党组织书记"),
        ("微信", "网上"),
    ],
)
def test_synonyms_map_to_one_term(variant: str, canonical: str) -> None:
    analysis = analyse(f"{variant}的规定")
    assert canonical in analysis.whole
    assert variant not in analysis.whole


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("支委会多久开一次", "frequency"),
        ("党小组会一年开几次", "frequency"),
        ("什么是三会一课", "definition"),
        ("两新组织是什么意思", "definition"),
        ("转正的流程", "procedure"),
        ("怎么交党费", "procedure"),
        ("党费交多少", "amount"),
        ("党费的比例", "amount"),
        ("入党有什么条件", "condition"),
        ("预备期能延长吗", "condition"),
        ("谁来召集支部大会", "who"),
    ],
)
def test_intents(question: str, intent: str) -> None:
    assert intent in detect_intents(normalise(question))


def test_stopwords_are_dropped() -> None:
    assert analyse("请问一下我们的党费是多少呢").terms == ("党费",)


def test_one_shared_tokenizer_that_is_not_jiebas_global() -> None:
    tokenizer = get_tokenizer()
    assert get_tokenizer() is tokenizer
    assert tokenizer is not jieba.dt
    assert "三会一课" not in jieba.dt.FREQ  # the global dictionary is left alone


def test_building_the_tokenizer_prints_nothing() -> None:
    code = "from bot.core.faq import get_tokenizer; get_tokenizer()"
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert run.stdout == ""
    assert run.stderr == ""


@pytest.mark.parametrize(
    ("question", "negated"),
    [
        ("预备期满了不转正会怎样", "不转正"),
        ("党员不交党费会怎么样", "不交纳"),  # one character with its object
        ("预备党员未按时转正怎么办", "不转正"),  # past a manner word
        ("党员连续六个月不参加组织生活", "不参加"),
    ],
)
def test_a_negated_act_is_kept_apart(question: str, negated: str) -> None:
    analysis = analyse(question)
    assert negated in analysis.negated
    assert negated not in analysis.terms  # the ranking is unchanged


@pytest.mark.parametrize(
    ("question", "not_negated"),
    [
        ("老党员走不动了", "不动"),  # a complement, not an act
        ("联系不上了咋整", "不上"),
        ("组织关系放在学校不转可以吗", "不转"),  # one character and no object
        ("预备党员可以参加支部党员大会不", "不参加"),  # a closing 不 asks, it does not negate
        ("不到7个党员的支部设不设支部委员会", "不设"),  # X不X asks
        ("除名和开除党籍有啥不一样", "不一样"),  # a comparison
        ("下岗了没工资 党费还要交吗", "不工资"),  # 没 before a noun: "has no"
    ],
)
def test_complements_and_closing_negators_negate_nothing(question: str, not_negated: str) -> None:
    assert not_negated not in analyse(question).negated


def test_an_entry_on_the_act_itself_does_not_answer_its_negation() -> None:
    positive = FaqEntry(
        id="conversion-procedure",
        question="预备党员转正要走哪些程序？",
        phrasings=("转正怎么办理",),
        keywords=("转正",),
        answer="预备期满，本人提出转正申请，支部大会讨论，上级党委审批。",
        source="发展党员工作细则 第三十条",
    )
    negative = FaqEntry(
        id="conversion-delayed",
        question="预备期满了支部不讨论转正怎么办？",
        phrasings=("预备党员不转正会怎样",),
        keywords=("转正",),
        answer="支部应当及时讨论，不得拖延。",
        source="发展党员工作细则 第二十九条",
    )
    matcher = FaqMatcher([positive, negative])
    negated = analyse("预备期满了不转正会怎样").negated
    index = matcher.index
    assert negates_other_act(index, matcher.entries.index(positive), negated)
    assert not negates_other_act(index, matcher.entries.index(negative), negated)
