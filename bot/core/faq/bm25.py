"""Okapi BM25 over short documents, in pure Python.

Written here rather than taken from bm25s after measuring both on this machine (2 cores,
Python 3.11; figures in bench/faq.py's output and the FAQ section of the report):
the index is an inverted list of precomputed term weights, so a question costs one dict
lookup per term plus one addition per posting. bm25s would bring numpy and scipy (about
60 MB installed, 0.3 s more start-up) for no gain at a few thousand entries, and the matcher
needs per-term maxima and out-of-vocabulary weights that bm25s does not expose.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

K1 = 1.2
B = 0.75


class Bm25Index:
    """Precomputed BM25 weights: term -> postings of (document, weight)."""

    def __init__(self, documents: Sequence[Sequence[str]], *, k1: float = K1, b: float = B):
        self.size = len(documents)
        lengths = [len(doc) for doc in documents]
        average = (sum(lengths) / self.size) if self.size else 1.0
        frequencies = [Counter(doc) for doc in documents]
        document_frequency: Counter[str] = Counter()
        for counts in frequencies:
            document_frequency.update(counts.keys())
        self.idf = {term: self._idf(df) for term, df in document_frequency.items()}
        self.oov_idf = self._idf(0)
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for doc_id, counts in enumerate(frequencies):
            norm = k1 * (1 - b + b * lengths[doc_id] / (average or 1.0))
            for term, tf in counts.items():
                weight = self.idf[term] * tf * (k1 + 1) / (tf + norm)
                self.postings.setdefault(term, []).append((doc_id, weight))
        self.max_weight = {t: max(w for _, w in plist) for t, plist in self.postings.items()}

    def _idf(self, df: int) -> float:
        # The "plus one" form: never negative, even for a term in every document.
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def scores(self, terms: Iterable[tuple[str, float]]) -> dict[int, float]:
        """BM25 score of every document sharing a term with the query (term, query weight)."""
        totals: dict[int, float] = {}
        get = totals.get
        for term, factor in terms:
            for doc_id, weight in self.postings.get(term, ()):
                totals[doc_id] = get(doc_id, 0.0) + factor * weight
        return totals

    def weight(self, term: str, doc_id: int) -> float:
        """The weight of one term in one document (0.0 when absent); for tests and tools."""
        return next((w for d, w in self.postings.get(term, ()) if d == doc_id), 0.0)
