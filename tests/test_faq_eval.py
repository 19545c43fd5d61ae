"""The matcher on the held-out question set: fails below the quality the issue asks for."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core.computed import LABEL_PREFIX, compute_answer
from bot.core.faq import EvalReport, FaqMatcher, evaluate, load_eval_cases, load_shipped_entries

EVAL_FILE = Path(__file__).parent / "data" / "faq_eval.yaml"
MIN_TOP1 = 0.90
MAX_WRONG = 0.03
# Not in the issue, but a matcher that only ever suggested would pass the two bars above.
MIN_DIRECT = 0.65
MIN_REFUSAL = 0.85


@pytest.fixture(scope="module")
def report() -> EvalReport:
    cases = load_eval_cases(EVAL_FILE.read_text(encoding="utf-8"))
    today = date(2026, 12, 1)  # as the bot: computed answers first, then the matcher
    return evaluate(FaqMatcher(load_shipped_entries()), cases, lambda q: compute_answer(q, today))


def _misses(report: EvalReport) -> str:
    lines = []
    for miss in report.misses:
        lines.append(f"{miss.case.question}: want {sorted(miss.case.expect)}, got {miss.got}")
    return "\n".join(lines)


def test_eval_set_is_large_enough_and_has_off_topic_questions(report: EvalReport) -> None:
    total = report.answerable + report.unanswerable
    assert total >= 200
    assert report.unanswerable / total >= 0.20


def test_eval_set_names_only_existing_entries() -> None:
    ids = {entry.id for entry in load_shipped_entries()}
    cases = load_eval_cases(EVAL_FILE.read_text(encoding="utf-8"))
    named = {i for case in cases for i in case.expect if not i.startswith(LABEL_PREFIX)}
    unknown = named - ids
    assert not unknown


def test_top1_accuracy(report: EvalReport) -> None:
    assert report.top1_accuracy >= MIN_TOP1, _misses(report)


def test_wrong_answer_rate(report: EvalReport) -> None:
    assert report.wrong_rate <= MAX_WRONG, _misses(report)


def test_direct_answers_and_refusals(report: EvalReport) -> None:
    assert report.direct_accuracy >= MIN_DIRECT, _misses(report)
    assert report.refusal_rate >= MIN_REFUSAL, _misses(report)
