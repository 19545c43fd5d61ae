"""The BM25 index: weights, and MaxScore top-k equal to exhaustive scoring."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from bot.core.faq.bm25 import Bm25Index


def test_rare_terms_weigh_more_and_absent_terms_nothing() -> None:
    index = Bm25Index([Counter(["党费", "比例"]), Counter(["党费", "党课"]), Counter(["党费"])])
    assert index.weight("比例", 0) > index.weight("党费", 0) > 0.0
    assert index.weight("比例", 1) == 0.0
    assert index.max_weight["比例"] == index.weight("比例", 0)
    assert index.scores([("党课", 1.0)]) == {1: index.weight("党课", 1)}
    assert index.scores([("天气", 1.0)]) == {}


@pytest.mark.parametrize("seed", range(5))
def test_top_equals_exhaustive_scoring(seed: int) -> None:
    rng = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(60)]
    weights = [1 / (n + 1) for n in range(60)]  # Zipf: a few terms in most documents
    documents = [
        Counter(rng.choices(vocabulary, weights, k=rng.randint(3, 15))) for _ in range(400)
    ]
    index = Bm25Index(documents)
    for _ in range(30):
        query = [(t, rng.choice([1.0, 0.5, 0.25])) for t in set(rng.choices(vocabulary, k=5))]
        everything = index.scores(query)
        expected = sorted(everything.values(), reverse=True)[:10]
        got = index.top(query, 10)
        assert [round(score, 9) for _, score in got] == [round(s, 9) for s in expected]
        assert all(everything[doc_id] == pytest.approx(score) for doc_id, score in got)
