"""Study topics (主题党日): validate plan rows, schedule rule topics, scope and statistics.

A plan row is a mapping of the YAML keys (title, publish_at, summary, materials, questions,
deadline, quiz, scope), read from YAML, CSV or XLSX by :mod:`bot.core.study_files`.
Validation collects every problem with its line so that a bad file is rejected whole.

Accepted values:

- ``publish_at``: ``YYYY-MM-DD HH:MM`` (strictly after now), or a rule such as
  ``每月第一个周五 09:00``. Topics of one organisation that share a rule take its
  occurrences in order: the first the next free one, the second the one after, …
- ``deadline``: ``YYYY-MM-DD HH:MM`` after ``publish_at``, or relative to it:
  ``发布后7天``, ``发布后48小时`` (also ``7天``). Rule topics need the relative form.
- lists (``materials``, ``questions``): a YAML list, or one text separated by ``;`` or
  line breaks (CSV/XLSX cells).
- ``quiz``: a YAML list of ``question``, ``options``, ``answer``; in one text, items
  separated by ``;``, each ``题目|选项1|选项2[|…]|答案``. The answer is the option's
  letter (A, B …), its number (1, 2 …) or its text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.errors import InvalidInput
from bot.core.recurrence import RecurrenceParseError, is_recurrence, next_occurrences
from bot.core.recurrence import parse_recurrence as _parse_rule

MAX_TOPICS = 100
MAX_TITLE = 60
MAX_SUMMARY = 1000
MAX_ITEM = 300
MAX_MATERIALS = 10
MIN_QUESTIONS, MAX_QUESTIONS = 2, 5
MAX_QUIZ = 5
MAX_POLL_QUESTION, MAX_OPTION, MAX_OPTIONS = 300, 100, 10
# Leaves room in Telegram's 4096 characters for the heading and the deadline line.
MAX_TOTAL = 3600

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


class FieldError(ValueError):
    """One field is wrong; the message is Chinese and names the field."""


def _text(value: Any, key: str, limit: int) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, list | dict):
        raise FieldError(f"{LABELS[key]}应当是一段文字")
    text = str(value).strip()
    if len(text) > limit:
        raise FieldError(f"{LABELS[key]}不能超过{limit}字（现在{len(text)}字）")
    return text


_SPLIT = re.compile(r"\s*(?:;|\r?\n)\s*")


def split_list(value: Any) -> list[str]:
    """A list from YAML, or one text separated by ``;`` or line breaks; blanks dropped."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item).strip() for item in value if item is not None and str(item).strip()]
    return [part for part in _SPLIT.split(str(value).strip()) if part]


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


_STRICT = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})")


def parse_datetime(value: Any, tz: ZoneInfo, key: str) -> datetime:
    """``YYYY-MM-DD HH:MM`` (or a spreadsheet date-time cell) as an aware time in ``tz``."""
    label = LABELS[key]
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        raise FieldError(f"{label}缺少具体时间，请写成“2026-12-05 09:00”")
    m = _STRICT.fullmatch(str(value).strip())
    if m is None:
        raise FieldError(f"{label}“{value}”看不懂，请写成“2026-12-05 09:00”")
    year, month, day, hour, minute = (int(part) for part in m.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=tz)
    except ValueError:
        raise FieldError(f"{label}“{value}”不是有效的日期时间") from None


_RELATIVE = re.compile(r"(?:发布后)?\s*(\d{1,3})\s*(天|日|小时|个小时)")


def parse_relative(text: str) -> timedelta | None:
    """``发布后7天`` / ``发布后48小时`` / ``7天``; None when the text is not relative."""
    m = _RELATIVE.fullmatch(text.strip())
    if m is None:
        return None
    amount = int(m[1])
    delta = timedelta(days=amount) if m[2] in ("天", "日") else timedelta(hours=amount)
    if delta <= timedelta(0):
        raise FieldError("截止时间需要在发布之后")
    return delta


def _publish(value: Any, now: datetime, tz: ZoneInfo) -> tuple[datetime | None, str | None]:
    """A fixed publish time or a canonical rule."""
    if isinstance(value, str) and is_recurrence(value):
        try:
            return None, _parse_rule(value).to_text()
        except RecurrenceParseError as err:
            raise FieldError(f"发布时间：{err.message}") from None
    when = parse_datetime(value, tz, "publish_at")
    if when <= now:
        raise FieldError(f"发布时间{when:%Y-%m-%d %H:%M}已经过去了")
    return when, None


def _deadline(value: Any, tz: ZoneInfo) -> tuple[datetime | None, timedelta | None]:
    if isinstance(value, str) and (delta := parse_relative(value)) is not None:
        return None, delta
    return parse_datetime(value, tz, "deadline"), None


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


def parse_quiz_text(text: str) -> tuple[QuizItem, ...]:
    """Quiz items in one text: ``题目|选项1|选项2|答案; …``."""
    items = []
    for number, part in enumerate(split_list(text), start=1):
        pieces = [piece.strip() for piece in part.split("|")]
        if len(pieces) < 4:
            raise FieldError(f"测验第{number}题应写成“题目|选项1|选项2|答案”")
        items.append(_quiz_item(pieces[0], pieces[1:-1], pieces[-1], number))
    return tuple(items)


def _quiz(value: Any) -> tuple[QuizItem, ...]:
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


def _quiz_entry(entry: Any, number: int) -> QuizItem:
    if not isinstance(entry, dict):
        raise FieldError(f"测验第{number}题应包含 question、options、answer")
    unknown = set(entry) - {"question", "options", "answer"}
    if unknown:
        raise FieldError(f"测验第{number}题有不认识的字段：{'、'.join(sorted(map(str, unknown)))}")
    return _quiz_item(entry.get("question"), entry.get("options"), entry.get("answer"), number)


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
        "publish_at": lambda v: _publish(v, now, tz),
        "summary": lambda v: _text(v, "summary", MAX_SUMMARY),
        "materials": lambda v: _items(v, "materials", 0, MAX_MATERIALS),
        "questions": lambda v: _items(v, "questions", MIN_QUESTIONS, MAX_QUESTIONS),
        "deadline": lambda v: _deadline(v, tz),
        "quiz": _quiz,
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


def reminder_time(publish_at: datetime, deadline_at: datetime) -> datetime:
    """When to chase those who have not studied: a day before the deadline, or halfway."""
    return deadline_at - min(timedelta(days=1), (deadline_at - publish_at) / 2)


def month_bounds(moment: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The local calendar month containing ``moment``: [first day 00:00, next first day)."""
    local = moment.astimezone(tz)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following
