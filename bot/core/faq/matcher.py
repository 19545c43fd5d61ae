"""Matching a member's question to one FAQ entry, or deliberately to none.

Ranking is BM25 (bm25.py) over each entry's question, phrasings and keywords. The raw score
is turned into a 0..1 confidence: the share of the question's term weight that the entry
covers (each term counted at the best weight any entry gives it; words the base has never
seen count against the match), refined by intent, title, scope and how closely the question
is worded like one of the entry's own texts. A question must also name a Party-work term
("strong anchor", domain_words.txt) to be answered directly, and an explicit off-topic guard
refuses questions about weather, food, shopping, sports, homework and small talk, unless the
entry answering is itself about them (the base has one on 炒股).

The best entry is the answer when it is clearly ahead (``clearly_ahead``: a lead of
ANSWER_MARGIN at ANSWER_MIN), when the fitted answer confidence says so where the lead is
smaller (confidence.py, fitted offline by scripts/fit_faq_confidence.py), or when it has the
question word for word among its texts; otherwise the best three are suggestions
("您是不是想问"). A
yes/no question is answered only by an entry whose first clause settles it (polar.py), and a
question about a past event only by an organisation's own entry.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Literal

from bot.core.faq.bm25 import Bm25Index
from bot.core.faq.confidence import NO_SIGNALS, Contest, Signals, confident
from bot.core.faq.documents import EntryText, entry_document, verbatim_key
from bot.core.faq.kb import FaqEntry
from bot.core.faq.polar import PolarQuestion, names_other_act, read_polar, settles
from bot.core.faq.questions import (
    asks_about_own_data,
    asks_about_past_event,
    everyday_words,
    is_question_like,
)
from bot.core.faq.tokenizer import Analysis, analyse, domain_words
from bot.core.faq.wording import bigrams, blend, wording_similarity

Outcome = Literal["answer", "suggest", "none"]

ANSWER_MIN = 0.4  # confidence for a direct answer
ANSWER_MARGIN = 0.08  # ... and its lead over the next entry
SUGGEST_MIN = 0.25  # confidence for "您是不是想问"
CONFIDENT_MIN = 0.6  # unsolicited answers in a group need more
CONFIDENT_MARGIN = 0.15
MAX_CANDIDATES = 3
REFINE_TOP = 24  # raw scores refined by intent, title and scope
ORG_PRECEDENCE = 0.9  # an organisation's entry beats a shipped one scoring up to 1/0.9 of it
INTENT_MISMATCH = 0.6  # "how often" asked, the entry answers "what is": scaled down
# A question worded like one of an entry's own texts (its question or a phrasing) is worth more
# than the bag of words says: up to PHRASING_BOOST more, from a similarity of PHRASING_FROM.
PHRASING_FROM = 0.5
PHRASING_BOOST = 0.2
PHRASING_TOP = 8  # the boost is worked out for the best few only (it is at most 1.2x)
# Words that narrow an entry to one kind of organisation (design.md's domains): an entry about
# 机关 or 村 suits a question that names it and yields to the general entry otherwise.
SCOPES = frozenset(
    {"机关", "国有企业", "国企", "村", "农村", "社区", "学校", "高校", "企业", "民营企业"}
    | {"社会组织", "两新组织", "非公有制经济组织"}
)
SCOPE_MISMATCH = 0.85
TITLE_FLOOR = 0.7  # an entry whose own question the asker barely echoes is scaled down
# Weight of a question word the base has never seen, as a share of the rarest term's weight.
OOV_WORD = 0.6
OOV_CHAR = 0.25
OOV_NUMBER = 0.1


@dataclass(frozen=True)
class MatchResult:
    """What the bot should do with a question: answer, suggest candidates, or stay silent."""

    outcome: Outcome
    entry: FaqEntry | None = None
    score: float = 0.0
    candidates: tuple[tuple[FaqEntry, float], ...] = field(default=())
    confident: bool = False
    # Asks about the branch's own data (咱支部今年谁评上优秀党员了): no policy answer fits.
    local: bool = False

    @property
    def answered(self) -> bool:
        """True when the bot gives ``entry`` as the answer."""
        return self.outcome == "answer"


__all__ = ["FaqMatcher", "MatchResult", "clearly_ahead", "is_question_like"]

NO_MATCH = MatchResult("none")
OWN_DATA = MatchResult("none", local=True)
AMBIGUOUS = -1
_NO_SCOPE: frozenset[str] = frozenset()


def query_weights(analysis: Analysis) -> dict[str, float]:
    """How much each term of a question counts (see tokenizer.to_terms)."""
    return dict(analysis.weights)


@dataclass(frozen=True)
class Asked:
    """What the decision needs of the question: its term weights and the best few's signals."""

    terms: dict[str, float]
    signals: dict[int, Signals]


def clearly_ahead(top: float, rival: float) -> bool:
    """Whether the best entry is clear enough to be the answer, not one of "您是不是想问"."""
    return top >= ANSWER_MIN and top - rival >= ANSWER_MARGIN


class FaqMatcher:
    """An index over a set of entries (shipped ones with org_id None, and organisations')."""

    def __init__(self, entries: Iterable[FaqEntry], *, reuse: FaqMatcher | None = None) -> None:
        """Index ``entries``; with ``reuse``, entries it already analysed are not analysed again.

        Rebuild after an organisation edits its entries with
        ``FaqMatcher(new_entries, reuse=old_matcher)``: only new or changed entries are
        segmented, the rest of the cost is the BM25 tables (0.2 s at 5,000 entries).
        """
        self.entries = tuple(entries)
        known: dict[FaqEntry, EntryText] = reuse.documents if reuse is not None else {}
        self.documents: dict[FaqEntry, EntryText] = {
            e: known.get(e) or entry_document(e) for e in self.entries
        }
        documents = [self.documents[entry] for entry in self.entries]
        self.index = Bm25Index([Counter(d.terms) for d in documents])
        self.intents = [d.intents for d in documents]
        self.scopes = [SCOPES.intersection(d.title) or _NO_SCOPE for d in documents]
        self.titles = [d.title for d in documents]
        self.settled = [d.settled for d in documents]
        self.texts = [d.texts for d in documents]
        self.wordings = [d.verbatim for d in documents]
        weight = self.index.max_weight
        # Each own text's total weight, once: the similarity's denominator.
        self.text_weights = [
            tuple(sum(weight.get(t, 0.0) for t in text) for text in d.texts) for d in documents
        ]
        # Text as written -> the entry that has it; AMBIGUOUS when several entries do.
        self.verbatim: dict[str, int] = {}
        for doc_id, document in enumerate(documents):
            for text in document.verbatim:
                if self.verbatim.setdefault(text, doc_id) != doc_id:
                    self.verbatim[text] = AMBIGUOUS
        self.rarest = max(self.index.idf.values(), default=1.0)
        self.org_terms: dict[int, set[str]] = {}
        self.org_entry_ids: dict[int, set[str]] = {}
        for entry in self.entries:
            if entry.org_id is not None:
                terms = {t for k in entry.keywords for t in analyse(k).terms}
                self.org_terms.setdefault(entry.org_id, set()).update(terms)
                self.org_entry_ids.setdefault(entry.org_id, set()).add(entry.id)
        self.org_ids = frozenset(self.org_terms)

    def match(self, question: str, *, org_ids: frozenset[int] = frozenset()) -> MatchResult:
        """Find the entry answering ``question`` among shipped ones and those of ``org_ids``."""
        analysis = analyse(question)
        terms = query_weights(analysis)
        if not terms:
            return NO_MATCH
        # The explicit off-topic guard: a question that names nothing of Party work is never
        # answered nor given suggestions, however well its everyday words match.
        if not self._has_anchor(terms, org_ids):
            return NO_MATCH
        own_data = asks_about_own_data(analysis.normalised)
        ranked, signals = self._rank(terms, analysis, org_ids)
        if own_data and (not ranked or self.entries[ranked[0][0]].org_id is None):
            return OWN_DATA  # only the organisation's own entry may know it
        if not ranked or ranked[0][1] < SUGGEST_MIN:
            return NO_MATCH
        return self._decide(
            ranked,
            Asked(terms, signals),
            everyday=everyday_words(analysis),
            asks=bool(analysis.intents),
            polar=read_polar(question),
            verbatim=self._verbatim(analysis.normalised, org_ids),
            local_only=own_data or asks_about_past_event(analysis),
        )

    def _verbatim(self, normalised: str, org_ids: frozenset[int]) -> int | None:
        """The one visible entry that has the question word for word among its own texts,
        or None (none, or several: an organisation's version of it included)."""
        found = self.verbatim.get(verbatim_key(normalised), AMBIGUOUS)
        if found == AMBIGUOUS or self._hidden(org_ids)(found):
            return None
        return found

    def _has_anchor(self, terms: dict[str, float], org_ids: frozenset[int]) -> bool:
        anchors = domain_words().anchors
        org_terms = [self.org_terms.get(org, set()) for org in org_ids]
        return any(
            t in anchors or "党" in t or any(t in extra for extra in org_terms) for t in terms
        )

    def _term_weight(self, term: str) -> float:
        known = self.index.max_weight.get(term)
        if known is not None:
            return known
        if term.isdigit():
            return OOV_NUMBER * self.rarest
        return (OOV_CHAR if len(term) == 1 else OOV_WORD) * self.rarest

    def _hidden(self, org_ids: frozenset[int]) -> Callable[[int], bool]:
        """Whether an entry is out of view for a group of these organisations."""
        if not self.org_ids:
            return lambda _doc_id: False
        overridden = set().union(*(self.org_entry_ids.get(org, ()) for org in org_ids))

        def hidden(doc_id: int) -> bool:
            entry = self.entries[doc_id]
            if entry.org_id is None:
                return entry.id in overridden
            return entry.org_id not in org_ids

        return hidden

    def _rank(
        self, terms: dict[str, float], analysis: Analysis, org_ids: frozenset[int]
    ) -> tuple[list[tuple[int, float]], dict[int, Signals]]:
        """(entry index, confidence), best first, organisations' entries favoured.

        Only the REFINE_TOP best raw BM25 scores are refined (the refinements scale a score
        by 0.5 to 1): enough for the three candidates shown, and what keeps a question under
        2 ms at 5,000 entries.
        """
        total = sum(self._term_weight(t) * factor for t, factor in terms.items())
        hidden = self._hidden(org_ids)
        if self.org_ids:
            raw = self.index.scores(terms.items())
            visible = ((d, score) for d, score in raw.items() if not hidden(d))
            best = heapq.nlargest(REFINE_TOP, visible, key=itemgetter(1))
        else:
            best = self.index.top(terms.items(), REFINE_TOP)
        coverage = {doc_id: score / total for doc_id, score in best}
        scored = sorted(
            (self._refine(doc_id, coverage[doc_id], terms, analysis) for doc_id, _ in best),
            reverse=True,
        )
        whole = {t: self._term_weight(t) for t, share in terms.items() if share == 1.0}
        phrasing: dict[int, float] = {}
        for position, (key, doc_id, confidence) in enumerate(scored[:PHRASING_TOP]):
            similar = phrasing[doc_id] = self._phrasing_similarity(doc_id, whole)
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
                similar = wording_similarity(asked, self.wordings[doc_id])
                signals[doc_id] = Signals(coverage[doc_id], phrasing.get(doc_id, 0.0), similar)
            scored[position] = (blend(key, similar), doc_id, blend(confidence, similar))
        scored.sort(reverse=True)
        return [(doc_id, confidence) for _, doc_id, confidence in scored], signals

    def _refine(
        self, doc_id: int, coverage: float, terms: dict[str, float], analysis: Analysis
    ) -> tuple[float, int, float]:
        """(rank key, entry index, confidence) from the raw coverage and the features."""
        confidence = min(1.0, coverage)
        if analysis.intents:
            profile = self.intents[doc_id]
            share = max(profile.get(intent, 0.0) for intent in analysis.intents)
            confidence *= INTENT_MISMATCH + (1 - INTENT_MISMATCH) * share
        confidence *= TITLE_FLOOR + (1 - TITLE_FLOOR) * self._title_cover(doc_id, terms)
        if self.scopes[doc_id] and not self.scopes[doc_id] & terms.keys():
            confidence *= SCOPE_MISMATCH
        boost = 1 / ORG_PRECEDENCE if self.entries[doc_id].org_id is not None else 1.0
        return confidence * boost, doc_id, confidence

    def _phrasing_similarity(self, doc_id: int, whole: dict[str, float]) -> float:
        """How closely the question is worded like the closest of the entry's own texts:
        weighted Dice over their whole words (``whole``: the question's, with their weights),
        each weighted as in the confidence (1.0: the same words)."""
        asked = sum(whole.values())
        best = 0.0
        for text, text_weight in zip(self.texts[doc_id], self.text_weights[doc_id], strict=True):
            shared = sum(weight for term, weight in whole.items() if term in text)
            if asked + text_weight:
                best = max(best, 2 * shared / (asked + text_weight))
        return best

    def _title_cover(self, doc_id: int, terms: dict[str, float]) -> float:
        """Share of the entry's own question (by idf) that the asked question mentions."""
        idf = self.index.idf
        total = covered = 0.0
        for term, share in self.titles[doc_id].items():
            weight = share * idf.get(term, 0.0)
            total += weight
            if term in terms:
                covered += weight
        return covered / total if total else 1.0

    def _decide(
        self,
        ranked: list[tuple[int, float]],
        asked: Asked,
        *,
        everyday: frozenset[str],
        asks: bool,
        polar: PolarQuestion | None,
        verbatim: int | None = None,
        local_only: bool = False,
    ) -> MatchResult:
        # A yes/no question is answered only by an entry whose first clause settles what it
        # asks (polar.py); the others stay possible suggestions, never the answer.
        # Entries about another named right or ban are no rivals either; an entry that only
        # may not settle the question still is (the answer could be the one it gives).
        contenders = [
            (doc_id, score)
            for doc_id, score in ranked
            if polar is None or not names_other_act(polar, self.settled[doc_id])
        ]
        first_id = verbatim if verbatim is not None else ranked[0][0]
        may_answer = self._may_answer(first_id, everyday=everyday, local_only=local_only)
        if may_answer and verbatim is not None and self._answers(verbatim, polar):
            # Asked word for word as the entry has it (党费怎么交 in dues.yaml): that entry.
            score = next((s for d, s in ranked if d == verbatim), ANSWER_MIN)
            rest = [(d, s) for d, s in ranked if d != verbatim]
            return MatchResult(
                "answer",
                self.entries[verbatim],
                round(min(score, 1.0), 3),
                self._candidates([(verbatim, score), *rest]),
                confident=asks and score >= CONFIDENT_MIN,
            )
        if may_answer and contenders and self._answers(contenders[0][0], polar):
            top_id, top = contenders[0]
            rival_id, rival = self._rival(contenders)
            if self._clear(top_id, top, rival_id, rival, asked, polar):
                # Speaking up unasked needs a clear question (多久, 怎么 ...) and a clear win.
                confident = asks and top >= CONFIDENT_MIN and top - rival >= CONFIDENT_MARGIN
                first = [(top_id, top)]
                rest = [(d, s) for d, s in ranked if d != top_id]
                return MatchResult(
                    "answer",
                    self.entries[top_id],
                    round(min(top, 1.0), 3),
                    self._candidates(first + rest),
                    confident,
                )
        return MatchResult(
            "suggest", None, round(min(ranked[0][1], 1.0), 3), self._candidates(ranked)
        )

    def _may_answer(self, doc_id: int, *, everyday: frozenset[str], local_only: bool) -> bool:
        """Whether the entry first in line may be the answer at all."""
        if local_only and self.entries[doc_id].org_id is None:
            return False  # a past event: only an organisation's own entry knows it
        # Everyday words next to a Party term (党员能炒股吗): answered only by an entry that
        # is about them itself (the base has one on 炒股), never by a near one.
        return all(self.index.weight(word, doc_id) > 0 for word in everyday)

    def _answers(self, doc_id: int, polar: PolarQuestion | None) -> bool:
        if polar is None or not polar.predicate:
            return True
        # The rarest word of what is asked that the base knows must be in the entry (one it
        # has never seen says nothing about which entry is meant).
        idf = self.index.idf
        known = sorted(t for t in polar.predicate if t in idf)
        key = max(known, key=idf.__getitem__) if known else None
        return settles(polar, self.settled[doc_id], key, self._mentions(doc_id))

    def _mentions(self, doc_id: int) -> Callable[[str], bool]:
        """Whether a term is in the entry's question, phrasings or keywords."""
        return lambda term: self.index.weight(term, doc_id) > 0

    def _candidates(self, ranked: list[tuple[int, float]]) -> tuple[tuple[FaqEntry, float], ...]:
        return tuple(
            (self.entries[doc_id], round(min(score, 1.0), 3))
            for doc_id, score in ranked[:MAX_CANDIDATES]
            if score >= SUGGEST_MIN
        )

    def _rival(self, ranked: list[tuple[int, float]]) -> tuple[int | None, float]:
        """Another entry that could be meant instead of the top one, and its score."""
        top_is_org = self.entries[ranked[0][0]].org_id is not None
        for doc_id, score in ranked[1:]:
            # An organisation's entry that outranks shipped ones on precedence has no shipped
            # rival: answering with the local version is the point.
            if top_is_org and self.entries[doc_id].org_id is None:
                continue
            return doc_id, score
        return None, 0.0

    def _contest(
        self,
        top_id: int,
        top: float,
        rival_id: int | None,
        rival: float,
        asked: Asked,
        polar: PolarQuestion | None,
    ) -> Contest:
        """The signals the answer confidence weighs (confidence.py)."""
        terms = asked.terms
        idf = self.index.idf
        known = [t for t, share in terms.items() if share == 1.0 and t in idf]
        key = max(known, key=idf.__getitem__) if known else None
        total = sum(self._term_weight(t) * f for t, f in terms.items())
        unknown = sum(self._term_weight(t) * f for t, f in terms.items() if t not in idf)
        # Split here, for two entries only: kept per entry it costs 2 MB at 5,000 entries.
        mine, theirs = frozenset(self.entries[top_id].id.split("-")), frozenset[str]()
        if rival_id is not None:
            theirs = frozenset(self.entries[rival_id].id.split("-"))
        return Contest(
            top=top,
            rival=rival,
            best=asked.signals.get(top_id, NO_SIGNALS),
            second=asked.signals.get(rival_id, NO_SIGNALS) if rival_id is not None else NO_SIGNALS,
            title=self._title_cover(top_id, terms),
            key_in_top=key is not None and self.index.weight(key, top_id) > 0,
            key_in_rival=key is not None
            and rival_id is not None
            and self.index.weight(key, rival_id) > 0,
            unknown=unknown / total if total else 0.0,
            polar=polar is not None,
            siblings=len(mine & theirs) / len(mine | theirs) if theirs else 0.0,
        )

    def _clear(
        self,
        top_id: int,
        top: float,
        rival_id: int | None,
        rival: float,
        asked: Asked,
        polar: PolarQuestion | None,
    ) -> bool:
        """Whether the best entry is clear enough to be the answer: clearly ahead by the lead
        rule, or by the fitted confidence (confidence.py) where the lead alone is too small."""
        if clearly_ahead(top, rival):
            return True
        return confident(self._contest(top_id, top, rival_id, rival, asked, polar))
