"""Untrusted files: the bounded readers, and the child process that runs them on a budget."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.core import safe_yaml, sandbox, uploads
from bot.core.errors import InvalidInput
from bot.core.faq import FaqFormatError, load_entries_from_yaml
from bot.core.orgtree import OrgTreeError, parse_org_tree
from bot.core.sandbox import BROKEN, TIMEOUT, TOO_LARGE, Budget, BudgetExceeded, run_isolated
from bot.core.study import PlanError
from bot.core.study_files import MAX_ROWS, example_topics, read_plan, template_xlsx
from bot.core.xlsx_rows import MAX_ENTRIES
from tests import hostile_files as hostile
from tests import sandbox_jobs as jobs

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
ALIASES = "不支持 YAML 锚点和别名（& 和 *），请把内容直接写出来"
TOO_DEEP = "嵌套层数太多（最多32层）"
ROWS = f"文件行数太多：最多{MAX_ROWS}行（含表头和空行），一次最多导入100个主题"
NOT_EXCEL = "无法读取这个 Excel 文件，请另存为 .xlsx 后再试"


def plan_errors(filename: str, content: bytes) -> list[str]:
    with pytest.raises(PlanError) as caught:
        read_plan(filename, content)
    return caught.value.errors


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("a: &x 1\nb: 2\n", f"第1行：{ALIASES}"),
        ("a: [1]\nb: *x\n", f"第2行：{ALIASES}"),
        ("base: {a: 1}\nmore:\n  <<: *base\n", f"第3行：{ALIASES}"),
        ("a: " + "[" * 33 + "]" * 33, f"第1行：{TOO_DEEP}"),
        ("".join("  " * n + "-\n" for n in range(40)), f"第33行：{TOO_DEEP}"),
        ("[" + "1," * 50_000 + "1]", "第1行：内容项太多（最多50000项）"),
    ],
    ids=["anchor", "alias", "merge-key", "deep-flow", "deep-block", "too-many-nodes"],
)
def test_yaml_bounds_are_refused_with_their_line(text: str, error: str) -> None:
    with pytest.raises(safe_yaml.YamlRefused) as caught:
        safe_yaml.compose(text)
    assert str(caught.value) == error


def test_yaml_within_bounds_composes_as_pyyaml_does() -> None:
    text = "topics:\n  - title: x\n    quiz:\n      - options: [a, {b: [c]}]\n"
    ours, theirs = safe_yaml.compose(text), yaml.compose(text, Loader=yaml.SafeLoader)
    assert yaml.serialize(ours) == yaml.serialize(theirs)
    assert safe_yaml.compose("a: " + "[" * 31 + "]" * 31) is not None
    with pytest.raises(yaml.MarkedYAMLError, match="expected the node content"):
        safe_yaml.compose("topics: [\n")  # PyYAML's own words, as before


HOSTILE_PLANS: list[tuple[str, Callable[[], bytes], str]] = [
    ("bomb.yaml", hostile.alias_bomb_yaml, f"第1行：{ALIASES}"),
    ("deep.yaml", hostile.deep_yaml, f"第2行：{TOO_DEEP}"),
    ("flat.yaml", hostile.flat_yaml, "第1行：内容项太多（最多50000项）"),
    ("rows-550k.xlsx", hostile.many_rows_xlsx, "表格太大：工作表解压后超过4MB，请删去多余的行"),
    ("rows-5k.xlsx", lambda: hostile.many_rows_xlsx(5_000), ROWS),
    ("sheets.xlsx", lambda: hostile.many_sheets_xlsx(2, 5_000), ROWS),
    ("rows.csv", lambda: b"title\n" + b"x\n" * 5_000, ROWS),
    ("bomb.xlsx", lambda: hostile.zip_bomb_xlsx(16), "Excel 文件解压后超过4MB"),
    ("junk.xlsx", hostile.junk_xml_xlsx, NOT_EXCEL),
    ("plain.xlsx", lambda: b"not a zip", NOT_EXCEL),
    ("big.yaml", lambda: b"#" * 1_000_001, "文件太大了，请控制在1MB以内"),
    ("quote.csv", lambda: b'title\n"' + b"x" * 200_000, "第2行起：CSV 格式有误"),
]


@pytest.mark.parametrize(
    ("filename", "make", "error"), HOSTILE_PLANS, ids=[case[0] for case in HOSTILE_PLANS]
)
def test_hostile_plan_files_are_refused_in_chinese(
    filename: str, make: Callable[[], bytes], error: str
) -> None:
    [message] = plan_errors(filename, make())
    assert message.startswith(error)


def test_a_zip_of_many_parts_is_not_opened() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(MAX_ENTRIES + 1):
            archive.writestr(f"x{n}", b"")
    [message] = plan_errors("many.xlsx", buffer.getvalue())
    assert message.startswith("Excel 文件内部的部件太多")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2026-13-45", "title的值“2026-13-45”不是有效的日期或数字"),
        ("9" * 5_000, "title的值无法读取"),
        ("!!timestamp 明天", "title的值无法读取"),
    ],
)
def test_yaml_values_that_only_look_typed_are_errors_with_lines(value: str, problem: str) -> None:
    errors = plan_errors("p.yaml", f"topics:\n  - title: {value}\n".encode())
    assert errors == [f"第2行：{problem}"]


def test_content_past_the_last_column_read_is_still_reported() -> None:
    csv = "title," + "," * 100 + "多余\n" + "题目," + "," * 100 + "多余\n"
    assert plan_errors("p.csv", csv.encode("utf-8"))[0].startswith("第1行：不认识的列名“多余”")
    assert plan_errors("p.csv", ("title\n题目," + "," * 100 + "多余\n").encode()) == [
        "第2行：有内容写在了没有列名的列里"
    ]


def test_faq_bases_and_org_trees_use_the_same_bounds() -> None:
    with pytest.raises(FaqFormatError) as faq:
        load_entries_from_yaml(hostile.faq_alias_bomb_yaml().decode(), filename="bomb.yaml")
    assert [str(issue) for issue in faq.value.issues] == [f"第1行：{ALIASES}"]
    with pytest.raises(FaqFormatError, match=TOO_DEEP):
        load_entries_from_yaml(hostile.deep_yaml(key="entries").decode(), filename="deep.yaml")
    with pytest.raises(OrgTreeError) as tree:
        parse_org_tree("- name: &x 党委\n  kind: 党委\n  domain: 机关\n")
    assert tree.value.errors == [f"第1行：{ALIASES}"]


async def test_a_plan_is_read_in_the_child_and_comes_back_whole() -> None:
    content = template_xlsx([{"title": "学习党章", "publish_at": "2026-12-05 09:00"}])
    with pytest.raises(PlanError) as caught:
        await uploads.read_study_plan(("p.xlsx", content), NOW, TZ)
    assert caught.value.errors == [
        "第2行：缺少简介（summary）",
        "第2行：缺少讨论题（questions）",
        "第2行：缺少截止时间（deadline）",
    ]
    assert "计划文件有" in str(caught.value)  # rebuilt from its errors, not its message


async def test_results_and_user_errors_cross_the_process_boundary() -> None:
    value = {"when": NOW.astimezone(TZ), "items": [1, 2.5, "三"], "tags": {"a"}}
    assert await run_isolated(jobs.echo, value) == value
    with pytest.raises(InvalidInput, match=r"^不对$"):
        await run_isolated(jobs.refuse, "不对")


@pytest.mark.parametrize(
    ("job", "args", "budget", "message"),
    [
        (jobs.sleep, (30,), Budget(seconds=0.5), TIMEOUT.format(seconds=1)),
        (jobs.spin, (), Budget(seconds=1), TIMEOUT.format(seconds=1)),
        (jobs.hog, (1024,), Budget(memory_bytes=256 << 20), TOO_LARGE),
        (jobs.big, (2,), Budget(output_bytes=1 << 20), TOO_LARGE),
    ],
    ids=["wall-clock", "cpu", "memory", "answer-size"],
)
async def test_the_budget_is_enforced(
    job: object, args: tuple[object, ...], budget: Budget, message: str
) -> None:
    assert callable(job)
    with pytest.raises(BudgetExceeded) as caught:
        await run_isolated(job, *args, budget=budget)
    assert str(caught.value) == message


async def test_a_child_takes_its_budgets_nice_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite runs children un-niced (tests/conftest.py); the bot renices them."""
    mine = await run_isolated(jobs.niceness)
    assert await run_isolated(jobs.niceness, budget=Budget(nice=5)) == mine
    monkeypatch.setattr(sandbox, "RENICE", True)
    assert await run_isolated(jobs.niceness, budget=Budget(nice=5)) == min(mine + 5, 19)


@pytest.mark.parametrize("job", [jobs.crash, jobs.foreign, jobs.smuggle])
async def test_a_failing_child_is_a_clear_message_and_a_log_line(
    job: object, caplog: pytest.LogCaptureFixture
) -> None:
    assert callable(job)
    with caplog.at_level(logging.WARNING), pytest.raises(BudgetExceeded, match=f"^{BROKEN}$"):
        await run_isolated(job)
    assert caplog.records


def test_a_workbook_claiming_an_unknown_zip_version_is_refused() -> None:
    """A damaged central directory can claim zip version 6.4: zipfile raises
    NotImplementedError, not BadZipFile (found by the property test)."""
    content = bytearray(template_xlsx(example_topics(NOW, TZ)))
    directory = content.index(b"PK\x01\x02")
    content[directory + 6 : directory + 8] = (64).to_bytes(2, "little")  # version needed
    assert plan_errors("p.xlsx", bytes(content)) == [NOT_EXCEL]
