"""Scoring a matcher against a held-out question set (tests/data/faq_eval.yaml,
tests/data/faq_heldout_questions.yaml).

An eval file is a YAML list of ``{q: question, expect: id | [ids] | null}``; null means the
question must not be answered, and ``computed:<kind>`` (e.g. ``computed:dues``) means the
answer is computed, not looked up. Other keys of an item (topic, kind, uncovered) are ignored.
Computed cases are scored only when a computed answerer is given; otherwise they are skipped
and counted in ``skipped``. Figures:
- top-1 accuracy: share of answerable questions whose first result (the answer, or the first
  suggestion) is an expected entry;
- direct accuracy: share of answerable questions answered directly with an expected entry;
- wrong-answer rate: share of all questions answered directly with a wrong entry, counting any
  direct answer to a question that must not be answered;
- refusal rate: share of must-not-answer questions on which the bot stays silent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import yaml

from bot.core.computed import LABEL_PREFIX as COMPUTED_PREFIX
from bot.core.errors import InvalidInput
from bot.core.faq.matcher import FaqMatcher, MatchResult

# Given a question, the kind of computed answer given to it ("dues", "probation-end", ...),
# or None when the question is left to the matcher.
ComputedAnswerer = Callable[[str], str | None]


@dataclass(frozen=True)
class EvalCase:
    """One question and the entry ids that answer it (empty: must not be answered)."""

    question: str
    expect: frozenset[str]
    kind: str | None = None  # colloquial, yesno, computed, offtopic (held-out file)

    @property
    def off_topic(self) -> bool:
        """Outside the base's subject: kind offtopic, or an unlabelled must-not-answer one."""
        return self.kind == "offtopic" or (self.kind is None and not self.expect)

    @property
    def computed(self) -> bool:
        """Whether the expected answer is computed (``computed:<kind>``) rather than an entry."""
        return any(i.startswith(COMPUTED_PREFIX) for i in self.expect)


@dataclass(frozen=True)
class EvalMiss:
    """A question the matcher did not get right, for the report."""

    case: EvalCase
    result: MatchResult
    computed: str | None = None  # the computed answer given instead (computed:<kind>)

    @property
    def got(self) -> str:
        """What the bot did: the computed label, the entry answered, or suggest/none."""
        if self.computed is not None:
            return self.computed
        return self.result.entry.id if self.result.entry else self.result.outcome


@dataclass(frozen=True)
class EvalReport:
    """The figures of one evaluation run (``skipped``: computed cases left out)."""

    answerable: int
    unanswerable: int
    top1: int
    direct: int
    wrong: int
    refused: int
    misses: tuple[EvalMiss, ...]
    skipped: int = 0
    off_topic: int = 0
    off_topic_answered: int = 0

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
        kind = item.get("kind")
        cases.append(EvalCase(item["q"], frozenset(ids), kind if isinstance(kind, str) else None))
    return cases


_NOT_ASKED = MatchResult("none")


def _first_id(result: MatchResult) -> str | None:
    if result.entry is not None:
        return result.entry.id
    return result.candidates[0][0].id if result.candidates else None


def evaluate(
    matcher: FaqMatcher, cases: list[EvalCase], computed: ComputedAnswerer | None = None
) -> EvalReport:
    """Run every case through the matcher and count.

    With ``computed``, every question goes to it first (as in the bot) and a computed answer
    counts as the answer ``computed:<kind>``; without it, computed cases are skipped.
    """
    if computed is None:
        skipped = sum(1 for case in cases if case.computed)
        cases = [case for case in cases if not case.computed]
    else:
        skipped = 0
    top1 = direct = wrong = refused = off_topic = off_topic_answered = 0
    misses: list[EvalMiss] = []
    for case in cases:
        kind = computed(case.question) if computed is not None else None
        label = None if kind is None else COMPUTED_PREFIX + kind
        # As in the bot, a computed answer is given instead of asking the matcher.
        result = _NOT_ASKED if label is not None else matcher.match(case.question)
        answered_id = result.entry.id if result.answered and result.entry else label
        first_id = _first_id(result) or label
        silent = result.outcome == "none" and label is None
        if case.off_topic:
            off_topic += 1
            off_topic_answered += answered_id is not None
        if not case.expect:
            refused += silent
            wrong += answered_id is not None
            if not silent:
                misses.append(EvalMiss(case, result, label))
            continue
        top1 += first_id in case.expect
        direct += answered_id in case.expect
        wrong += answered_id is not None and answered_id not in case.expect
        if answered_id not in case.expect:
            misses.append(EvalMiss(case, result, label))
    answerable = sum(1 for case in cases if case.expect)
    return EvalReport(
        answerable=answerable,
        unanswerable=len(cases) - answerable,
        top1=top1,
        direct=direct,
        wrong=wrong,
        refused=refused,
        misses=tuple(misses),
        skipped=skipped,
        off_topic=off_topic,
        off_topic_answered=off_topic_answered,
    )
