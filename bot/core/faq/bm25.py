"""Okapi BM25 over short documents, in pure Python.

Written here rather than taken from bm25s after measuring both on this machine (2 cores,
Python 3.11; figures in bench/faq.py's output and the FAQ section of the report):
the index is an inverted list of precomputed term weights, so a question costs one dict
lookup per term plus one addition per posting. bm25s would bring numpy and scipy (about
60 MB installed, 0.3 s more start-up) for no gain at a few thousand entries, and the matcher
needs per-term maxima and out-of-vocabulary weights that bm25s does not expose.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter

K1 = 1.2
B = 0.75


class Bm25Index:
    """Precomputed BM25 weights: term -> postings of (document, weight)."""

    def __init__(self, documents: Sequence[Mapping[str, int]], *, k1: float = K1, b: float = B):
        """Index documents given as term -> count."""
        self.size = len(documents)
        frequencies = documents
        lengths = [sum(counts.values()) for counts in frequencies]
        average = (sum(lengths) / self.size) if self.size else 1.0
        document_frequency: Counter[str] = Counter()
        for counts in frequencies:
            document_frequency.update(counts.keys())
        self.idf = {term: self._idf(df) for term, df in document_frequency.items()}
        self.oov_idf = self._idf(0)
        self.postings: dict[str, dict[int, float]] = {}
        for doc_id, counts in enumerate(frequencies):
            norm = k1 * (1 - b + b * lengths[doc_id] / (average or 1.0))
            for term, tf in counts.items():
                weight = self.idf[term] * tf * (k1 + 1) / (tf + norm)
                self.postings.setdefault(term, {})[doc_id] = weight
        self.max_weight = {t: max(plist.values()) for t, plist in self.postings.items()}

    def _idf(self, df: int) -> float:
        # The "plus one" form: never negative, even for a term in every document.
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def scores(self, terms: Iterable[tuple[str, float]]) -> dict[int, float]:
        """BM25 score of every document sharing a term with the query (term, query weight)."""
        found = [(self.postings[t], factor) for t, factor in terms if t in self.postings]
        if not found:
            return {}
        # The longest list of a full-weight term is copied at C speed; the rest are added.
        full = [i for i, (_, factor) in enumerate(found) if factor == 1.0]
        seed = max(full, key=lambda i: len(found[i][0])) if full else None
        totals = dict(found[seed][0]) if seed is not None else {}
        get = totals.get
        for i, (postings, factor) in enumerate(found):
            if i == seed:
                continue
            for doc_id, weight in postings.items():
                totals[doc_id] = get(doc_id, 0.0) + factor * weight
        return totals

    def top(self, terms: Iterable[tuple[str, float]], count: int) -> list[tuple[int, float]]:
        """The ``count`` best documents with their exact scores, best first (MaxScore).

        Terms are added rarest-first (by their best possible contribution). Once the
        count-th best partial score reaches what all remaining terms together could add, no
        unseen document can enter the result, and the remaining (long, common) lists are
        only looked up for the documents already found.
        """
        found = sorted(
            (
                (self.postings[t], factor, factor * self.max_weight[t])
                for t, factor in terms
                if t in self.postings
            ),
            key=itemgetter(2),
            reverse=True,
        )
        remaining = sum(bound for _, _, bound in found)
        totals: dict[int, float] = {}
        get = totals.get
        for position, (postings, factor, bound) in enumerate(found):
            remaining -= bound
            for doc_id, weight in postings.items():
                totals[doc_id] = get(doc_id, 0.0) + factor * weight
            if len(totals) >= count and heapq.nlargest(count, totals.values())[-1] >= remaining:
                self._add_known(totals, found[position + 1 :])
                break
        return heapq.nlargest(count, totals.items(), key=itemgetter(1))

    @staticmethod
    def _add_known(
        totals: dict[int, float], rest: list[tuple[dict[int, float], float, float]]
    ) -> None:
        for postings, factor, _ in rest:
            if len(postings) < len(totals):
                for doc_id, weight in postings.items():
                    if doc_id in totals:
                        totals[doc_id] += factor * weight
            else:
                for doc_id in totals:
                    if doc_id in postings:
                        totals[doc_id] += factor * postings[doc_id]

    def weight(self, term: str, doc_id: int) -> float:
        """The weight of one term in one document (0.0 when absent)."""
        return self.postings.get(term, {}).get(doc_id, 0.0)
