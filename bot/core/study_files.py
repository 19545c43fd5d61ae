"""Read study plans from YAML, CSV or XLSX into RawTopics with lines; write the templates.

YAML: ``topics:`` (or a bare list) of mappings with the keys of :mod:`bot.core.study_fields`.
CSV and XLSX: a header row with the same names (or their Chinese names: 标题, 发布时间 …),
one topic per row; lists separated by ``;``. Lines are the file's: the YAML line of each
field, the CSV/XLSX row (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from openpyxl import Workbook, load_workbook
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.core.study import PlanError, RawTopic
from bot.core.study_fields import KEYS, key_of

MAX_FILE_BYTES = 1_000_000
FORMATS = ("yaml", "csv", "xlsx")


def plan_format(filename: str) -> str:
    """yaml, csv or xlsx by the file's extension; PlanError for anything else."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    extension = "yaml" if extension == "yml" else extension
    if extension not in FORMATS:
        raise PlanError(["只能导入 YAML（.yaml）、CSV（.csv）或 Excel（.xlsx）文件"])
    return extension


def read_plan(filename: str, content: bytes) -> list[RawTopic]:
    """The topics of a plan file, each with its lines; PlanError when it cannot be read."""
    kind = plan_format(filename)
    if len(content) > MAX_FILE_BYTES:
        raise PlanError(["文件太大了，请控制在1MB以内"])
    if kind == "yaml":
        return read_yaml(_decode(content))
    if kind == "csv":
        return read_rows(_csv_rows(_decode(content)))
    return read_xlsx(content)


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


class _PlanLoader(yaml.SafeLoader):
    """The safe loader without aliases (`*name`): reading the values of a 500-byte file whose
    anchors nest ten deep would build a billion items (a "billion laughs")."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        """Refuse an alias where a node starts; compose anything else as usual."""
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]  # stubs
            raise yaml.composer.ComposerError(None, None, "不支持别名“*”", mark)
        return super().compose_node(parent, index)


def read_yaml(text: str) -> list[RawTopic]:
    """Topics from YAML, with the line of every field."""
    try:
        root = yaml.compose(text, Loader=_PlanLoader)
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
        except ValueError:  # YAML reads 2026-02-30 as a date, which does not exist
            problem = (
                f"{key}的值“{value_node.value}”不是有效的日期或数字"
                if isinstance(value_node, ScalarNode)
                else f"{key}里有无效的日期或数字"
            )
            errors.append(f"第{value_node.start_mark.line + 1}行：{problem}")
            continue
        lines[key] = value_node.start_mark.line + 1
    return RawTopic(values, line, lines)


def read_rows(rows: Iterable[tuple[int, Sequence[Any]]]) -> list[RawTopic]:
    """Topics from numbered rows: a header row, then one row per topic (CSV or a sheet)."""
    iterator = iter(rows)
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


def _csv_rows(text: str) -> Iterable[tuple[int, list[str]]]:
    """CSV records with the line each starts on (a cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    for row in reader:
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
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise PlanError(["无法读取这个 Excel 文件，请另存为 .xlsx 后再试"]) from None
    try:
        sheet = workbook.worksheets[0]
        return read_rows(enumerate(sheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


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
