"""The FAQ knowledge base: entries, the strict YAML loader and the exporter.

A base file is a mapping with one key, ``entries``, holding a list of entries (see
``REQUIRED_FIELDS``; ``review`` is optional: a note for reviewers, e.g. that the cited document
has a successor whose text could not be checked, never shown to members). The loader
reports every problem at once, each with its line number,
in Chinese, because the people who fix the file are branch secretaries, not programmers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.core.errors import InvalidInput
from bot.core.safe_yaml import YamlRefused, compose

REQUIRED_FIELDS = ("id", "question", "phrasings", "keywords", "answer", "source")
OPTIONAL_FIELDS = ("review",)
LIST_FIELDS = frozenset({"phrasings", "keywords"})
MAX_ANSWER_CHARS = 300
MIN_PHRASINGS = 3
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TEXT_TAGS = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:int"})
# A folded YAML scalar joins lines with a space; between two CJK characters that space is noise.
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]"
_CJK_GAP_RE = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")


@dataclass(frozen=True)
class FaqEntry:
    """One question the bot can answer, with the regulation it quotes."""

    id: str
    question: str
    phrasings: tuple[str, ...]
    keywords: tuple[str, ...]
    answer: str
    source: str
    org_id: int | None = None
    review: str | None = None


@dataclass(frozen=True)
class FaqIssue:
    """One problem in a base file, at a 1-based line."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行：{self.message}"


class FaqFormatError(InvalidInput):
    """A base file is malformed; ``issues`` lists every problem found."""

    def __init__(self, filename: str, issues: list[FaqIssue]) -> None:
        self.filename = filename
        self.issues = tuple(sorted(issues, key=lambda i: i.line))
        lines = "\n".join(str(issue) for issue in self.issues)
        super().__init__(f"问答库文件 {filename} 有 {len(self.issues)} 处错误：\n{lines}")

    def __reduce__(self) -> tuple[type[FaqFormatError], tuple[str, list[FaqIssue]]]:
        """Pickle by the constructor's arguments (the base class would pass the message)."""
        return type(self), (self.filename, list(self.issues))


def clean_text(text: str) -> str:
    """Strip a text and drop the spaces YAML folding leaves between Chinese characters."""
    return _CJK_GAP_RE.sub("", text.strip())


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


class _EntryReader:
    """Collects the issues of one file while turning its nodes into entries."""

    def __init__(self, org_id: int | None) -> None:
        self.org_id = org_id
        self.issues: list[FaqIssue] = []
        self.seen_ids: dict[str, int] = {}

    def fail(self, node: Node, message: str) -> None:
        self.issues.append(FaqIssue(_line(node), message))

    def text(self, node: Node, field: str) -> str | None:
        if not isinstance(node, ScalarNode) or node.tag not in _TEXT_TAGS:
            self.fail(node, f"“{field}”应为一段文字")
            return None
        value = clean_text(str(node.value))
        if not value:
            self.fail(node, f"“{field}”不能为空")
            return None
        return value

    def texts(self, node: Node, field: str) -> tuple[str, ...] | None:
        if not isinstance(node, SequenceNode):
            self.fail(node, f"“{field}”应为列表")
            return None
        items = [self.text(item, field) for item in node.value]
        if any(item is None for item in items):
            return None
        return tuple(item for item in items if item is not None)

    def entry(self, node: Node) -> FaqEntry | None:
        if not isinstance(node, MappingNode):
            self.fail(node, "每个条目应为“字段: 值”的映射")
            return None
        issues_before = len(self.issues)
        values: dict[str, object] = {}
        nodes: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key not in REQUIRED_FIELDS and key not in OPTIONAL_FIELDS:
                self.fail(key_node, f"未知字段“{key}”")
                continue
            if key in nodes:
                self.fail(key_node, f"字段“{key}”重复")
                continue
            nodes[key] = value_node
            reader = self.texts if key in LIST_FIELDS else self.text
            values[key] = reader(value_node, key)
        for field in REQUIRED_FIELDS:
            if field not in nodes:
                self.fail(node, f"缺少“{field}”")
        self.check_values(values, nodes)
        if len(self.issues) > issues_before:
            return None
        return self.build(values)

    def check_values(self, values: dict[str, object], nodes: dict[str, Node]) -> None:
        entry_id = values.get("id")
        if isinstance(entry_id, str):
            if not _ID_RE.match(entry_id):
                self.fail(nodes["id"], f"编号“{entry_id}”只能用小写字母、数字和连字符")
            elif entry_id in self.seen_ids:
                first = self.seen_ids[entry_id]
                self.fail(nodes["id"], f"编号“{entry_id}”与第{first}行重复")
            else:
                self.seen_ids[entry_id] = _line(nodes["id"])
        phrasings = values.get("phrasings")
        if isinstance(phrasings, tuple) and len(phrasings) < MIN_PHRASINGS:
            self.fail(nodes["phrasings"], f"“phrasings”至少要有{MIN_PHRASINGS}种问法")
        keywords = values.get("keywords")
        if isinstance(keywords, tuple) and not keywords:
            self.fail(nodes["keywords"], "“keywords”至少要有1个关键词")
        answer = values.get("answer")
        if isinstance(answer, str) and len(answer) > MAX_ANSWER_CHARS:
            self.fail(nodes["answer"], f"答案超过{MAX_ANSWER_CHARS}字（现有{len(answer)}字）")

    def build(self, values: dict[str, object]) -> FaqEntry:
        def s(key: str) -> str:
            return str(values[key])

        def t(key: str) -> tuple[str, ...]:
            value = values[key]
            assert isinstance(value, tuple)
            return value

        return FaqEntry(
            id=s("id"),
            question=s("question"),
            phrasings=t("phrasings"),
            keywords=t("keywords"),
            answer=s("answer"),
            source=s("source"),
            org_id=self.org_id,
            review=str(values["review"]) if values.get("review") is not None else None,
        )


def _compose(text: str, filename: str) -> Node | None:
    try:
        return compose(text)
    except YamlRefused as exc:
        raise FaqFormatError(filename, [FaqIssue(exc.line, exc.problem)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else 1
        problem = exc.problem or "格式错误"
        raise FaqFormatError(filename, [FaqIssue(line, f"YAML 格式错误（{problem}）")]) from exc
    except yaml.YAMLError as exc:
        raise FaqFormatError(filename, [FaqIssue(1, "YAML 格式错误")]) from exc
    except RecursionError:  # the parser recurses once per level: - - - - …
        raise FaqFormatError(filename, [FaqIssue(1, "YAML 格式错误（嵌套层次太多）")]) from None


def _entries_node(root: Node | None, filename: str) -> SequenceNode:
    if root is None:
        raise FaqFormatError(filename, [FaqIssue(1, "文件是空的，应以“entries:”开头")])
    if isinstance(root, MappingNode):
        for key_node, value_node in root.value:
            if key_node.value == "entries" and isinstance(value_node, SequenceNode):
                return value_node
    raise FaqFormatError(
        filename, [FaqIssue(_line(root), "文件应以“entries:”开头，下面是条目列表")]
    )


def load_entries_from_yaml(
    text: str, *, filename: str, org_id: int | None = None
) -> list[FaqEntry]:
    """Parse and validate a base file; raise FaqFormatError listing every problem."""
    sequence = _entries_node(_compose(text, filename), filename)
    reader = _EntryReader(org_id)
    entries = [reader.entry(node) for node in sequence.value]
    if reader.issues:
        raise FaqFormatError(filename, reader.issues)
    return [entry for entry in entries if entry is not None]


def load_shipped_entries() -> list[FaqEntry]:
    """Load the base shipped in bot/data/faq/*.yaml (package data), in file-name order."""
    folder = resources.files("bot") / "data" / "faq"
    files = sorted(
        (item for item in folder.iterdir() if item.name.endswith(".yaml")),
        key=lambda item: item.name,
    )
    entries: list[FaqEntry] = []
    seen: dict[str, str] = {}
    for item in files:
        for entry in load_entries_from_yaml(item.read_text(encoding="utf-8"), filename=item.name):
            if entry.id in seen:
                issue = FaqIssue(1, f"编号“{entry.id}”已在 {seen[entry.id]} 中使用")
                raise FaqFormatError(item.name, [issue])
            seen[entry.id] = item.name
            entries.append(entry)
    return entries


def dump_entries_yaml(entries: list[FaqEntry] | tuple[FaqEntry, ...]) -> str:
    """Export entries as a base file that load_entries_from_yaml reads back unchanged."""
    rows: list[dict[str, object]] = [
        {
            "id": e.id,
            "question": e.question,
            "phrasings": list(e.phrasings),
            "keywords": list(e.keywords),
            "answer": e.answer,
            "source": e.source,
            **({"review": e.review} if e.review is not None else {}),
        }
        for e in entries
    ]
    dumped: str = yaml.safe_dump(
        {"entries": rows}, allow_unicode=True, sort_keys=False, width=4096
    )
    return dumped
