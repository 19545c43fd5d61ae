"""Study plans (pure): reading YAML/CSV/XLSX, validation with lines, rules, scope, stats."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from bot.core.domain import Domain
from bot.core.study import PlanError, Scope, schedule_rules, validate_plan
from bot.core.study_files import (
    example_topics,
    read_plan,
    template_csv,
    template_xlsx,
    template_yaml,
)
from bot.core.study_quiz import QuizItem
from bot.core.study_stats import OrgRef, completion, member_rows, scope_targets
from bot.core.study_time import month_bounds, reminder_time

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Beijing

GOOD_YAML = """\
topics:
  - title: 学习党章
    publish_at: 2026-12-05 09:00
    summary: 学习党章总纲。
    materials:
      - 党章全文
      - https://www.12371.cn/
    questions: [党员有哪些义务？, 如何发挥先锋模范作用？]
    deadline: 2026-12-12 18:00
    quiz:
      - question: 党的最高理想是什么？
        options: [实现共产主义, 全面小康]
        answer: A
    scope: 下级组织
"""


def plan(filename: str, content: str | bytes) -> list:  # type: ignore[type-arg]
    data = content.encode() if isinstance(content, str) else content
    return validate_plan(read_plan(filename, data), NOW, TZ)


def errors_of(filename: str, content: str | bytes) -> list[str]:
    with pytest.raises(PlanError) as caught:
        plan(filename, content)
    return caught.value.errors


def test_a_yaml_plan_is_read_whole() -> None:
    (topic,) = plan("plan.yaml", GOOD_YAML)
    assert topic.title == "学习党章"
    assert topic.publish_at == datetime(2026, 12, 5, 9, 0, tzinfo=TZ)
    assert topic.deadline_at == datetime(2026, 12, 12, 18, 0, tzinfo=TZ)
    assert topic.materials == ("党章全文", "https://www.12371.cn/")
    assert topic.quiz == (QuizItem("党的最高理想是什么？", ("实现共产主义", "全面小康"), 0),)
    assert topic.scope is Scope.BELOW


def test_yaml_errors_name_the_line_of_each_field() -> None:
    bad = GOOD_YAML.replace("[党员有哪些义务？, 如何发挥先锋模范作用？]", "[只有一个问题]")
    bad = bad.replace("answer: A", "answer: C").replace("2026-12-05 09:00", "2026-11-01 09:00")
    errors = errors_of("plan.yml", bad + "  - title: 第二个\n    colour: red\n")
    assert errors[:3] == [
        "第3行：发布时间2026-11-01 09:00已经过去了",
        "第8行：讨论题需要2到5个（现在1个），多个之间用;分隔",
        "第11行：测验第1题：测验答案“C”超出了选项范围",
    ]
    assert "第16行：不认识的字段“colour”" in errors
    assert "第15行：缺少发布时间（publish_at）" in errors


def test_the_error_message_says_nothing_was_imported() -> None:
    with pytest.raises(PlanError) as caught:
        plan("plan.yaml", "topics:\n  - title: 只有标题\n")
    message = str(caught.value)
    assert message.startswith("计划文件有4处错误，没有导入任何主题：\n第2行：缺少发布时间")


def test_broken_yaml_and_unknown_formats_are_refused() -> None:
    assert errors_of("plan.yaml", "topics: [\n")[0].startswith("第2行：YAML 格式有误")
    assert errors_of("plan.docx", b"x") == [
        "只能导入 YAML（.yaml）、CSV（.csv）或 Excel（.xlsx）文件"
    ]
    assert errors_of("plan.yaml", "标题: x\n") == ["文件应以“topics:”开头，下面列出各个主题"]


def test_a_date_that_does_not_exist_is_an_error_of_its_line() -> None:
    """Regression (issue 9, found by Hypothesis): YAML itself reads an unquoted 2026-02-30
    as a date, and its ValueError crashed the import."""
    bad = GOOD_YAML.replace("2026-12-05 09:00", "2026-02-30")
    bad = bad.replace("answer: A", "answer: 2026-13-01")
    assert errors_of("plan.yaml", bad) == [
        "第3行：publish_at的值“2026-02-30”不是有效的日期或数字",
        "第11行：quiz里有无效的日期或数字",
    ]


def test_deep_nesting_is_a_format_error() -> None:
    """Regression (issue 9, found by Hypothesis): RecursionError crashed /study import."""
    assert errors_of("plan.yaml", "topics: " + "[" * 1000) == ["第1行：嵌套层数太多（最多32层）"]


def test_aliases_are_refused_before_they_expand() -> None:
    """Regression (issue 9): nine nested aliases under `questions` took minutes and
    gigabytes (str() of a list of 10⁹ items) while blocking the bot's event loop."""
    anchors = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    anchors += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
    bomb = "\n".join(anchors) + "\n" + GOOD_YAML.replace("[党员有哪些义务？,", "[*a8,")
    assert errors_of("plan.yaml", bomb) == [
        "第1行：不支持 YAML 锚点和别名（& 和 *），请把内容直接写出来"
    ]


def test_a_publish_time_more_than_two_years_ahead_is_refused() -> None:
    """Regression (issue 9, found by Hypothesis): 9999-12-31 23:59 with 发布后7天 passed the
    checks, then scheduling the deadline raised OverflowError; meetings stop at two years."""
    far = GOOD_YAML.replace("2026-12-05 09:00", "9999-12-31 23:59")
    far = far.replace("2026-12-12 18:00", "发布后7天")
    assert errors_of("plan.yaml", far) == [
        "第3行：发布时间9999-12-31 23:59太远了，最多只能提前2年安排"
    ]
    (topic,) = plan("plan.yaml", far.replace("9999-12-31 23:59", "2028-11-25 09:00"))
    assert topic.publish_at == datetime(2028, 11, 25, 9, 0, tzinfo=TZ)


CSV_HEAD = "标题,发布时间,简介,讨论题,截止时间,测验,范围\n"


def test_csv_rows_use_chinese_headers_semicolons_and_quiz_text() -> None:
    row = "学党史,2026-12-05 09:00,简介,问题一;问题二,发布后3天,题目|甲|乙|乙,本组织\n"
    (topic,) = plan("plan.csv", CSV_HEAD + row)
    assert topic.questions == ("问题一", "问题二")
    assert topic.deadline_after == timedelta(days=3)
    assert topic.quiz[0].answer == 1
    (scheduled,) = schedule_rules([topic], {}, NOW, TZ)
    assert scheduled.deadline_at == datetime(2026, 12, 8, 9, 0, tzinfo=TZ)


def test_csv_errors_name_the_row_and_gb18030_is_read() -> None:
    rows = (
        "好主题,2026-12-05 09:00,简介,问题一;问题二,2026-12-04 09:00,,\n"
        '"多行\n主题",明天,简介,一;二,发布后1天,,隔壁\n'
    )
    errors = errors_of("plan.csv", (CSV_HEAD + rows).encode("gb18030"))
    assert errors == [
        "第2行：截止时间需要在发布时间之后",
        "第3行：发布时间“明天”看不懂，请写成“2026-12-05 09:00”",
        "第3行：范围“隔壁”看不懂，可选：本组织 / 下级组织",
    ]
    header = errors_of("plan.csv", "标题,颜色\nx,y\n")
    assert header[0].startswith("第1行：不认识的列名“颜色”")


def xlsx(*rows: list[object]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["title", "publish_at", "summary", "questions", "deadline"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_date_cells_and_row_numbers() -> None:
    # Excel keeps wall-clock times without a zone: they are read in the bot's zone.
    cell = datetime(2026, 12, 5, 9, 0, tzinfo=TZ).replace(tzinfo=None)
    good = ["学条例", cell, "简介", "一\n二", "发布后2天"]
    (topic,) = plan("plan.xlsx", xlsx(good))
    assert topic.publish_at == datetime(2026, 12, 5, 9, 0, tzinfo=TZ)
    assert topic.questions == ("一", "二")
    errors = errors_of("plan.xlsx", xlsx(good, ["缺简介", cell, None, "一;二", "发布后2天"]))
    assert errors == ["第3行：缺少简介（summary）"]
    assert errors_of("plan.xlsx", b"not a zip")[0].startswith("无法读取这个 Excel 文件")


def test_rule_topics_take_successive_occurrences_after_those_taken() -> None:
    text = "".join(
        f"  - title: 第{n}月\n    publish_at: 每月第一个周五 9:00\n    summary: s\n"
        f"    questions: [a, b]\n    deadline: 发布后7天\n"
        for n in (1, 2)
    )
    drafts = plan("plan.yaml", "topics:\n" + text)
    assert drafts[0].rule == "每月第一个周五 09:00"
    taken = {"每月第一个周五 09:00": datetime(2026, 12, 4, 9, 0, tzinfo=TZ)}
    first, second = schedule_rules(drafts, taken, NOW, TZ)
    assert first.publish_at == datetime(2027, 1, 1, 9, 0, tzinfo=TZ)
    assert second.publish_at == datetime(2027, 2, 5, 9, 0, tzinfo=TZ)
    assert second.deadline_at == datetime(2027, 2, 12, 9, 0, tzinfo=TZ)
    absolute = text.replace("发布后7天", "2027-03-01 09:00")
    assert "相对时间" in errors_of("plan.yaml", "topics:\n" + absolute)[0]


def test_limits_on_length_and_counts() -> None:
    long = GOOD_YAML.replace("学习党章总纲。", "长" * 1001)
    assert errors_of("plan.yaml", long) == ["第4行：简介不能超过1000字（现在1001字）"]
    quiz = "\n".join(
        f"      - question: 题{n}\n        options: [甲, 乙]\n        answer: 1" for n in range(6)
    )
    many = GOOD_YAML.split("    quiz:")[0] + "    quiz:\n" + quiz + "\n"
    assert errors_of("plan.yaml", many) == ["第11行：测验最多5题（现在6题）"]


def test_templates_are_valid_plans_in_every_format() -> None:
    topics = example_topics(NOW, TZ)
    for name, content in (
        ("t.yaml", template_yaml(topics)),
        ("t.csv", template_csv(topics)),
        ("t.xlsx", template_xlsx(topics)),
    ):
        drafts = schedule_rules(plan(name, content), {}, NOW, TZ)
        assert [d.title for d in drafts] == [t["title"] for t in topics]
        assert drafts[1].publish_at == datetime(2026, 12, 4, 9, 0, tzinfo=TZ)
        assert len(drafts[0].quiz) == 1


def test_reminder_and_month_helpers() -> None:
    start = datetime(2026, 12, 4, 9, 0, tzinfo=TZ)
    assert reminder_time(start, start + timedelta(days=7)) == start + timedelta(days=6)
    assert reminder_time(start, start + timedelta(hours=6)) == start + timedelta(hours=3)
    first, following = month_bounds(datetime(2026, 11, 30, 17, 0, tzinfo=UTC), TZ)
    assert (first, following) == (
        datetime(2026, 12, 1, tzinfo=TZ),
        datetime(2027, 1, 1, tzinfo=TZ),
    )


def test_scope_reaches_down_only_and_filters_domains() -> None:
    subtree = [
        OrgRef(1, "镇党委", Domain.ORGAN),
        OrgRef(2, "一村", Domain.RURAL),
        OrgRef(3, "二社区", Domain.COMMUNITY),
    ]
    assert scope_targets(1, subtree, Scope.OWN) == [1]
    assert scope_targets(1, subtree, Scope.BELOW) == [1, 2, 3]
    assert scope_targets(1, subtree, Scope.BELOW, Domain.RURAL) == [2]


def test_member_rows_and_completion() -> None:
    when = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
    rows = member_rows(
        [(1, "甲"), (2, "乙"), (3, "丙")], {2: (when, True)}, {2: (1, 1), 1: (0, 1)}
    )
    assert [(r.name, r.studied, r.makeup, r.correct, r.answered) for r in rows] == [
        ("乙", True, True, 1, 1),
        ("甲", False, False, 0, 1),
        ("丙", False, False, 0, 0),
    ]
    orgs = [OrgRef(1, "一支部", Domain.RURAL), OrgRef(2, "二支部", Domain.RURAL)]
    result = completion(orgs, {1: [10, 11], 2: [20]}, {10, 20})
    assert [(r.name, r.studied, r.total, r.percent) for r in result] == [
        ("一支部", 1, 2, 50),
        ("二支部", 1, 1, 100),
    ]
