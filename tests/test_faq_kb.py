"""The FAQ base file format: strict loading with line numbers, export round-trip."""

from __future__ import annotations

import textwrap

import pytest

from bot.core.faq import (
    FaqEntry,
    FaqFormatError,
    dump_entries_yaml,
    load_entries_from_yaml,
    load_shipped_entries,
)

GOOD = textwrap.dedent(
    """\
    entries:
      - id: committee-frequency
        question: 支委会多久开一次？
        phrasings:
          - 支部委员会会议几个月开一次
          - 支委会每月都要开吗
          - 支委会开会频率
        keywords: [支委会, 每月]
        answer: >-
          党支部委员会会议一般每月召开1次，
          根据需要可以随时召开。
        source: 《中国共产党支部工作条例（试行）》第十五条
    """
)


def _messages(text: str) -> list[str]:
    with pytest.raises(FaqFormatError) as caught:
        load_entries_from_yaml(text, filename="test.yaml")
    return [str(issue) for issue in caught.value.issues]


def test_loads_a_valid_entry() -> None:
    [entry] = load_entries_from_yaml(GOOD, filename="good.yaml")
    assert entry.id == "committee-frequency"
    assert entry.phrasings == (
        "支部委员会会议几个月开一次",
        "支委会每月都要开吗",
        "支委会开会频率",
    )
    assert entry.keywords == ("支委会", "每月")
    assert entry.org_id is None


def test_folded_answer_has_no_space_between_chinese_lines() -> None:
    [entry] = load_entries_from_yaml(GOOD, filename="good.yaml")
    assert entry.answer == "党支部委员会会议一般每月召开1次，根据需要可以随时召开。"


def test_org_id_is_given_by_the_caller() -> None:
    [entry] = load_entries_from_yaml(GOOD, filename="good.yaml", org_id=7)
    assert entry.org_id == 7


def test_missing_field_is_reported_at_the_entry_line() -> None:
    text = GOOD.replace(
        "    answer: >-\n      党支部委员会会议一般每月召开1次，\n      根据需要可以随时召开。\n",
        "",
    )
    assert _messages(text) == ["第2行：缺少“answer”"]


def test_every_error_is_reported_with_its_line() -> None:
    text = textwrap.dedent(
        f"""\
        entries:
          - id: Bad_Id
            question: 问题一
            phrasings: [只有一种问法]
            keywords: []
            answer: {"很长" * 151}
            source: 条例
            extra: 多余
          - id: ok-entry
            question: 问题二
            phrasings: [甲, 乙, 丙]
            keywords: [甲]
            source: 条例
        """
    )
    assert _messages(text) == [
        "第2行：编号“Bad_Id”只能用小写字母、数字和连字符",
        "第4行：“phrasings”至少要有3种问法",
        "第5行：“keywords”至少要有1个关键词",
        "第6行：答案超过300字（现有302字）",
        "第8行：未知字段“extra”",
        "第9行：缺少“answer”",
    ]


def test_duplicate_ids_point_to_the_first_one() -> None:
    body = GOOD.split("\n", 1)[1]
    messages = _messages("entries:\n" + body + body)
    assert messages == ["第13行：编号“committee-frequency”与第2行重复"]


def test_wrong_types_are_reported() -> None:
    text = GOOD.replace("keywords: [支委会, 每月]", "keywords: 支委会").replace(
        "question: 支委会多久开一次？", "question: [一, 二]"
    )
    assert _messages(text) == ["第3行：“question”应为一段文字", "第8行：“keywords”应为列表"]


def test_yaml_syntax_error_has_a_line() -> None:
    messages = _messages("entries:\n  - id: a\n    question: [未闭合\n    answer: x\n")
    assert len(messages) == 1
    assert messages[0].startswith("第4行：YAML 格式错误")


@pytest.mark.parametrize(
    ("text", "line"), [("entries:\n" + "- " * 1000 + "x\n", 2), ("[" * 1000, 1)]
)
def test_deep_nesting_is_a_format_error(text: str, line: int) -> None:
    """Regression (issue 9, found by Hypothesis): RecursionError crashed /faq import."""
    assert _messages(text) == [f"第{line}行：嵌套层数太多（最多32层）"]


@pytest.mark.parametrize("text", ["", "- id: a\n", "entries: 3\n"])
def test_root_must_be_an_entries_list(text: str) -> None:
    [message] = _messages(text)
    assert "entries:" in message


def test_error_message_names_the_file_and_is_chinese() -> None:
    with pytest.raises(FaqFormatError) as caught:
        load_entries_from_yaml("entries: 3\n", filename="branch.yaml")
    assert str(caught.value).startswith("问答库文件 branch.yaml 有 1 处错误")


def test_export_round_trips() -> None:
    entries = [
        FaqEntry(
            id="local-1",
            question="我们支部的主题党日定在哪天？",
            phrasings=("党日是哪天", "每月几号过党日", "主题党日固定在哪天"),
            keywords=("主题党日", "100"),
            answer="本支部主题党日固定在每月第一个星期五下午。",
            source="支部委员会决定（2026年）",
            org_id=3,
        )
    ]
    text = dump_entries_yaml(entries)
    assert "主题党日" in text  # allow_unicode: readable Chinese, not escapes
    assert load_entries_from_yaml(text, filename="export.yaml", org_id=3) == entries


def test_shipped_base_exports_and_reloads_unchanged() -> None:
    shipped = load_shipped_entries()
    assert len(shipped) >= 20
    assert len({e.id for e in shipped}) == len(shipped)
    assert load_entries_from_yaml(dump_entries_yaml(shipped), filename="all.yaml") == shipped


def test_optional_review_note_is_read_and_round_trips() -> None:
    text = GOOD + "    review: 所引文件已有新版，新版原文未核对\n"
    [entry] = load_entries_from_yaml(text, filename="good.yaml")
    assert entry.review == "所引文件已有新版，新版原文未核对"
    assert load_entries_from_yaml(dump_entries_yaml([entry]), filename="x.yaml") == [entry]
    [plain] = load_entries_from_yaml(GOOD, filename="good.yaml")
    assert plain.review is None
    assert "review" not in dump_entries_yaml([plain])


def test_entries_citing_the_2006_floating_rules_carry_a_review_note() -> None:
    # The 2006 中组部 意见 has a 2024 中办 successor whose text was not checked.
    cited = [e for e in load_shipped_entries() if "加强和改进流动党员管理工作的意见" in e.source]
    old = [e for e in cited if "中共中央组织部关于加强" in e.source]
    assert old
    assert all(e.review for e in old)
