"""Choosing an answer, suggestions or silence; organisations' entries; the off-topic guard."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.faq import FaqEntry, FaqMatcher, analyse, is_question_like, load_shipped_entries
from bot.core.faq.wording import bigrams, closest_wording, own_wordings


def _entry(entry_id: str, question: str, *phrasings: str, org: int | None = None) -> FaqEntry:
    return FaqEntry(
        id=entry_id,
        question=question,
        phrasings=phrasings,
        keywords=(),
        answer=f"{entry_id} 的答案",
        source="《条例》",
        org_id=org,
    )


BASE = [
    _entry(
        "committee-freq", "支委会多久开一次？", "支部委员会会议几个月开一次", "支委会每月都开吗"
    ),
    _entry(
        "assembly-freq", "支部党员大会多久开一次？", "党员大会几个月开一次", "支部大会每季度开吗"
    ),
    _entry("probation-length", "预备期多长？", "预备党员的预备期是几年", "预备期是一年吗"),
    _entry("probation-extend", "预备期能延长吗？", "延长预备期最长多久", "预备期可以延期吗"),
    _entry("dues-rate", "党费按什么比例交？", "工资多少交多少党费", "党费交纳标准"),
    _entry("themed-day", "主题党日多久搞一次？", "党日活动每月一次吗", "主题党日定在哪天"),
]
LOCAL_DAY = _entry(
    "our-day", "我们支部的主题党日是哪天？", "本支部党日定在几号", "党日哪天过", org=5
)


@pytest.fixture(scope="module")
def matcher() -> FaqMatcher:
    return FaqMatcher(BASE)


def test_answers_with_the_right_entry(matcher: FaqMatcher) -> None:
    result = matcher.match("支委会一般多长时间开一次")
    assert result.outcome == "answer"
    assert result.answered
    assert result.entry is not None
    assert result.entry.id == "committee-freq"
    assert 0.0 < result.score <= 1.0
    assert result.candidates[0][0] == result.entry
    assert len(result.candidates) <= 3


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("3会1课里的支部大会多久开", "assembly-freq"),
        ("预备其一年还是两年", "probation-length"),
        ("预备期可不可以延长", "probation-extend"),
        ("主体党日每个月都要过吗", "themed-day"),
    ],
)
def test_colloquial_questions(matcher: FaqMatcher, question: str, expected: str) -> None:
    result = matcher.match(question)
    assert result.entry is not None
    assert result.entry.id == expected


@pytest.mark.parametrize(
    "question",
    [
        "今天天气怎么样",
        "明天会下雨吗",
        "中午吃什么",
        "淘宝怎么退货",
        "这支股票还能涨吗",
        "国足今晚几点比赛",
        "孩子数学作业不会做",
        "大家早上好",
        "哈哈哈",
        "家长会多久开一次",  # "多久开一次" as in the base, but not about Party work
        "工会会费按什么比例交",  # "按什么比例交" as in the base
        "公司年会一年开几次",
        "",
        "？？？",
    ],
)
def test_off_topic_is_never_answered(matcher: FaqMatcher, question: str) -> None:
    result = matcher.match(question)
    assert result.outcome == "none"
    assert result.entry is None
    assert result.candidates == ()
    assert not result.confident


def test_everyday_words_next_to_a_party_term_get_no_direct_answer(matcher: FaqMatcher) -> None:
    result = matcher.match("党费能用信用卡交吗")
    assert not result.answered


def test_ambiguous_question_gets_suggestions(matcher: FaqMatcher) -> None:
    result = matcher.match("支委会和支部大会多久开")
    assert result.outcome == "suggest"
    assert result.entry is None
    ids = [entry.id for entry, _ in result.candidates]
    assert set(ids[:2]) == {"committee-freq", "assembly-freq"}
    assert all(0.0 < score <= 1.0 for _, score in result.candidates)


def test_confident_is_stricter_than_answered(matcher: FaqMatcher) -> None:
    strong = matcher.match("支委会多久开一次")
    assert strong.answered
    assert strong.confident
    weaker = matcher.match("支委会的事")
    assert not weaker.confident


def test_organisation_entry_takes_precedence_for_that_organisation() -> None:
    matcher = FaqMatcher([*BASE, LOCAL_DAY])
    assert matcher.match("主题党日哪天过").entry == BASE[5]
    result = matcher.match("主题党日哪天过", org_ids=frozenset({5, 1}))
    assert result.answered
    assert result.entry == LOCAL_DAY


def test_other_organisations_entries_are_invisible() -> None:
    matcher = FaqMatcher([*BASE, LOCAL_DAY])
    for org_ids in (frozenset(), frozenset({6})):
        result = matcher.match("本支部党日定在几号", org_ids=org_ids)
        assert all(entry.org_id is None for entry, _ in result.candidates)


def test_organisation_entry_with_a_shipped_id_replaces_it() -> None:
    override = _entry("dues-rate", "本单位党费怎么交？", "党费交给谁", "党费比例", org=5)
    matcher = FaqMatcher([*BASE, override])
    result = matcher.match("党费按什么比例交", org_ids=frozenset({5}))
    assert result.entry == override
    assert BASE[4] not in [entry for entry, _ in result.candidates]


def test_organisation_keywords_count_as_party_topics() -> None:
    room = FaqEntry(
        id="reading-room",
        question="活动室几点开门？",
        phrasings=("活动室开放时间", "活动室周末开吗", "活动室在哪"),
        keywords=("活动室",),
        answer="活动室每天8:00至18:00开放。",
        source="支部通知",
        org_id=9,
    )
    matcher = FaqMatcher([*BASE, room])
    assert matcher.match("活动室几点开门").outcome == "none"
    assert matcher.match("活动室几点开门", org_ids=frozenset({9})).entry == room


def test_shipped_base_answers_the_issue_examples() -> None:
    matcher = FaqMatcher(load_shipped_entries())
    for question in ("支委会多久开一次", "预备期能延长吗"):
        result = matcher.match(question)
        assert result.answered, question
        assert result.entry is not None
        assert result.entry.source.startswith("《")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("支委会多久开一次", True),
        ("预备期能延长吗", True),
        ("请问党费比例", True),
        ("党费交多少？", True),
        ("收到", False),
        ("好的，谢谢书记", False),
        ("明天下午三点开会，大家准时参加", False),
        ("/ask 党费", False),
        ("看这个 https://example.com 怎么样", False),
        ("这是一段很长的讨论" * 12 + "吗", False),
    ],
)
def test_is_question_like(text: str, expected: bool) -> None:
    assert is_question_like(text) is expected


def test_rebuild_reuses_the_analysis_of_unchanged_entries() -> None:
    first = FaqMatcher(BASE)
    edited = replace(BASE[0], answer="新的答案")
    second = FaqMatcher([edited, *BASE[1:]], reuse=first)
    assert second.documents[BASE[1]] is first.documents[BASE[1]]
    assert edited in second.documents
    result = second.match("支委会多久开一次")
    assert result.entry is not None
    assert result.entry.answer == "新的答案"


@pytest.fixture(scope="module")
def shipped() -> FaqMatcher:
    return FaqMatcher(load_shipped_entries())


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("党费怎么交", "dues-rates"),  # a phrasing of dues.yaml word for word
        ("党费咋交", "dues-rates"),  # ... and its colloquial form
        ("民主集中制啥意思", "democratic-centralism-meaning"),  # no 党 in it
        ("四个服从是什么", "four-obediences"),
        ("八项规定是什么", "eight-rules-content"),  # 八项 is no count of 项
        ("党徽怎么戴", "member-badge-wearing"),
    ],
)
def test_shipped_base_finds_forms_it_used_to_miss(
    shipped: FaqMatcher, question: str, expected: str
) -> None:
    result = shipped.match(question)
    assert result.candidates, result  # no longer refused
    assert result.candidates[0][0].id == expected
    if question.startswith("党费"):
        assert result.answered  # word for word (and its colloquial form): answered


def test_a_word_for_word_phrasing_is_answered_even_among_close_rivals() -> None:
    close = [
        _entry("dues-rate", "党费按什么比例交？", "党费怎么交", "党费交纳标准"),
        _entry("dues-retired", "退休党员党费怎么交？", "退休了交多少党费", "离休党费比例"),
        _entry("dues-students", "学生党员党费怎么交？", "大学生交多少党费", "学生党费"),
    ]
    result = FaqMatcher(close).match("党费怎么交？")
    assert result.entry is not None
    assert result.entry.id == "dues-rate"


def test_a_question_about_a_past_event_gets_no_shipped_answer(shipped: FaqMatcher) -> None:
    rule = shipped.match("党费每月几号交")
    event = shipped.match("我们支部上个月的党费谁收的")
    assert not event.answered
    assert rule.outcome != "none"


def test_past_events_may_be_answered_by_the_organisation() -> None:
    local = _entry("who-collected", "上个月党费谁收的？", "上月党费谁收", "党费谁收的", org=5)
    matcher = FaqMatcher([*BASE, local])
    result = matcher.match("上个月的党费谁收的", org_ids=frozenset({5}))
    assert result.entry == local


def test_comparison_questions_prefer_entries_that_compare() -> None:
    entries = [
        _entry("restore", "开除党籍后能恢复吗？", "开除党籍还能回来吗", "被开除能重新入党吗"),
        _entry("versus", "除名和开除党籍有什么区别？", "除名与开除有啥不同", "除名算处分吗"),
    ]
    result = FaqMatcher(entries).match("开除党籍和除名有啥不一样")
    assert result.candidates[0][0].id == "versus"


@pytest.mark.parametrize(
    "question",
    [
        "这个月主题党日定在哪天，通知发了没",
        "咱支部今年谁评上优秀党员了",
        "老王的党费交到几月份了",
        "下周的支委会改到几号了",
        "书记，主题党日签到表放哪了",
    ],
)
def test_a_question_about_the_branch_own_data_gets_no_policy_reply(
    shipped: FaqMatcher, question: str
) -> None:
    result = shipped.match(question)
    assert (result.outcome, result.local, result.candidates) == ("none", True, ())


@pytest.mark.parametrize(
    "question", ["我们村主题党日一般定在几号", "支部书记一届干几年", "主题党日多久开展一次"]
)
def test_rule_questions_naming_the_branch_are_not_own_data(
    shipped: FaqMatcher, question: str
) -> None:
    assert not shipped.match(question).local


def test_the_organisation_may_answer_a_question_about_its_own_data() -> None:
    local = _entry("day", "这个月主题党日定在哪天？", "主题党日哪天", "党日定在哪天", org=5)
    matcher = FaqMatcher([*BASE, local])
    assert matcher.match("这个月主题党日定在哪天", org_ids=frozenset({5})).entry == local
    assert matcher.match("这个月主题党日定在哪天").local


def test_wording_similarity_is_the_closest_own_text() -> None:
    asked = bigrams("支部书记任期几年")

    def similarity(texts: list[str]) -> float:
        return closest_wording(asked, own_wordings(texts))

    assert similarity(["支部书记任期几年"]) == 1.0
    assert similarity(["党费怎么交"]) == 0.0
    close = similarity(["党支部委员会每届任期几年", "支部书记任期多久"])
    assert 0.5 < close < 1.0
    assert bigrams("党费吗") == bigrams("党 费") == frozenset({"党费"})  # particles, spaces


def test_the_wording_tells_sibling_entries_apart() -> None:
    siblings = [
        _entry("assembly-often", "支部党员大会多久开一次？", "党员大会几个月开", "大会频次"),
        _entry("committee-often", "支委会多久开一次？", "支委会几个月开", "支委会频次"),
    ]
    result = FaqMatcher(siblings).match("支委会一般多久开一次")
    assert result.entry is not None
    assert result.entry.id == "committee-often"


def test_an_own_question_asking_two_things_is_echoed_by_either_part() -> None:
    """党费可以过后补交吗 echoes half of 党费能不能一次交几个月，或者过后补交？: the title
    factor takes the part it echoes, so a sibling with a one-part title does not win on it."""
    two = _entry("back-pay", "党费能不能一次交几个月，或者过后补交？", "补交党费", "按季度交")
    index = FaqMatcher([two, *BASE]).index
    terms = dict(analyse("党费过后能补交吗").weights)
    assert index.title_cover(0, terms) == 1.0
    assert index._cover(index.titles[0], terms) < 1.0  # the whole question, as before
