"""Read study plans from YAML, CSV or XLSX into RawTopics with lines; write the templates.

YAML: ``topics:`` (or a bare list) of mappings with the keys of :mod:`bot.core.study_fields`.
CSV and XLSX: a header row with the same names (or their Chinese names: 标题, 发布时间 …),
one topic per row; lists separated by ``;``. Lines are the file's: the YAML line of each
field, the CSV/XLSX row (the header is row 1).

Every bound is checked while reading, so a hostile file stops early: the size before
anything else, YAML through :mod:`bot.core.safe_yaml` (no aliases, bounded depth and
nodes), spreadsheets through :mod:`bot.core.xlsx_rows` (the zip checked first), and CSV or
sheet rows counted as they come (``MAX_ROWS``, blank rows included; cells past
``MAX_COLUMNS`` are not read). Time and memory are bounded by the caller, which runs this
in a child process (:mod:`bot.core.uploads`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.core.safe_yaml import YamlRefused, compose
from bot.core.study import MAX_TOPICS, PlanError, RawTopic, TopicDraft, validate_plan
from bot.core.study_fields import KEYS, key_of
from bot.core.xlsx_rows import XlsxRefused, first_sheet_rows

MAX_FILE_BYTES = 1_000_000
# Rows read, header and blank rows included: ten times MAX_TOPICS leaves room for blank
# formatted rows, and stops a sheet of half a million rows after the first thousand.
MAX_ROWS = 1_000
MAX_COLUMNS = 64
FORMATS = ("yaml", "csv", "xlsx")
_TOO_MANY_ROWS = f"文件行数太多：最多{MAX_ROWS}行（含表头和空行），一次最多导入{MAX_TOPICS}个主题"


def plan_format(filename: str) -> str:
    """yaml, csv or xlsx by the file's extension; PlanError for anything else."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    extension = "yaml" if extension == "yml" else extension
    if extension not in FORMATS:
        raise PlanError(["只能导入 YAML（.yaml）、CSV（.csv）或 Excel（.xlsx）文件"])
    return extension


def check_upload(filename: str, content: bytes, *, size: int | None = None) -> str:
    """The checks that need no parsing (extension, size — `size` as announced, before the
    content is fetched); the plan's format."""
    kind = plan_format(filename)
    if max(len(content), size or 0) > MAX_FILE_BYTES:
        raise PlanError(["文件太大了，请控制在1MB以内"])
    return kind


def read_plan(filename: str, content: bytes) -> list[RawTopic]:
    """The topics of a plan file, each with its lines; PlanError when it cannot be read."""
    kind = check_upload(filename, content)
    if kind == "yaml":
        return read_yaml(_decode(content))
    if kind == "csv":
        return read_rows(_csv_rows(_decode(content)))
    return read_xlsx(content)


def check_plan(filename: str, content: bytes, now: datetime, tz: ZoneInfo) -> list[TopicDraft]:
    """Read and validate a plan file: the whole untrusted part of an import, in one call."""
    return validate_plan(read_plan(filename, content), now, tz)


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM); Excel's Chinese CSVs come as GB18030."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise PlanError(["文件编码无法识别，请保存为 UTF-8"]) from None


def read_yaml(text: str) -> list[RawTopic]:
    """Topics from YAML, with the line of every field."""
    try:
        root = compose(text)
    except YamlRefused as exc:
        raise PlanError([str(exc)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"第{mark.line + 1}行：" if mark else ""
        raise PlanError([f"{line}YAML 格式有误（{getattr(exc, 'problem', exc)}）"]) from None
    except RecursionError:  # the parser recurses once per level: [[[[[…
        raise PlanError(["YAML 格式有误（嵌套层次太多）"]) from None
    items = _topic_nodes(root)
    errors: list[str] = []
    topics = [topic for node in items if (topic := _yaml_topic(node, errors)) is not None]
    if errors:
        raise PlanError(errors)
    return topics


def _topic_nodes(root: Node | None) -> list[Node]:
    if isinstance(root, MappingNode):
        for key, value in root.value:
            if isinstance(key, ScalarNode) and key.value == "topics":
                if isinstance(value, SequenceNode):
                    return list(value.value)
                break
    if isinstance(root, SequenceNode):
        return list(root.value)
    raise PlanError(["文件应以“topics:”开头，下面列出各个主题"])


def _yaml_topic(node: Node, errors: list[str]) -> RawTopic | None:
    line = node.start_mark.line + 1
    if not isinstance(node, MappingNode):
        errors.append(f"第{line}行：每个主题应包含 title、publish_at 等字段")
        return None
    constructor = SafeConstructor()
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        try:
            values[key] = constructor.construct_object(value_node, deep=True)
        except yaml.YAMLError as exc:
            errors.append(f"第{value_node.start_mark.line + 1}行：{key}的值无法读取（{exc}）")
            continue
        except Exception as exc:
            # SafeConstructor fails with ValueError, AttributeError, IndexError … on values
            # that look typed but are not: a date 2026-02-30 or 2026-13-45, a 5,000-digit
            # number, an empty "!!int", "!!timestamp x" (found by the property tests).
            problem = _unreadable(key, value_node, exc)
            errors.append(f"第{value_node.start_mark.line + 1}行：{problem}")
            continue
        lines[key] = value_node.start_mark.line + 1
    return RawTopic(values, line, lines)


def _unreadable(key: str, node: Node, exc: Exception) -> str:
    """Why a value could not be read, in the words that fit: a plain date or number that does
    not exist says so; anything stranger is just unreadable."""
    if isinstance(exc, ValueError) and isinstance(node, ScalarNode) and 0 < len(node.value) <= 40:
        return f"{key}的值“{node.value}”不是有效的日期或数字"
    if isinstance(exc, ValueError) and not isinstance(node, ScalarNode):
        return f"{key}里有无效的日期或数字"
    return f"{key}的值无法读取"


def read_rows(rows: Iterable[tuple[int, Sequence[Any]]]) -> list[RawTopic]:
    """Topics from numbered rows: a header row, then one row per topic (CSV or a sheet)."""
    iterator = _bounded(rows)
    first = next(iterator, None)
    if first is None:
        raise PlanError(["文件是空的"])
    keys = _header_keys(first[1], first[0])
    topics, errors = [], []
    for number, row in iterator:
        cells = [_cell(cell) for cell in row]
        if any(cell != "" for i, cell in enumerate(cells) if i not in keys):
            errors.append(f"第{number}行：有内容写在了没有列名的列里")
        values = {keys[i]: cell for i, cell in enumerate(cells) if i in keys and cell != ""}
        if values:
            topics.append(RawTopic(values, number))
    if errors:
        raise PlanError(errors)
    return topics


def _bounded(rows: Iterable[tuple[int, Sequence[Any]]]) -> Iterator[tuple[int, Sequence[Any]]]:
    """The rows up to MAX_ROWS (PlanError at the next one), each cut to MAX_COLUMNS cells.

    The first non-blank cell past the cut stands for the rest, so that content there is
    still reported as content in a column without a name.
    """
    for count, (number, row) in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise PlanError([_TOO_MANY_ROWS])
        if len(row) > MAX_COLUMNS:
            extra = next((cell for cell in row[MAX_COLUMNS:] if _cell(cell) != ""), None)
            row = [*row[:MAX_COLUMNS], extra]
        yield number, row


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each starts on (a cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise PlanError([f"第{line}行起：CSV 格式有误（引号不成对，或单元格太长）"]) from None
        yield line, row
        line = reader.line_num + 1


def _header_keys(header: Sequence[Any], line: int) -> dict[int, str]:
    keys: dict[int, str] = {}
    errors = []
    for index, cell in enumerate(header):
        name = _cell(cell)
        if name == "":
            continue
        key = key_of(str(name))
        if key is None:
            errors.append(f"第{line}行：不认识的列名“{name}”，可用：{'、'.join(KEYS)}")
        elif key in keys.values():
            errors.append(f"第{line}行：列“{name}”重复了")
        else:
            keys[index] = key
    if "title" not in keys.values() and not errors:
        errors.append(f"第{line}行：第一行应是列名，至少要有 title（标题）")
    if errors:
        raise PlanError(errors)
    return keys


def _cell(value: Any) -> Any:
    """Spreadsheet cells: keep dates and times, strip text, empty is ''."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(content: bytes) -> list[RawTopic]:
    """Topics from the first worksheet of an .xlsx file."""
    # One column more than read_rows keeps, so that content there is still reported.
    rows = first_sheet_rows(content, max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS + 1)
    try:
        with closing(rows):
            return read_rows(rows)
    except XlsxRefused as exc:
        raise PlanError([str(exc)]) from None


def example_topics(now: datetime, tz: ZoneInfo) -> list[dict[str, Any]]:
    """Two filled-in topics with publish times in the coming month, for the templates."""
    local = now.astimezone(tz)
    first = (local + timedelta(days=14)).replace(hour=9, minute=0, second=0, microsecond=0)
    return [
        {
            "title": "学习新修订的《中国共产党纪律处分条例》",
            "publish_at": f"{first:%Y-%m-%d %H:%M}",
            "summary": "结合本支部实际，学习条例的主要内容，做到知敬畏、存戒惧、守底线。",
            "materials": ["条例全文（学习强国搜索“纪律处分条例”）", "https://www.12371.cn/"],
            "questions": ["条例对党员日常言行提出了哪些要求？", "结合岗位谈谈如何严守纪律。"],
            "deadline": f"{first + timedelta(days=7):%Y-%m-%d %H:%M}",
            "quiz": [
                {
                    "question": "党的纪律建设的根本目的是什么？",
                    "options": ["维护党的团结统一", "增加党员负担", "减少组织活动"],
                    "answer": "A",
                }
            ],
            "scope": "本组织",
        },
        {
            "title": "主题党日：重温入党誓词",
            "publish_at": "每月第一个周五 09:00",
            "summary": "全体党员重温入党誓词，交流入党初心。",
            "materials": ["《中国共产党章程》第六条"],
            "questions": ["入党誓词包含哪些要求？", "你入党时的初心是什么？"],
            "deadline": "发布后7天",
            "scope": "下级组织",
        },
    ]


def template_yaml(topics: list[dict[str, Any]]) -> bytes:
    """The YAML template."""
    head = "# 学习计划：每个主题一项；publish_at 可写“2026-12-05 09:00”或“每月第一个周五 09:00”\n"
    body = yaml.safe_dump({"topics": topics}, allow_unicode=True, sort_keys=False)
    return (head + body).encode("utf-8")


def _flat(topic: dict[str, Any]) -> list[str]:
    """One topic as CSV/XLSX cells: lists joined by ';', quiz items as 题目|选项…|答案."""
    quiz = ";".join(
        "|".join([item["question"], *item["options"], item["answer"]])
        for item in topic.get("quiz", [])
    )
    cells = {**topic, "quiz": quiz}
    return [
        ";".join(cells[key]) if isinstance(cells.get(key), list) else str(cells.get(key, ""))
        for key in KEYS
    ]


def template_csv(topics: list[dict[str, Any]]) -> bytes:
    """The CSV template (UTF-8 with BOM, so that Excel shows the Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(KEYS)
    writer.writerows(_flat(topic) for topic in topics)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(topics: list[dict[str, Any]]) -> bytes:
    """The Excel template: the same columns as the CSV."""
    from openpyxl import Workbook  # here: the upload parser's process need not load it

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "学习计划"
    sheet.append(list(KEYS))
    for topic in topics:
        sheet.append(_flat(topic))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
