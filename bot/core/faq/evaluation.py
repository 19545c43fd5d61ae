"""Scoring a matcher against a held-out question set (tests/data/faq_eval.yaml).

An eval file is a YAML list of ``{q: question, expect: id | [ids] | null}``; null means the
question must not be answered. Figures:
- top-1 accuracy: share of answerable questions whose first result (the answer, or the first
  suggestion) is an expected entry;
- direct accuracy: share of answerable questions answered directly with an expected entry;
- wrong-answer rate: share of all questions answered directly with a wrong entry, counting any
  direct answer to a question that must not be answered;
- refusal rate: share of must-not-answer questions on which the bot stays silent.

``expect`` may also name a computed answer, ``computed:<kind>`` (bot.core.computed): such a
case is right when the computed answerer, which runs before the matcher as in the bot,
answers with that kind. Without a computed answerer, cases that expect only computed
answers are skipped (and counted as such).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import yaml

from bot.core.computed import LABEL_PREFIX, Computed
from bot.core.errors import InvalidInput
from bot.core.faq.matcher import FaqMatcher, MatchResult


@dataclass(frozen=True)
class EvalCase:
    """One question and the entry ids that answer it (empty: must not be answered)."""

    question: str
    expect: frozenset[str]


@dataclass(frozen=True)
class EvalMiss:
    """A question the matcher did not get right, for the report."""

    case: EvalCase
    result: MatchResult
    computed: Computed | None = None

    @property
    def got(self) -> str:
        """What the bot did: the computed label, the entry answered, or suggest/none."""
        if self.computed is not None:
            return self.computed.label
        return self.result.entry.id if self.result.entry else self.result.outcome


@dataclass(frozen=True)
class EvalReport:
    """The figures of one evaluation run."""

    answerable: int
    unanswerable: int
    top1: int
    direct: int
    wrong: int
    refused: int
    misses: tuple[EvalMiss, ...]
    skipped: int = 0  # cases that expect a computed answer, run without a computed answerer

    @property
    def top1_accuracy(self) -> float:
        """Share of answerable questions whose first result is right."""
        return self.top1 / self.answerable if self.answerable else 0.0

    @property
    def direct_accuracy(self) -> float:
        """Share of answerable questions answered directly and rightly."""
        return self.direct / self.answerable if self.answerable else 0.0

    @property
    def wrong_rate(self) -> float:
        """Share of all questions given a wrong direct answer."""
        total = self.answerable + self.unanswerable
        return self.wrong / total if total else 0.0

    @property
    def refusal_rate(self) -> float:
        """Share of must-not-answer questions met with silence."""
        return self.refused / self.unanswerable if self.unanswerable else 1.0


def load_eval_cases(text: str) -> list[EvalCase]:
    """Parse an eval file; raise InvalidInput on a malformed item."""
    items = yaml.safe_load(text)
    if not isinstance(items, list):
        raise InvalidInput("评测文件应为问题列表")
    cases = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            raise InvalidInput(f"第{number}项缺少“q”")
        expect = item.get("expect")
        ids = [expect] if isinstance(expect, str) else (expect or [])
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise InvalidInput(f"第{number}项的“expect”应为条目编号、编号列表或 null")
        cases.append(EvalCase(item["q"], frozenset(ids)))
    return cases


def _first_id(result: MatchResult) -> str | None:
    if result.entry is not None:
        return result.entry.id
    return result.candidates[0][0].id if result.candidates else None


Answerer = Callable[[str], Computed | None]
_NOT_RUN = MatchResult("none")


def expects_only_computed(case: EvalCase) -> bool:
    """True when every expected answer is a computed one (computed:<kind>)."""
    return bool(case.expect) and all(e.startswith(LABEL_PREFIX) for e in case.expect)


def evaluate(
    matcher: FaqMatcher, cases: list[EvalCase], computed: Answerer | None = None
) -> EvalReport:
    """Run every case through the computed answerer (when given) and then the matcher, as the
    bot does, and count."""
    top1 = direct = wrong = refused = skipped = answerable = 0
    misses: list[EvalMiss] = []
    for case in cases:
        if computed is None and expects_only_computed(case):
            skipped += 1
            continue
        figured = computed(case.question) if computed is not None else None
        result = _NOT_RUN if figured is not None else matcher.match(case.question)
        if figured is not None:
            answered_id: str | None = figured.label
            first: str | None = figured.label
        else:
            answered_id = result.entry.id if result.answered and result.entry else None
            first = _first_id(result)
        if not case.expect:
            silent = figured is None and result.outcome == "none"
            refused += silent
            wrong += answered_id is not None
            if not silent:
                misses.append(EvalMiss(case, result, figured))
            continue
        answerable += 1
        top1 += first in case.expect
        direct += answered_id in case.expect
        wrong += answered_id is not None and answered_id not in case.expect
        if answered_id not in case.expect:
            misses.append(EvalMiss(case, result, figured))
    return EvalReport(
        answerable=answerable,
        unanswerable=len(cases) - answerable - skipped,
        top1=top1,
        direct=direct,
        wrong=wrong,
        refused=refused,
        misses=tuple(misses),
        skipped=skipped,
    )
