"""The fields of a study plan row: their YAML keys, Chinese names and the error a bad value raises.

Shared by every reader of a plan: :mod:`bot.core.study` (validation), :mod:`bot.core.study_quiz`,
:mod:`bot.core.study_time` and :mod:`bot.core.study_files` (file headers).
"""

from __future__ import annotations

import re
from typing import Any

KEYS = ("title", "publish_at", "summary", "materials", "questions", "deadline", "quiz", "scope")
REQUIRED = ("title", "publish_at", "summary", "questions", "deadline")
# Chinese column names accepted in CSV/XLSX headers and by /study edit.
ALIASES = {
    "标题": "title",
    "主题": "title",
    "发布时间": "publish_at",
    "简介": "summary",
    "摘要": "summary",
    "内容": "summary",
    "材料": "materials",
    "学习材料": "materials",
    "讨论题": "questions",
    "问题": "questions",
    "截止": "deadline",
    "截止时间": "deadline",
    "测验": "quiz",
    "范围": "scope",
}
LABELS = {
    "title": "标题",
    "publish_at": "发布时间",
    "summary": "简介",
    "materials": "学习材料",
    "questions": "讨论题",
    "deadline": "截止时间",
    "quiz": "测验",
    "scope": "范围",
}


def key_of(name: str) -> str | None:
    """The YAML key a column or field name stands for (title, 标题 …), else None."""
    name = name.strip()
    lowered = name.lower()
    return lowered if lowered in KEYS else ALIASES.get(name)


class FieldError(ValueError):
    """One field is wrong; the message is Chinese and names the field."""


# Split first, strip after: the former r"\s*(?:;|\r?\n)\s*" backtracked quadratically over
# a long run of spaces (20,000 took 3.5 s).
_SPLIT = re.compile(r"[;\n]")


def split_list(value: Any) -> list[str]:
    """A list from YAML, or one text separated by ``;`` or line breaks; blanks dropped."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item).strip() for item in value if item is not None and str(item).strip()]
    return [stripped for part in _SPLIT.split(str(value)) if (stripped := part.strip())]
