"""Whether the best entry is clear enough to be the answer: a calibrated confidence.

A small logistic model over signals the matcher has at hand when it decides (the best entry's
score and its lead, how much of the question it covers, how closely the question is worded like
one of its own texts, whether it has the question's rarest word ...). Its coefficients
(calibration.py) are fitted offline by scripts/fit_faq_confidence.py on the two tuned eval
files; the threshold is the lowest probability that keeps wrong answers there at most
MAX_WRONG. The blind sets are never fitted on: they validate it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.core.faq.calibration import COEFFICIENTS, INTERCEPT, THRESHOLD


@dataclass(frozen=True, slots=True)
class Signals:
    """One entry's match signals, kept for the best few of a question."""

    coverage: float  # raw BM25 score over the question's total term weight
    phrasing: float  # word-level Dice with the closest of the entry's own texts
    wording: float  # character-bigram Dice with the closest of them (wording.py)


NO_SIGNALS = Signals(0.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class Contest:
    """What is known of the best entry and its rival when deciding whether to answer."""

    top: float
    rival: float
    best: Signals
    second: Signals
    title: float  # share of the entry's own question that the asked question mentions
    key_in_top: bool  # the question's rarest known word is in the entry's texts
    key_in_rival: bool
    unknown: float  # share of the question's weight in words the base has never seen
    polar: bool  # a yes/no question (settled: polar.py has let it through)
    siblings: float  # share of id words the two entries have in common


FEATURES = (
    "top",
    "lead",
    "coverage",
    "phrasing",
    "wording",
    "wording_lead",
    "title",
    "key_in_top",
    "key_only_top",
    "unknown",
    "polar",
    "siblings",
)


def features(contest: Contest) -> tuple[float, ...]:
    """The model's inputs, in the order of FEATURES."""
    best, second = contest.best, contest.second
    return (
        contest.top,
        contest.top - contest.rival,
        min(best.coverage, 1.5),
        best.phrasing,
        best.wording,
        best.wording - second.wording,
        contest.title,
        float(contest.key_in_top),
        float(contest.key_in_top and not contest.key_in_rival),
        contest.unknown,
        float(contest.polar),
        contest.siblings,
    )


def probability(values: tuple[float, ...]) -> float:
    """The fitted probability that the best entry is the right answer."""
    z = INTERCEPT + sum(w * x for w, x in zip(COEFFICIENTS, values, strict=True))
    return 1 / (1 + math.exp(-z))


def confident(contest: Contest) -> bool:
    """Whether the best entry is clear enough to be the answer, not one of "您是不是想问"."""
    return probability(features(contest)) >= THRESHOLD
