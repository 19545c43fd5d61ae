"""What the matcher keeps of each entry: its terms for BM25 and the features that refine it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from bot.core.faq.kb import FaqEntry
from bot.core.faq.polar import Settled, settled_by
from bot.core.faq.tokenizer import analyse

QUESTION_REPEAT = 2
KEYWORD_REPEAT = 2  # keywords are chosen by the author: they weigh twice
# An own question that asks two things (入党志愿书是什么？什么时候填？, 党费能不能一次交几个月，
# 或者过后补交？): each part is a title of its own.
_TITLE_PARTS_RE = re.compile("[？?]|，?或者|，?还是")


@dataclass(frozen=True)
class EntryText:
    """One entry, analysed once (a rebuild reuses it while the entry is unchanged)."""

    terms: tuple[str, ...]  # kept for rebuilds; a tuple of interned strings is small
    intents: dict[str, float]
    title: dict[str, float]
    settled: Settled  # what the answer's first clause settles (polar.py)
    # Each own text (question, phrasings) as its whole words, and as written (normalised).
    texts: tuple[tuple[str, ...], ...]
    verbatim: tuple[str, ...]
    negated: frozenset[str] = frozenset()  # acts its texts negate (不转正), for the decision
    # The parts of an own question that asks two things (empty: it asks one).
    title_parts: tuple[dict[str, float], ...] = ()


def verbatim_key(normalised: str) -> str:
    """A text as written, for word-for-word matches (spaces and closing particles dropped)."""
    return normalised.replace(" ", "").rstrip("吗呢啊呀吧")


def entry_document(entry: FaqEntry) -> EntryText:
    """Analyse an entry's question, phrasings, keywords and the opening of its answer."""
    terms: list[str] = []
    intents: Counter[str] = Counter()
    own_texts = []
    verbatim = []
    negated: set[str] = set()
    for text in (entry.question, *entry.phrasings):
        analysis = analyse(text)
        negated.update(analysis.negated)
        terms.extend(analysis.terms * (QUESTION_REPEAT if text is entry.question else 1))
        intents.update(analysis.intents)
        own_texts.append(tuple(sorted(analysis.whole)))
        verbatim.append(verbatim_key(analysis.normalised))
    for keyword in entry.keywords:
        analysis = analyse(keyword)
        terms.extend(analysis.terms * KEYWORD_REPEAT)
        negated.update(analysis.negated)
    texts = 1 + len(entry.phrasings)
    title = analyse(entry.question)
    profile = {intent: n / texts for intent, n in intents.items()}
    settled = settled_by(entry.question, entry.answer, entry.phrasings)
    parts = [p for p in _TITLE_PARTS_RE.split(entry.question) if p.strip()]
    title_parts = tuple(dict(analyse(p).weights) for p in parts) if len(parts) > 1 else ()
    return EntryText(
        tuple(terms),
        profile,
        dict(title.weights),
        settled,
        tuple(own_texts),
        tuple(verbatim),
        frozenset(negated),
        title_parts,
    )
