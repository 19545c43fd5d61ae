"""Organisation tree files: accepted whole, or rejected whole with every error's line."""

from __future__ import annotations

import pytest

from bot.core.domain import Domain, OrgKind
from bot.core.orgtree import OrgTreeError, parse_org_tree

GOOD = """
- name: 城关镇党委
  kind: 党委
  domain: 机关
  children:
    - name: 城关镇第一党支部
      kind: 党支部
      domain: 社区
      children:
        - name: 第一党小组
          kind: 党小组
          domain: 社区
    - name: 在外流动党员党支部
      kind: 支部
      domain: 两新组织
      floating: true
"""


def test_a_good_tree_is_read_parents_first() -> None:
    [root] = parse_org_tree(GOOD)
    walked = [
        (node.name, node.kind, node.domain, node.floating, parent) for node, parent in root.walk()
    ]
    assert walked == [
        ("城关镇党委", OrgKind.COMMITTEE, Domain.ORGAN, False, None),
        ("城关镇第一党支部", OrgKind.BRANCH, Domain.COMMUNITY, False, "城关镇党委"),
        ("第一党小组", OrgKind.GROUP, Domain.COMMUNITY, False, "城关镇第一党支部"),
        ("在外流动党员党支部", OrgKind.BRANCH, Domain.NON_PUBLIC, True, "城关镇党委"),
    ]


def errors_of(text: str) -> list[str]:
    with pytest.raises(OrgTreeError) as caught:
        parse_org_tree(text)
    return caught.value.errors


def test_every_error_is_reported_with_its_line() -> None:
    errors = errors_of(
        """
- name: 甲支部
  kind: 支队
  domain: 机关
  colour: red
- kind: 党支部
  domain: 火星
  floating: maybe
"""
    )
    assert errors == [
        "第3行：“kind”不能是“支队”，应为 党委 / 党总支 / 党支部 / 党小组",
        "第5行：未知字段“colour”（可用：children、domain、floating、kind、name）",
        "第6行：缺少“name”",
        "第7行：“domain”不能是“火星”，应为 机关 / 农村 / 社区 / 非公 / 国企 / 学校 / 其他",
        "第8行：“floating”应为 true 或 false",
    ]


def test_duplicate_names_are_refused() -> None:
    text = GOOD + "- name: 第一党小组\n  kind: 党小组\n  domain: 社区\n"
    assert errors_of(text) == ["组织名称重复：“第一党小组”"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "文件应当是组织的列表，每项包含 name、kind、domain"),
        ("name: x", "文件应当是组织的列表，每项包含 name、kind、domain"),
        ("- [1, 2]", "第1行：每个组织应当是包含 name、kind、domain 的映射"),
        (
            "- name: x\n  kind: 党委\n  domain: 机关\n  children: 3",
            "第4行：“children”应当是组织的列表",
        ),
    ],
)
def test_wrong_shapes(text: str, expected: str) -> None:
    assert errors_of(text) == [expected]


def test_broken_yaml_names_the_line() -> None:
    [error] = errors_of("- name: x\n  kind: [党委\n")
    assert error.startswith("第3行：YAML 格式错误")
