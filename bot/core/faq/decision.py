"""The checks behind answering with the best entry: may it answer, who is its rival, and
the contest the fitted confidence weighs (confidence.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.faq.confidence import NO_SIGNALS, Contest, Signals
from bot.core.faq.index import FaqIndex
from bot.core.faq.polar import PolarQuestion, settles


@dataclass(frozen=True)
class Asked:
    """What the decision needs of the question: its term weights and the best few's signals."""

    terms: dict[str, float]
    signals: dict[int, Signals]


def may_answer(
    index: FaqIndex, doc_id: int, *, everyday: frozenset[str], local_only: bool
) -> bool:
    """Whether the entry first in line may be the answer at all."""
    if local_only and not index.is_org(doc_id):
        return False  # a past event: only an organisation's own entry knows it
    # Everyday words next to a Party term (党员能炒股吗): answered only by an entry that
    # is about them itself (the base has one on 炒股), never by a near one.
    return all(index.mentions(word, doc_id) for word in everyday)


def negates_other_act(index: FaqIndex, doc_id: int, negated: dict[str, str]) -> bool:
    """Whether the question negates an act (不转正 -> 转正) that the entry names without
    negating it in its texts or keywords: the entry is about the act itself."""
    found = index.negations.get(doc_id, frozenset())
    return any(
        index.mentions(act, doc_id) and negation not in found for negation, act in negated.items()
    )


def answers_polar(index: FaqIndex, doc_id: int, polar: PolarQuestion | None) -> bool:
    """Whether the entry's first clause settles a yes/no question (any other question: yes)."""
    if polar is None or not polar.predicate:
        return True
    # The rarest word of what is asked that the base knows must be in the entry (one it
    # has never seen says nothing about which entry is meant): the rarest of its words, or
    # the rarest single character. A character alone may be the act (挂 in 党旗能挂在家里吗)
    # or name little (花 in 党费能不能书记一个人决定花: 书记 says what is asked).
    idf = index.bm25.idf
    known = sorted(t for t in polar.predicate if t in idf)
    words = [t for t in known if len(t) > 1]
    chars = [t for t in known if len(t) == 1]
    keys = {max(group, key=idf.__getitem__) for group in (words, chars) if group}
    settled = index.settled[doc_id]

    def mentions(term: str) -> bool:
        return index.mentions(term, doc_id)

    if not keys:
        return settles(polar, settled, None, mentions)
    return any(settles(polar, settled, key, mentions) for key in keys)


def rival(index: FaqIndex, ranked: list[tuple[int, float]]) -> tuple[int | None, float]:
    """Another entry that could be meant instead of the top one, and its score."""
    top_is_org = index.is_org(ranked[0][0])
    for doc_id, score in ranked[1:]:
        # An organisation's entry that outranks shipped ones on precedence has no shipped
        # rival: answering with the local version is the point.
        if top_is_org and not index.is_org(doc_id):
            continue
        return doc_id, score
    return None, 0.0


def contest(
    index: FaqIndex,
    top_id: int,
    top: float,
    rival_id: int | None,
    rival: float,
    asked: Asked,
    polar: PolarQuestion | None,
) -> Contest:
    """The signals the answer confidence weighs (confidence.py)."""
    terms = asked.terms
    idf = index.bm25.idf
    known = [t for t, share in terms.items() if share == 1.0 and t in idf]
    key = max(known, key=idf.__getitem__) if known else None
    total = index.total_weight(terms)
    unknown = sum(index.term_weight(t) * f for t, f in terms.items() if t not in idf)
    # Split here, for two entries only: kept per entry it costs 2 MB at 5,000 entries.
    mine, theirs = frozenset(index.entries[top_id].id.split("-")), frozenset[str]()
    if rival_id is not None:
        theirs = frozenset(index.entries[rival_id].id.split("-"))
    return Contest(
        top=top,
        rival=rival,
        best=asked.signals.get(top_id, NO_SIGNALS),
        second=asked.signals.get(rival_id, NO_SIGNALS) if rival_id is not None else NO_SIGNALS,
        title=index.title_cover(top_id, terms),
        key_in_top=key is not None and index.mentions(key, top_id),
        key_in_rival=key is not None and rival_id is not None and index.mentions(key, rival_id),
        unknown=unknown / total if total else 0.0,
        polar=polar is not None,
        siblings=len(mine & theirs) / len(mine | theirs) if theirs else 0.0,
    )
