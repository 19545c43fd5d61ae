"""Study topics (主题党日): validate plan rows into TopicDrafts, then schedule rule topics.

A plan row is a mapping of the YAML keys (title, publish_at, summary, materials, questions,
deadline, quiz, scope; see :mod:`bot.core.study_fields`), read from YAML, CSV or XLSX by
:mod:`bot.core.study_files`. Validation collects every problem with its line so that a bad
file is rejected whole. The times are read by :mod:`bot.core.study_time`, the quiz by
:mod:`bot.core.study_quiz`.

Accepted values:

- ``publish_at``: ``YYYY-MM-DD HH:MM`` (strictly after now), or a rule such as
  ``每月第一个周五 09:00``. Topics of one organisation that share a rule take its
  occurrences in order (:func:`schedule_rules`): the first the next free one, the second
  the one after, …
- ``deadline``: ``YYYY-MM-DD HH:MM`` after ``publish_at``, or relative to it:
  ``发布后7天``, ``发布后48小时`` (also ``7天``). Rule topics need the relative form.
- lists (``materials``, ``questions``): a YAML list, or one text separated by ``;`` or
  line breaks (CSV/XLSX cells).
- ``quiz``: see :mod:`bot.core.study_quiz`.
- ``scope``: 本组织 (default) or 下级组织.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.errors import InvalidInput
from bot.core.recurrence import next_occurrences
from bot.core.recurrence import parse_recurrence as _parse_rule
from bot.core.study_fields import KEYS, LABELS, REQUIRED, FieldError, split_list
from bot.core.study_quiz import QuizItem, read_quiz
from bot.core.study_time import read_deadline, read_publish

MAX_TOPICS = 100
MAX_TITLE = 60
MAX_SUMMARY = 1000
MAX_ITEM = 300
MAX_MATERIALS = 10
MIN_QUESTIONS, MAX_QUESTIONS = 2, 5
# Leaves room in Telegram's 4096 characters for the heading and the deadline line.
MAX_TOTAL = 3600


class Scope(StrEnum):
    """Who receives a topic: the organisation alone or it and all below it."""

    OWN = "own"
    BELOW = "below"

    @property
    def label(self) -> str:
        """本组织 / 下级组织."""
        return "本组织" if self is Scope.OWN else "下级组织"

    @classmethod
    def from_label(cls, text: str) -> Scope | None:
        """Read 本组织 / 下级组织 (or own / below)."""
        text = text.strip()
        for scope in cls:
            if text in (scope.label, scope.value):
                return scope
        return {"本级": Scope.OWN, "下级": Scope.BELOW, "含下级": Scope.BELOW}.get(text)


@dataclass(frozen=True, slots=True)
class TopicDraft:
    """A valid topic, ready to store. Rule topics get ``publish_at`` from schedule_rules."""

    title: str
    summary: str
    materials: tuple[str, ...]
    questions: tuple[str, ...]
    quiz: tuple[QuizItem, ...]
    scope: Scope
    publish_at: datetime | None
    rule: str | None
    deadline_at: datetime | None
    deadline_after: timedelta | None
    line: int = 0


@dataclass(frozen=True, slots=True)
class RawTopic:
    """One topic as read from a file: values by YAML key, the line of each."""

    values: dict[str, Any]
    line: int
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """The line of a field, or of the topic when the field has none."""
        return self.lines.get(key, self.line)


class PlanError(InvalidInput):
    """The plan is not valid; ``errors`` lists every problem, each with its line."""

    def __init__(self, errors: list[str], *, shown: int = 15) -> None:
        self.errors = errors
        listed = errors[:shown]
        more = f"\n……另有{len(errors) - shown}处错误" if len(errors) > shown else ""
        head = f"计划文件有{len(errors)}处错误，没有导入任何主题：\n"
        super().__init__(head + "\n".join(listed) + more)

    def __reduce__(self) -> tuple[type[PlanError], tuple[list[str]]]:
        """Pickle by the errors (the base class would pass the message as the errors)."""
        return type(self), (self.errors,)


def _text(value: Any, key: str, limit: int) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, list | dict):
        raise FieldError(f"{LABELS[key]}应当是一段文字")
    text = str(value).strip()
    if len(text) > limit:
        raise FieldError(f"{LABELS[key]}不能超过{limit}字（现在{len(text)}字）")
    return text


def _items(value: Any, key: str, low: int, high: int) -> tuple[str, ...]:
    if isinstance(value, dict):
        raise FieldError(f"{LABELS[key]}应当是列表")
    items = split_list(value)
    if not low <= len(items) <= high:
        count = f"{low}到{high}个" if low else f"最多{high}个"
        raise FieldError(f"{LABELS[key]}需要{count}（现在{len(items)}个），多个之间用;分隔")
    for item in items:
        if len(item) > MAX_ITEM:
            raise FieldError(f"{LABELS[key]}每项不能超过{MAX_ITEM}字：“{item[:20]}…”")
    return tuple(items)


def _scope(value: Any) -> Scope:
    if value is None or not str(value).strip():
        return Scope.OWN
    scope = Scope.from_label(str(value))
    if scope is None:
        raise FieldError(f"范围“{value}”看不懂，可选：本组织 / 下级组织")
    return scope


def _readers(now: datetime, tz: ZoneInfo) -> dict[str, Callable[[Any], Any]]:
    """The reader of each field, in the order of KEYS (errors come out in that order)."""
    return {
        "title": lambda v: _text(v, "title", MAX_TITLE),
        "publish_at": lambda v: read_publish(v, now, tz),
        "summary": lambda v: _text(v, "summary", MAX_SUMMARY),
        "materials": lambda v: _items(v, "materials", 0, MAX_MATERIALS),
        "questions": lambda v: _items(v, "questions", MIN_QUESTIONS, MAX_QUESTIONS),
        "deadline": lambda v: read_deadline(v, tz),
        "quiz": read_quiz,
        "scope": _scope,
    }


def check_field(key: str, value: Any, now: datetime, tz: ZoneInfo) -> None:
    """Check one field as it is typed (guided /study add); InvalidInput says what is wrong."""
    if key in REQUIRED and value in (None, "", []):
        raise InvalidInput(f"缺少{LABELS[key]}")
    try:
        _readers(now, tz)[key](value)
    except FieldError as err:
        raise InvalidInput(str(err)) from None


def validate_topic(
    raw: RawTopic, now: datetime, tz: ZoneInfo
) -> tuple[TopicDraft | None, list[str]]:
    """Check one topic; return it (None when invalid) and its errors, each with a line."""
    errors: list[str] = []
    values = raw.values

    def check(key: str, read: Any) -> Any:
        try:
            return read(values.get(key))
        except FieldError as err:
            errors.append(f"{_at(raw.line_of(key))}{err}")
            return None

    for key in sorted(set(values) - set(KEYS)):
        errors.append(f"{_at(raw.line_of(key))}不认识的字段“{key}”")
    for key in REQUIRED:
        if values.get(key) in (None, "", []):
            errors.append(f"{_at(raw.line)}缺少{LABELS[key]}（{key}）")
    if errors:
        return None, errors
    read = {key: check(key, reader) for key, reader in _readers(now, tz).items()}
    if errors:
        return None, errors
    publish, deadline = read["publish_at"], read["deadline"]
    draft = TopicDraft(
        title=read["title"],
        summary=read["summary"],
        materials=read["materials"],
        questions=read["questions"],
        quiz=read["quiz"],
        scope=read["scope"],
        publish_at=publish[0],
        rule=publish[1],
        deadline_at=deadline[0],
        deadline_after=deadline[1],
        line=raw.line,
    )
    problem = _cross_check(draft)
    if problem:
        return None, [f"{_at(raw.line)}{problem}"]
    return draft, []


def _at(line: int) -> str:
    """The line prefix of an error; topics typed in a chat (line 0) have none."""
    return f"第{line}行：" if line else ""


def validate_fields(values: dict[str, Any], now: datetime, tz: ZoneInfo) -> TopicDraft:
    """Check one topic typed in a chat; InvalidInput listing its problems."""
    draft, errors = validate_topic(RawTopic(values, 0), now, tz)
    if draft is None:
        raise InvalidInput("\n".join(errors))
    return draft


def _cross_check(draft: TopicDraft) -> str | None:
    """Rules between fields: deadlines after publishing, the message fits in Telegram."""
    if draft.rule is not None and draft.deadline_at is not None:
        return "按规则发布的主题，截止时间请写成“发布后7天”这样的相对时间"
    if draft.publish_at and draft.deadline_at and draft.deadline_at <= draft.publish_at:
        return "截止时间需要在发布时间之后"
    total = sum(map(len, (draft.title, draft.summary, *draft.materials, *draft.questions)))
    if total > MAX_TOTAL:
        return f"标题、简介、材料和讨论题合计不能超过{MAX_TOTAL}字（现在{total}字）"
    return None


def validate_plan(raws: Sequence[RawTopic], now: datetime, tz: ZoneInfo) -> list[TopicDraft]:
    """Check every topic; raise PlanError listing all problems, by line."""
    if not raws:
        raise PlanError(["文件里没有任何主题"])
    if len(raws) > MAX_TOPICS:
        raise PlanError([f"一次最多导入{MAX_TOPICS}个主题（现在{len(raws)}个）"])
    drafts, errors = [], []
    for raw in raws:
        draft, problems = validate_topic(raw, now, tz)
        errors.extend(problems)
        if draft is not None:
            drafts.append(draft)
    if errors:
        raise PlanError(sorted(errors, key=_line_number))
    return drafts


def _line_number(error: str) -> int:
    m = re.match(r"第(\d+)行", error)
    return int(m[1]) if m else 0


def schedule_rules(
    drafts: Iterable[TopicDraft], taken: Mapping[str, datetime], now: datetime, tz: ZoneInfo
) -> list[TopicDraft]:
    """Give rule topics their occurrences in order, after those already taken; set deadlines."""
    last = dict(taken)
    scheduled = []
    for draft in drafts:
        if draft.rule is not None:
            after = max(now, last.get(draft.rule, now))
            (when,) = next_occurrences(_parse_rule(draft.rule), after, 1, tz)
            last[draft.rule] = when
            draft = replace(draft, publish_at=when)
        assert draft.publish_at is not None
        if draft.deadline_after is not None:
            draft = replace(draft, deadline_at=draft.publish_at + draft.deadline_after)
        scheduled.append(draft)
    return scheduled
