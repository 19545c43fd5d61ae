"""Segmenting questions into terms: one shared jieba tokenizer with a Party-work dictionary.

The tokenizer is a private ``jieba.Tokenizer`` (never jieba's global one), created on first use
and shared by the process. Its dictionary is jieba's own, without the words seen fewer than
``MIN_WORD_FREQ`` times in jieba's corpus (they cost memory and never occur in members'
questions: 80 MB -> about 40 MB, load 0.6 s -> 0.4 s), plus domain_words.txt and every
synonym, so 三会一课 or 支部党员大会 stay whole. Search mode adds the dictionary words inside a
long word, so 党员大会 still meets 支部党员大会.
"""

from __future__ import annotations

import io
import logging
import re
import sys
import threading
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from bot.core.faq.lexicon import INTENTS, PREDICATE_CLASSES, STOPWORDS, SYNONYMS
from bot.core.faq.text import normalise

MIN_WORD_FREQ = 20
SUB_WORDS_SHARE = 1.0
# Enough to keep a domain word whole against the general words around it.
DOMAIN_WORD_FREQ = 50_000
_CHINESE_NUMBERS = {
    "一": "1",
    "二": "2",
    "两": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
    "十": "10",
    "五十": "50",
    "一百": "100",
    "百": "100",
}

# Negation (不转正, 未按时交): 不 is a stopword, so the question "预备党员不转正会怎样" reads as
# the entry on 转正. The analysis keeps each negated act (不转正 -> 转正) apart from the terms,
# for the decision (decision.negates_other_act); ranking is unchanged. Manner words between the
# negator and its verb are skipped (未按时转正); a single character after it is mostly a
# complement (走不动, 联系不上), not the negated act. 没 is left out: before a noun it means
# "has no" (没工资), not a negation of an act.
NEGATORS = frozenset({"不", "未", "从未", "从不", "并未"})
NEGATION_SKIPS = frozenset({"按时", "及时", "准时", "按期", "如期", "按规定", "再", "一直", "还"})
NEGATED = "不"

_lock = threading.Lock()
_tokenizer: Any = None


@dataclass(frozen=True)
class DomainWords:
    """The Party-work dictionary: all words, and the strong anchors among them."""

    words: frozenset[str]
    anchors: frozenset[str]


@cache
def domain_words() -> DomainWords:
    """Read domain_words.txt (package data) and add every synonym."""
    text = (resources.files("bot.core.faq") / "domain_words.txt").read_text(encoding="utf-8")
    words: set[str] = set()
    anchors: set[str] = set()
    for raw in text.splitlines():
        parts = raw.split("#", 1)[0].split()
        if not parts:
            continue
        words.add(parts[0])
        if "weak" not in parts[1:]:
            anchors.add(parts[0])
    for canonical, variants in (*SYNONYMS.items(), *PREDICATE_CLASSES.items()):
        words.update((canonical, *variants))
    return DomainWords(frozenset(w for w in words if len(w) > 1), frozenset(anchors))


@cache
def _synonym_map() -> dict[str, str]:
    return {variant: canonical for canonical, variants in SYNONYMS.items() for variant in variants}


def _build_tokenizer() -> Any:
    import jieba  # imported here: loading it is the slow part of starting the matcher

    jieba.setLogLevel(logging.WARNING)
    jieba.default_logger.setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    kept = io.BytesIO()
    with (resources.files("jieba") / "dict.txt").open("rb") as source:
        for line in source:
            parts = line.split(b" ", 2)
            if len(parts) >= 2 and int(parts[1]) >= MIN_WORD_FREQ:
                kept.write(line)
    kept.seek(0)
    # Built in memory rather than through initialize(), which writes a cache file to /tmp.
    tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(kept)
    tokenizer.initialized = True
    for word in sorted(domain_words().words):
        tokenizer.add_word(word, freq=max(DOMAIN_WORD_FREQ, tokenizer.FREQ.get(word) or 0))
    return tokenizer


def get_tokenizer() -> Any:
    """The process-wide jieba tokenizer, built on first use (about 0.4 s)."""
    global _tokenizer  # one lazily built tokenizer per process, by design
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                _tokenizer = _build_tokenizer()
    return _tokenizer


def _sub_words(word: str, freq: dict[str, int], domain: frozenset[str]) -> list[str]:
    """Dictionary words inside a long word: jieba's 2- and 3-grams plus any domain word."""
    found: list[str] = []
    size = len(word)
    for length in range(2, size):
        for start in range(size - length + 1):
            part = word[start : start + length]
            if (length <= 3 and freq.get(part)) or part in domain:
                found.append(part)
    return found


def segment(normalised: str) -> list[str]:
    """Search-mode segmentation of normalised text: whole words and the words inside them."""
    tokenizer = get_tokenizer()
    return [word for word in tokenizer.cut(normalised, HMM=False) if not word.isspace()]


def to_terms(words: list[str]) -> tuple[list[str], dict[str, float], dict[str, str]]:
    """Map synonyms to their canonical term, add the words inside long ones, drop stopwords.

    Returns all terms (with repeats, for indexing) and each term's weight in a question: 1 for
    a whole word, and the words found inside one long word share SUB_WORDS_SHARE between them,
    so that a long term with many parts does not outweigh a short one. Also each negated
    act's term (不转正) with the act it negates (转正).
    """
    synonyms = _synonym_map()
    freq = get_tokenizer().FREQ
    domain = domain_words().words
    terms: list[str] = []
    weights: dict[str, float] = {}
    negated_acts: dict[str, str] = {}
    for position, word in enumerate(words):
        if word in NEGATORS:
            negated = _negated_word(words, position + 1)
            if negated is not None and (
                # 设不设, 交不交: asked, not negated; 不一样, 不同: a comparison, not an act.
                (position and words[position - 1] == negated) or detect_intents(word + negated)
            ):
                negated = None
            if negated is not None:
                act = synonyms.get(negated, negated)
                negated_acts[sys.intern(NEGATED + act)] = act
            continue
        if word in STOPWORDS:
            continue
        word = _CHINESE_NUMBERS.get(synonyms.get(word, word), synonyms.get(word, word))
        # Interned: thousands of entries repeat the same few thousand terms.
        word = sys.intern(word)
        parts = [sys.intern(w) for w in _sub_words(word, freq, domain) if w not in STOPWORDS]
        terms.extend(parts)
        for part in parts:
            weights[part] = max(weights.get(part, 0.0), SUB_WORDS_SHARE / len(parts))
        terms.append(word)
        weights[word] = 1.0
    return terms, weights, negated_acts


def _negated_word(words: list[str], start: int) -> str | None:
    """The word a negator at ``start - 1`` negates (past manner words), or None: a closing
    不, a complement (走不动了, 联系不上). One character counts only with an object after it
    (不交党费), which a complement does not take."""
    for position in range(start, len(words)):
        word = words[position]
        if word in NEGATION_SKIPS:
            continue
        if word in STOPWORDS or word in NEGATORS or word.isspace():
            return None
        if len(word) > 1:
            return word
        after = words[position + 1] if position + 1 < len(words) else ""
        return word if after and after not in STOPWORDS and not after.isspace() else None
    return None


_INTENT_RES = {intent: re.compile("|".join(cues)) for intent, cues in INTENTS.items()}


def detect_intents(normalised: str) -> frozenset[str]:
    """The kinds of answer a question asks for (frequency, definition, procedure, ...)."""
    return frozenset(intent for intent, regex in _INTENT_RES.items() if regex.search(normalised))


@dataclass(frozen=True)
class Analysis:
    """A text ready for ranking: its normalised form, terms (with repeats) and intents."""

    normalised: str
    terms: tuple[str, ...]
    intents: frozenset[str]
    weights: dict[str, float] = field(default_factory=dict)
    negated: dict[str, str] = field(default_factory=dict)  # 不转正 -> 转正

    @property
    def whole(self) -> frozenset[str]:
        """Terms that stood as whole words in the text."""
        return frozenset(t for t, w in self.weights.items() if w == 1.0)


def analyse(text: str) -> Analysis:
    """Normalise, segment and classify one text."""
    normalised = normalise(text)
    terms, weights, negated = to_terms(segment(normalised))
    return Analysis(normalised, tuple(terms), detect_intents(normalised), weights, negated)
