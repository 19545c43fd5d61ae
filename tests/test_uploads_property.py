"""Property tests: whatever a file holds, reading it raises nothing but user-facing errors."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import UserFacingError
from bot.core.faq import load_entries_from_yaml
from bot.core.orgtree import parse_org_tree
from bot.core.study_fields import split_list
from bot.core.study_files import check_plan, example_topics, template_xlsx

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
YAML_PIECES = [
    *("topics:", "entries:", "\n", "  ", "    ", "- ", ": ", ", ", "[", "]", "{", "}", "'", '"'),
    *("title", "publish_at", "summary", "questions", "materials", "deadline", "quiz", "scope"),
    *("options", "answer", "id", "phrasings", "name", "kind", "domain", "children"),
    *("2026-12-05 09:00", "每月第一个周五 09:00", "发布后7天", "下级组织", "党支部", "机关"),
    *("&a ", "*a", "<<: ", "? ", "!!timestamp ", "!!binary ", "!!int ", "!!set ", "!!omap "),
    *("!!python/object:os.system ", "|\n", ">\n", "#", "---\n", "...\n", "%YAML 1.1\n"),
    *("2026-13-45", "9" * 30, "1e999", ".inf", "~", "null", "yes", "0x1F", "1_000", "\t"),
    *("\ufeff", "\x00", "\x85", "\u2028", ";", "，"),
]
CSV_PIECES = [
    *("title", "标题", "publish_at", "发布时间", "summary", "questions", "讨论题", "deadline"),
    *("quiz", "测验", "scope", "materials", ",", "\n", "\r\n", '"', '""', ";", "|", " "),
    *("2026-12-05 09:00", "每月第一个周五 09:00", "发布后7天", "7天", "A", "题|甲|乙|甲"),
    *("\x00", "\ufeff", "=1+1", "本组织", "下级组织"),
]


def texts(pieces: list[str]) -> st.SearchStrategy[str]:
    """Text glued from pieces of the format and a little noise."""
    piece = st.one_of(st.sampled_from(pieces), st.text(max_size=3))
    return st.lists(piece, max_size=80).map("".join)


SCALARS = [piece for piece in YAML_PIECES if piece.strip() and piece not in "[]{},:"]
FIELDS = ["title", "publish_at", "summary", "materials", "questions", "deadline", "quiz"]
FIELDS += ["scope", "options", "answer", "question", "id", "phrasings", "keywords", "source"]
FIELDS += ["name", "kind", "domain", "children", "floating", "x"]


def _flow(value: object) -> str:
    """A nested value in YAML flow style."""
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    return str(value)


_values = st.recursive(
    st.one_of(st.sampled_from(SCALARS), st.text(alphabet="ab题一 :-#'!&*|>%@", max_size=6)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=3)
    ),
    max_leaves=8,
)
_items = st.lists(st.dictionaries(st.sampled_from(FIELDS), _values, max_size=8), max_size=4)


@st.composite
def documents(draw: st.DrawFn, root: str) -> str:
    """A YAML file shaped like ours, with odd values, tags and anchors in its fields."""
    lines = [f"{root}:" if root else ""]
    for item in draw(_items):
        fields = [f"{key}: {_flow(value)}" for key, value in item.items()] or ["{}"]
        lines += ["  - " + fields[0], *("    " + field for field in fields[1:])]
    return "\n".join(lines) + "\n"


def read(filename: str, content: bytes) -> None:
    with contextlib.suppress(UserFacingError):
        check_plan(filename, content, NOW, TZ)


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts(YAML_PIECES), *(documents(root) for root in ("topics", "entries", ""))))
def test_random_yaml_raises_only_user_facing_errors(text: str) -> None:
    read("p.yaml", text.encode())
    for load in (
        lambda: load_entries_from_yaml(text, filename="f.yaml"),
        lambda: parse_org_tree(text),
    ):
        with contextlib.suppress(UserFacingError):
            load()


@settings(max_examples=300, deadline=None)
@given(texts(CSV_PIECES), st.sampled_from(["utf-8", "gb18030"]))
def test_random_csv_raises_only_user_facing_errors(text: str, encoding: str) -> None:
    read("p.csv", text.encode(encoding, errors="replace"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2_000))
def test_random_bytes_raise_only_user_facing_errors(content: bytes) -> None:
    for filename in ("p.yaml", "p.csv", "p.xlsx"):
        read(filename, content)


XLSX = template_xlsx(example_topics(NOW, TZ))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(XLSX) - 1), st.integers(0, 255)), max_size=8))
def test_damaged_workbooks_raise_only_user_facing_errors(changes: list[tuple[int, int]]) -> None:
    damaged = bytearray(XLSX)
    for position, value in changes:
        damaged[position] = value
    read("p.xlsx", bytes(damaged))


_OLD_SPLIT = re.compile(r"\s*(?:;|\r?\n)\s*")


@given(st.text(alphabet=" \t\r\n;；a题\u3000", max_size=30))
def test_the_linear_split_cuts_lists_as_the_old_expression_did(text: str) -> None:
    assert split_list(text) == [part for part in _OLD_SPLIT.split(text.strip()) if part]
