"""Reading a message before matching: is it a question, is it about everyday matters, does it
ask about one past event."""

from __future__ import annotations

import re

from bot.core.faq.lexicon import (
    OFF_TOPIC,
    OWN_DATA_ALONE,
    OWN_DATA_FACTS,
    OWN_DATA_MARKERS,
    OWN_DATA_PERSON,
    OWN_DATA_RULES,
    PAST_EVENT,
)
from bot.core.faq.text import fold
from bot.core.faq.tokenizer import Analysis

MIN_QUESTION_CHARS = 3
MAX_QUESTION_CHARS = 80  # longer messages are discussions, not questions to the bot
_QUESTION_CUES = re.compile(
    "[?？]|吗|呢|什么|啥|怎|如何|多久|多少|多长|几|哪|谁|是否|能不能|可不可以|有没有|要不要"
    "|请问|想问|问一下|咨询|请教"
)
_OFF_TOPIC_PHRASES = tuple(w for w in OFF_TOPIC if len(w) > 1)
_PAST_EVENT_RE = re.compile("|".join(PAST_EVENT))
_OWN_MARKER_RE = re.compile("|".join((*OWN_DATA_MARKERS, OWN_DATA_PERSON)))
_OWN_FACT_RE = re.compile("|".join(OWN_DATA_FACTS))
_OWN_RULE_RE = re.compile("|".join(OWN_DATA_RULES))
_OWN_ALONE_RE = re.compile("|".join(OWN_DATA_ALONE))


def is_question_like(text: str) -> bool:
    """True when a group message reads like a question worth matching, not chatter."""
    folded = fold(text).strip()
    if not MIN_QUESTION_CHARS <= len(folded) <= MAX_QUESTION_CHARS:
        return False
    if folded.startswith("/") or "http" in folded:
        return False
    return bool(_QUESTION_CUES.search(folded))


def is_off_topic(analysis: Analysis) -> bool:
    """True when the text is about everyday matters (weather, food, shopping, sports ...)."""
    return bool(everyday_words(analysis))


def everyday_words(analysis: Analysis) -> frozenset[str]:
    """The words of everyday matters (weather, food, shopping, sports ...) in a text."""
    found = {term for term in analysis.terms if term in OFF_TOPIC}
    found.update(phrase for phrase in _OFF_TOPIC_PHRASES if phrase in analysis.normalised)
    return frozenset(found)


def asks_about_past_event(analysis: Analysis) -> bool:
    """True for a question about one past event (上个月的党费谁收的), not about a rule."""
    return bool(_PAST_EVENT_RE.search(analysis.normalised))


def asks_about_own_data(text: str) -> bool:
    """True for a question about the branch's own data (这个月主题党日定在哪天, 咱支部今年谁
    评上优秀党员了): one fact only the branch keeps, asked of now, of us or of a named person."""
    if _OWN_ALONE_RE.search(text):
        return True
    return bool(
        _OWN_MARKER_RE.search(text) and _OWN_FACT_RE.search(text) and not _OWN_RULE_RE.search(text)
    )
