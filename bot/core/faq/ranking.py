"""Ranking the entries for a question: BM25 coverage refined into a 0..1 confidence.

The raw score is turned into the share of the question's term weight that the entry covers
(each term counted at the best weight any entry gives it; words the base has never seen count
against the match), refined by intent, title, scope and how closely the question is worded
like one of the entry's own texts (word-level, then character bigrams: wording.py).
"""

from __future__ import annotations

import heapq
from operator import itemgetter

from bot.core.faq.confidence import Signals
from bot.core.faq.index import FaqIndex
from bot.core.faq.tokenizer import Analysis
from bot.core.faq.wording import bigrams, blend, closest_wording

REFINE_TOP = 24  # raw scores refined by intent, title and scope
ORG_PRECEDENCE = 0.9  # an organisation's entry beats a shipped one scoring up to 1/0.9 of it
INTENT_MISMATCH = 0.6  # "how often" asked, the entry answers "what is": scaled down
# A question worded like one of an entry's own texts (its question or a phrasing) is worth more
# than the bag of words says: up to PHRASING_BOOST more, from a similarity of PHRASING_FROM.
PHRASING_FROM = 0.5
PHRASING_BOOST = 0.2
PHRASING_TOP = 8  # the boost is worked out for the best few only (it is at most 1.2x)
SCOPE_MISMATCH = 0.85
TITLE_FLOOR = 0.7  # an entry whose own question the asker barely echoes is scaled down

Ranked = list[tuple[int, float]]


def rank(
    index: FaqIndex, terms: dict[str, float], analysis: Analysis, org_ids: frozenset[int]
) -> tuple[Ranked, dict[int, Signals]]:
    """(entry index, confidence), best first, organisations' entries favoured; and the
    signals of the best few (confidence.py).

    Only the REFINE_TOP best raw BM25 scores are refined (the refinements scale a score
    by 0.5 to 1): enough for the three candidates shown, and what keeps a question under
    2 ms at 5,000 entries.
    """
    total = index.total_weight(terms)
    if index.org_ids:
        hidden = index.hidden(org_ids)
        raw = index.bm25.scores(terms.items())
        visible = ((d, score) for d, score in raw.items() if not hidden(d))
        best = heapq.nlargest(REFINE_TOP, visible, key=itemgetter(1))
    else:
        best = index.bm25.top(terms.items(), REFINE_TOP)
    coverage = {doc_id: score / total for doc_id, score in best}
    scored = sorted(
        (_refine(index, doc_id, coverage[doc_id], terms, analysis) for doc_id, _ in best),
        reverse=True,
    )
    whole = {t: index.term_weight(t) for t, share in terms.items() if share == 1.0}
    phrasing: dict[int, float] = {}
    for position, (key, doc_id, confidence) in enumerate(scored[:PHRASING_TOP]):
        similar = phrasing[doc_id] = phrasing_similarity(index, doc_id, whole)
        factor = 1 + PHRASING_BOOST * max(0.0, similar - PHRASING_FROM) / (1 - PHRASING_FROM)
        scored[position] = (key * factor, doc_id, confidence * factor)
    scored.sort(reverse=True)
    # The wording is compared for the best few only (the rest stay behind: it is what
    # keeps a question under 2 ms at 5,000 entries).
    asked = bigrams(analysis.normalised)
    signals: dict[int, Signals] = {}
    for position, (key, doc_id, confidence) in enumerate(scored):
        similar = 0.0
        if position < PHRASING_TOP:
            similar = closest_wording(asked, index.own_wordings(doc_id))
            signals[doc_id] = Signals(coverage[doc_id], phrasing.get(doc_id, 0.0), similar)
        scored[position] = (blend(key, similar), doc_id, blend(confidence, similar))
    scored.sort(reverse=True)
    return [(doc_id, confidence) for _, doc_id, confidence in scored], signals


def _refine(
    index: FaqIndex, doc_id: int, coverage: float, terms: dict[str, float], analysis: Analysis
) -> tuple[float, int, float]:
    """(rank key, entry index, confidence) from the raw coverage and the features."""
    confidence = min(1.0, coverage)
    if analysis.intents:
        profile = index.intents[doc_id]
        share = max(profile.get(intent, 0.0) for intent in analysis.intents)
        confidence *= INTENT_MISMATCH + (1 - INTENT_MISMATCH) * share
    confidence *= TITLE_FLOOR + (1 - TITLE_FLOOR) * index.title_cover(doc_id, terms)
    if index.scopes[doc_id] and not index.scopes[doc_id] & terms.keys():
        confidence *= SCOPE_MISMATCH
    boost = 1 / ORG_PRECEDENCE if index.is_org(doc_id) else 1.0
    return confidence * boost, doc_id, confidence


def phrasing_similarity(index: FaqIndex, doc_id: int, whole: dict[str, float]) -> float:
    """How closely the question is worded like the closest of the entry's own texts:
    weighted Dice over their whole words (``whole``: the question's, with their weights),
    each weighted as in the confidence (1.0: the same words)."""
    asked = sum(whole.values())
    best = 0.0
    for text, text_weight in zip(index.texts[doc_id], index.text_weights[doc_id], strict=True):
        shared = sum(weight for term, weight in whole.items() if term in text)
        if asked + text_weight:
            best = max(best, 2 * shared / (asked + text_weight))
    return best
