"""Quiz items of a study topic (测验): the QuizItem and how a plan's ``quiz`` field is read.

In YAML, ``quiz`` is a list of ``question``, ``options``, ``answer``; in one text (CSV/XLSX
cells, /study add), items are separated by ``;``, each ``题目|选项1|选项2[|…]|答案``. The
answer is the option's letter (A, B …), its number (1, 2 …) or its text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.study_fields import FieldError, split_list

MAX_QUIZ = 5
MAX_POLL_QUESTION, MAX_OPTION, MAX_OPTIONS = 300, 100, 10


@dataclass(frozen=True, slots=True)
class QuizItem:
    """One quiz question; ``answer`` is the index of the correct option."""

    question: str
    options: tuple[str, ...]
    answer: int

    def to_dict(self) -> dict[str, Any]:
        """For storage as JSON."""
        return {"question": self.question, "options": list(self.options), "answer": self.answer}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuizItem:
        """From storage."""
        return cls(str(data["question"]), tuple(data["options"]), int(data["answer"]))


def read_quiz(value: Any) -> tuple[QuizItem, ...]:
    """The ``quiz`` field of a plan row (a YAML list or one text); FieldError when wrong."""
    if value is None or value == "" or value == []:
        return ()
    if isinstance(value, str):
        items = parse_quiz_text(value)
    elif isinstance(value, list):
        items = tuple(_quiz_entry(entry, number) for number, entry in enumerate(value, 1))
    else:
        raise FieldError("测验应当是题目列表")
    if len(items) > MAX_QUIZ:
        raise FieldError(f"测验最多{MAX_QUIZ}题（现在{len(items)}题）")
    return items


def parse_quiz_text(text: str) -> tuple[QuizItem, ...]:
    """Quiz items in one text: ``题目|选项1|选项2|答案; …``."""
    items = []
    for number, part in enumerate(split_list(text), start=1):
        pieces = [piece.strip() for piece in part.split("|")]
        if len(pieces) < 4:
            raise FieldError(f"测验第{number}题应写成“题目|选项1|选项2|答案”")
        items.append(_quiz_item(pieces[0], pieces[1:-1], pieces[-1], number))
    return tuple(items)


def _quiz_entry(entry: Any, number: int) -> QuizItem:
    if not isinstance(entry, dict):
        raise FieldError(f"测验第{number}题应包含 question、options、answer")
    unknown = set(entry) - {"question", "options", "answer"}
    if unknown:
        raise FieldError(f"测验第{number}题有不认识的字段：{'、'.join(sorted(map(str, unknown)))}")
    return _quiz_item(entry.get("question"), entry.get("options"), entry.get("answer"), number)


def _quiz_item(question: Any, options: Any, answer: Any, number: int) -> QuizItem:
    prefix = f"测验第{number}题"
    question = str(question or "").strip()
    if not question or len(question) > MAX_POLL_QUESTION:
        raise FieldError(f"{prefix}的题目不能为空，也不能超过{MAX_POLL_QUESTION}字")
    choices = tuple(split_list(options))
    if not 2 <= len(choices) <= MAX_OPTIONS:
        raise FieldError(f"{prefix}需要2到{MAX_OPTIONS}个选项（现在{len(choices)}个）")
    if any(len(choice) > MAX_OPTION for choice in choices):
        raise FieldError(f"{prefix}的选项不能超过{MAX_OPTION}字")
    if len(set(choices)) != len(choices):
        raise FieldError(f"{prefix}有重复的选项")
    if answer is None or not str(answer).strip():
        raise FieldError(f"{prefix}缺少答案")
    try:
        return QuizItem(question, choices, _answer(str(answer), choices))
    except FieldError as err:
        raise FieldError(f"{prefix}：{err}") from None


def _answer(text: str, options: Sequence[str]) -> int:
    """The index an answer names: letter, 1-based number or the option's text."""
    text = text.strip()
    if text in options:
        return list(options).index(text)
    if len(text) == 1 and text.upper() in "ABCDEFGHIJ":
        index = ord(text.upper()) - ord("A")
    elif text.isdigit():
        index = int(text) - 1
    else:
        raise FieldError(f"测验答案“{text}”不是任何一个选项")
    if not 0 <= index < len(options):
        raise FieldError(f"测验答案“{text}”超出了选项范围")
    return index
