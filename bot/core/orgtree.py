"""Read an organisation tree from YAML and check it whole before anything is written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.core.domain import Domain, OrgKind
from bot.core.errors import InvalidInput
from bot.core.safe_yaml import YamlRefused, compose

_E = TypeVar("_E", OrgKind, Domain)
_KEYS = {"name", "kind", "domain", "floating", "children"}
MAX_NAME_LENGTH = 100


@dataclass(frozen=True, slots=True)
class OrgNode:
    """One organisation of an imported tree, with its children."""

    name: str
    kind: OrgKind
    domain: Domain
    floating: bool
    children: tuple[OrgNode, ...]

    def walk(self, parent: str | None = None) -> Iterator[tuple[OrgNode, str | None]]:
        """This node and every node below it, each with its parent's name, parents first."""
        yield self, parent
        for child in self.children:
            yield from child.walk(self.name)


class OrgTreeError(InvalidInput):
    """The file is not a valid tree; `errors` lists every problem with its line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors

    def __reduce__(self) -> tuple[type[OrgTreeError], tuple[list[str]]]:
        """Pickle by the constructor's argument (the base class would pass the message)."""
        return type(self), (self.errors,)


def parse_org_tree(text: str) -> list[OrgNode]:
    """Parse the YAML tree (a list of organisations); raise OrgTreeError listing all errors."""
    try:
        root = compose(text)
    except YamlRefused as exc:
        raise OrgTreeError([str(exc)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"第{mark.line + 1}行：" if mark else ""
        raise OrgTreeError([f"{line}YAML 格式错误（{getattr(exc, 'problem', exc)}）"]) from None
    errors: list[str] = []
    if not isinstance(root, SequenceNode) or not root.value:
        raise OrgTreeError(["文件应当是组织的列表，每项包含 name、kind、domain"])
    nodes = [_node(item, errors) for item in root.value]
    _check_unique_names(nodes, errors)
    if errors:
        raise OrgTreeError(sorted(errors, key=_line_number))
    return [node for node in nodes if node is not None]


def _line_number(error: str) -> int:
    match = re.match(r"第(\d+)行", error)
    return int(match[1]) if match else 0


def _line(node: Node) -> str:
    return f"第{node.start_mark.line + 1}行"


def _node(item: Node, errors: list[str]) -> OrgNode | None:
    if not isinstance(item, MappingNode):
        errors.append(f"{_line(item)}：每个组织应当是包含 name、kind、domain 的映射")
        return None
    fields = {key.value: value for key, value in item.value if isinstance(key, ScalarNode)}
    before = len(errors)
    for key, _value in item.value:
        if key.value not in _KEYS:
            allowed = "、".join(sorted(_KEYS))
            errors.append(f"{_line(key)}：未知字段“{key.value}”（可用：{allowed}）")
    name = _scalar(fields, "name", item, errors)
    if name is not None and len(name) > MAX_NAME_LENGTH:
        errors.append(f"{_line(fields['name'])}：名称超过{MAX_NAME_LENGTH}字")
    kind = _labelled(fields, "kind", OrgKind, item, errors)
    domain = _labelled(fields, "domain", Domain, item, errors)
    floating = _flag(fields.get("floating"), errors)
    children = _children(fields.get("children"), errors)
    if len(errors) > before or name is None or kind is None or domain is None:
        return None
    return OrgNode(name, kind, domain, floating, children)


def _scalar(fields: dict[str, Node], key: str, item: Node, errors: list[str]) -> str | None:
    node = fields.get(key)
    if node is None:
        errors.append(f"{_line(item)}：缺少“{key}”")
        return None
    if not isinstance(node, ScalarNode) or not str(node.value).strip():
        errors.append(f"{_line(node)}：“{key}”应当是非空文字")
        return None
    return str(node.value).strip()


def _labelled(
    fields: dict[str, Node],
    key: str,
    enum: type[_E],
    item: Node,
    errors: list[str],
) -> _E | None:
    text = _scalar(fields, key, item, errors)
    if text is None:
        return None
    value = enum.from_label(text)
    if value is None:
        errors.append(f"{_line(fields[key])}：“{key}”不能是“{text}”，应为 {enum.labels()}")
    return value


def _flag(node: Node | None, errors: list[str]) -> bool:
    if node is None:
        return False
    if isinstance(node, ScalarNode) and node.value in ("true", "false", "True", "False"):
        return str(node.value).lower() == "true"
    errors.append(f"{_line(node)}：“floating”应为 true 或 false")
    return False


def _children(node: Node | None, errors: list[str]) -> tuple[OrgNode, ...]:
    if node is None:
        return ()
    if not isinstance(node, SequenceNode):
        errors.append(f"{_line(node)}：“children”应当是组织的列表")
        return ()
    children = (_node(child, errors) for child in node.value)
    return tuple(child for child in children if child is not None)


def _check_unique_names(nodes: list[OrgNode | None], errors: list[str]) -> None:
    seen: set[str] = set()
    for top in nodes:
        for node, _parent in top.walk() if top else ():
            if node.name in seen:
                errors.append(f"组织名称重复：“{node.name}”")
            seen.add(node.name)
