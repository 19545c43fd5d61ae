"""Reading what managers type for an entry: one field at a time, checked as the base is.

Each step of the guided flow and each /faq edit goes through ``read_field``, which gives the
message a secretary can act on at once; ``EntryText.to_entry`` then checks the whole entry
with the base file's own loader, so an entry made in chat always exports and imports back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.core.errors import InvalidInput
from bot.core.faq import FaqEntry, FaqFormatError, analyse, dump_entries_yaml
from bot.core.faq import load_entries_from_yaml as load_entries
from bot.core.faq.kb import MAX_ANSWER_CHARS, MIN_PHRASINGS
from bot.texts import faq as texts

MAX_QUESTION_CHARS = 100
MAX_SOURCE_CHARS = 200
MAX_ITEMS = 20
AUTO_KEYWORDS = 6
_PHRASING_SPLIT = re.compile(r"[\n；;]+")
_KEYWORD_SPLIT = re.compile(r"[\s、，,；;/|]+")
_SOURCE_PREFIX = re.compile(r"^(?:[—–-]+|出处[:：]?|依据[:：]?|来源[:：]?)\s*")
FIELD_NAMES = {value: name for name, value in texts.FIELDS.items()}


@dataclass(frozen=True)
class EntryText:
    """The texts of an entry as a manager gave them."""

    question: str = ""
    phrasings: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    answer: str = ""
    source: str = ""

    @classmethod
    def of(cls, entry: FaqEntry) -> EntryText:
        """The texts of an existing entry."""
        return cls(entry.question, entry.phrasings, entry.keywords, entry.answer, entry.source)

    def with_field(self, field: str, value: str) -> EntryText:
        """A copy with one field read from a manager's text."""
        values: dict[str, object] = {field: read_field(field, value)}
        return replace(self, **values)  # type: ignore[arg-type]

    def to_entry(self, slug: str, org_id: int) -> FaqEntry:
        """The entry, validated by the base file loader (raises InvalidInput)."""
        entry = FaqEntry(
            slug, self.question, self.phrasings, self.keywords, self.answer, self.source, org_id
        )
        try:
            [loaded] = load_entries(dump_entries_yaml([entry]), filename="entry", org_id=org_id)
        except FaqFormatError as err:
            issues = "；".join(issue.message for issue in err.issues)
            raise InvalidInput(texts.INVALID_ENTRY.format(issues=issues)) from err
        return loaded


def _text(value: str, field: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(texts.EMPTY)
    if len(text) > limit:
        name = FIELD_NAMES[field]
        raise InvalidInput(texts.TOO_LONG.format(field=name, limit=limit, count=len(text)))
    return text


def _items(value: str, pattern: re.Pattern[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in pattern.split(value):
        if item.strip():
            seen.setdefault(item.strip(), None)
    return tuple(seen)[:MAX_ITEMS]


def read_phrasings(value: str, existing: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Phrasings one per line; ``existing`` ones (the asked question) count towards the minimum."""
    phrasings = tuple(dict.fromkeys([*existing, *_items(value, _PHRASING_SPLIT)]))
    if len(phrasings) < MIN_PHRASINGS:
        raise InvalidInput(texts.TOO_FEW_PHRASINGS.format(n=MIN_PHRASINGS, count=len(phrasings)))
    for phrasing in phrasings:
        _text(phrasing, "question", MAX_QUESTION_CHARS)
    return phrasings


def read_keywords(value: str) -> tuple[str, ...]:
    """Keywords separated by spaces, commas or 顿号."""
    keywords = _items(value, _KEYWORD_SPLIT)
    if not keywords:
        raise InvalidInput(texts.NO_KEYWORDS)
    return keywords


def read_source(value: str) -> str:
    """The source, without a leading ——, 出处： or 依据：."""
    return _text(_SOURCE_PREFIX.sub("", value.strip()), "source", MAX_SOURCE_CHARS)


def read_field(field: str, value: str) -> str | tuple[str, ...]:
    """Read one field; raise InvalidInput with a message for the manager."""
    if field == "question":
        return _text(value, field, MAX_QUESTION_CHARS)
    if field == "phrasings":
        return read_phrasings(value)
    if field == "keywords":
        return read_keywords(value)
    if field == "answer":
        return _text(value, field, MAX_ANSWER_CHARS)
    if field == "source":
        return read_source(value)
    raise ValueError(f"unknown field {field!r}")


def suggest_keywords(question: str) -> tuple[str, ...]:
    """Words of the question to use as keywords when the manager skips them (uses jieba)."""
    analysis = analyse(question)
    words = [t for t in analysis.terms if t in analysis.whole and len(t) > 1 and not t.isdigit()]
    unique = list(dict.fromkeys(words))
    # 活动 adds nothing next to 活动室: keep the longest words.
    kept = [w for w in unique if not any(w != other and w in other for other in unique)]
    return tuple(kept)[:AUTO_KEYWORDS]
