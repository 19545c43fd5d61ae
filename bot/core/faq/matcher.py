"""Matching a member's question to one FAQ entry, or deliberately to none.

Ranking is BM25 over each entry's question, phrasings and keywords (index.py), turned into a
0..1 confidence and refined by intent, title, scope and wording (ranking.py). A question must
also name a Party-work term ("strong anchor", domain_words.txt) to be answered directly, and an
explicit off-topic guard refuses questions about weather, food, shopping, sports, homework and
small talk, unless the entry answering is itself about them (the base has one on 炒股).

The best entry is the answer when it is clearly ahead (``clearly_ahead``: a lead of
ANSWER_MARGIN at ANSWER_MIN), when the fitted answer confidence says so where the lead is
smaller (confidence.py, fitted offline by scripts/fit_faq_confidence.py; its inputs:
decision.py), or when it has the question word for word among its texts; otherwise the best
three are suggestions ("您是不是想问"). A yes/no question is answered only by an entry whose
first clause settles it (polar.py), a question about a past event only by an
organisation's own entry, and a negated act (不转正) is not answered on the fitted confidence
by an entry on the act itself (decision.negates_other_act).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from bot.core.faq.confidence import confident
from bot.core.faq.decision import (
    Asked,
    answers_polar,
    contest,
    may_answer,
    negates_other_act,
    rival,
)
from bot.core.faq.documents import EntryText
from bot.core.faq.index import FaqIndex
from bot.core.faq.kb import FaqEntry
from bot.core.faq.polar import PolarQuestion, names_other_act, read_polar
from bot.core.faq.questions import (
    asks_about_own_data,
    asks_about_past_event,
    everyday_words,
    is_question_like,
)
from bot.core.faq.ranking import Ranked, rank
from bot.core.faq.tokenizer import analyse

Outcome = Literal["answer", "suggest", "none"]

ANSWER_MIN = 0.4  # confidence for a direct answer
ANSWER_MARGIN = 0.08  # ... and its lead over the next entry
SUGGEST_MIN = 0.25  # confidence for "您是不是想问"
CONFIDENT_MIN = 0.6  # unsolicited answers in a group need more
CONFIDENT_MARGIN = 0.15
MAX_CANDIDATES = 3


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


__all__ = ["Asked", "FaqMatcher", "MatchResult", "clearly_ahead", "is_question_like"]

NO_MATCH = MatchResult("none")
OWN_DATA = MatchResult("none", local=True)


def clearly_ahead(top: float, rival: float) -> bool:
    """Whether the best entry is clear enough to be the answer, not one of "您是不是想问"."""
    return top >= ANSWER_MIN and top - rival >= ANSWER_MARGIN


class FaqMatcher:
    """Matches questions over a set of entries (shipped ones with org_id None, and
    organisations'): ranking in ranking.py, the index in index.py."""

    def __init__(self, entries: Iterable[FaqEntry], *, reuse: FaqMatcher | None = None) -> None:
        """Index ``entries``; with ``reuse``, entries it already analysed are not analysed again.

        Rebuild after an organisation edits its entries with
        ``FaqMatcher(new_entries, reuse=old_matcher)``: only new or changed entries are
        segmented, the rest of the cost is the BM25 tables (0.2 s at 5,000 entries).
        """
        self.index: FaqIndex = FaqIndex(entries, reuse=reuse.index if reuse else None)

    @property
    def entries(self) -> tuple[FaqEntry, ...]:
        """The entries indexed, in index order."""
        return self.index.entries

    @property
    def documents(self) -> dict[FaqEntry, EntryText]:
        """Each entry as analysed (a rebuild reuses it while the entry is unchanged)."""
        return self.index.documents

    def match(self, question: str, *, org_ids: frozenset[int] = frozenset()) -> MatchResult:
        """Find the entry answering ``question`` among shipped ones and those of ``org_ids``."""
        analysis = analyse(question)
        terms = dict(analysis.weights)  # how much each term counts (tokenizer.to_terms)
        if not terms:
            return NO_MATCH
        # The explicit off-topic guard: a question that names nothing of Party work is never
        # answered nor given suggestions, however well its everyday words match.
        if not self.index.has_anchor(terms, org_ids):
            return NO_MATCH
        own_data = asks_about_own_data(analysis.normalised)
        ranked, signals = rank(self.index, terms, analysis, org_ids)
        if own_data and (not ranked or not self.index.is_org(ranked[0][0])):
            return OWN_DATA  # only the organisation's own entry may know it
        if not ranked or ranked[0][1] < SUGGEST_MIN:
            return NO_MATCH
        return self._decide(
            ranked,
            Asked(terms, signals),
            everyday=everyday_words(analysis),
            asks=bool(analysis.intents),
            polar=read_polar(question),
            verbatim=self.index.verbatim_entry(analysis.normalised, org_ids),
            local_only=own_data or asks_about_past_event(analysis),
            negated=analysis.negated,
        )

    def _decide(
        self,
        ranked: Ranked,
        asked: Asked,
        *,
        everyday: frozenset[str],
        asks: bool,
        polar: PolarQuestion | None,
        verbatim: int | None = None,
        local_only: bool = False,
        negated: dict[str, str] | None = None,
    ) -> MatchResult:
        # A yes/no question is answered only by an entry whose first clause settles what it
        # asks (polar.py); the others stay possible suggestions, never the answer.
        # Entries about another named right or ban are no rivals either; an entry that only
        # may not settle the question still is (the answer could be the one it gives).
        index = self.index
        contenders = [
            (doc_id, score)
            for doc_id, score in ranked
            if polar is None or not names_other_act(polar, index.settled[doc_id])
        ]
        first_id = verbatim if verbatim is not None else ranked[0][0]
        allowed = may_answer(index, first_id, everyday=everyday, local_only=local_only)
        if allowed and verbatim is not None and answers_polar(index, verbatim, polar):
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
        if allowed and contenders and answers_polar(index, contenders[0][0], polar):
            top_id, top = contenders[0]
            rival_id, rival_score = rival(index, contenders)
            # A negated act (预备党员不转正会怎样) is not answered on the fitted confidence by
            # an entry on the act itself (转正的程序); a clear lead may still answer it.
            negation_ok = clearly_ahead(top, rival_score) or not negates_other_act(
                index, top_id, negated or {}
            )
            if negation_ok and self._clear(top_id, top, rival_id, rival_score, asked, polar):
                # Speaking up unasked needs a clear question (多久, 怎么 ...) and a clear win.
                sure = asks and top >= CONFIDENT_MIN and top - rival_score >= CONFIDENT_MARGIN
                first = [(top_id, top)]
                rest = [(d, s) for d, s in ranked if d != top_id]
                return MatchResult(
                    "answer",
                    self.entries[top_id],
                    round(min(top, 1.0), 3),
                    self._candidates(first + rest),
                    sure,
                )
        return MatchResult(
            "suggest", None, round(min(ranked[0][1], 1.0), 3), self._candidates(ranked)
        )

    def _candidates(self, ranked: Ranked) -> tuple[tuple[FaqEntry, float], ...]:
        return tuple(
            (self.entries[doc_id], round(min(score, 1.0), 3))
            for doc_id, score in ranked[:MAX_CANDIDATES]
            if score >= SUGGEST_MIN
        )

    def _clear(
        self,
        top_id: int,
        top: float,
        rival_id: int | None,
        rival_score: float,
        asked: Asked,
        polar: PolarQuestion | None,
    ) -> bool:
        """Whether the best entry is clear enough to be the answer: clearly ahead by the lead
        rule, or by the fitted confidence (confidence.py) where the lead alone is too small.
        (scripts/fit_faq_confidence.py overrides it to record the decision.)"""
        if clearly_ahead(top, rival_score):
            return True
        return confident(contest(self.index, top_id, top, rival_id, rival_score, asked, polar))
