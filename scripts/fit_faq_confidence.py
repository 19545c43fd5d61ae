"""Fit the FAQ answer confidence (bot/core/faq/confidence.py) and write calibration.py.

Run:  .venv/bin/python scripts/fit_faq_confidence.py [--dry-run | --check]

Trains on the two tuned eval files only (tests/data/faq_eval.yaml, faq_heldout_questions.yaml):
every question that reaches the "is it clear enough" decision gives one sample (its signals,
and whether the best entry is an expected one; must-not-answer questions are negatives). The
model is an L2-regularised logistic regression fitted by Newton's method in pure Python. It
answers on top of the hand-set lead rule (matcher.clearly_ahead), never instead of it: the
threshold is the lowest probability at which each training file, answered as the bot does
(computed answers and word-for-word matches included), has no more wrong answers than with the
lead rule alone and no off-topic question answered. Blind sets 2 and 3 are scored with the
result and printed, never used to fit or choose.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.computed import kind_of  # noqa: E402
from bot.core.faq import FaqMatcher, load_eval_cases, load_shipped_entries  # noqa: E402
from bot.core.faq.confidence import FEATURES, features  # noqa: E402
from bot.core.faq.decision import Asked, contest  # noqa: E402
from bot.core.faq.evaluation import EvalCase  # noqa: E402
from bot.core.faq.matcher import clearly_ahead  # noqa: E402
from bot.core.faq.polar import PolarQuestion  # noqa: E402

DATA = ROOT / "tests" / "data"
TRAIN = ("faq_eval.yaml", "faq_heldout_questions.yaml")
VALIDATE = ("faq_heldout2_questions.yaml", "faq_heldout3_questions.yaml")
OUTPUT = ROOT / "bot" / "core" / "faq" / "calibration.py"
TODAY = date(2026, 12, 1)
L2 = 1.0
NEWTON_STEPS = 30


@dataclass
class Case:
    """One question as the bot handles it, up to the decision the model makes."""

    case: EvalCase
    fixed: str | None  # the id (or computed label) answered without the model, or None
    values: tuple[float, ...] | None  # the model's inputs, when it decides
    top: str | None  # the entry answered if the model says so
    ahead: bool = False  # the lead rule answers it anyway


class Recording(FaqMatcher):
    """The matcher, recording the decision instead of making it (it answers nothing)."""

    last: tuple[tuple[float, ...], str, bool] | None = None

    def _clear(
        self,
        top_id: int,
        top: float,
        rival_id: int | None,
        rival_score: float,
        asked: Asked,
        polar: PolarQuestion | None,
    ) -> bool:
        signals = contest(self.index, top_id, top, rival_id, rival_score, asked, polar)
        self.last = (features(signals), self.entries[top_id].id, clearly_ahead(top, rival_score))
        return False


def collect(matcher: Recording, name: str) -> list[Case]:
    """Run a file's questions and keep what the model needs."""
    out = []
    for case in load_eval_cases((DATA / name).read_text(encoding="utf-8")):
        kind = kind_of(case.question, TODAY)
        if kind is not None:
            out.append(Case(case, "computed:" + kind, None, None))
            continue
        matcher.last = None
        result = matcher.match(case.question)
        fixed = result.entry.id if result.answered and result.entry else None
        if matcher.last is None or fixed:
            out.append(Case(case, fixed, None, None))
        else:
            out.append(Case(case, fixed, *matcher.last))
    return out


def sigmoid(z: float) -> float:
    """The logistic function, safe for large |z|."""
    return 1 / (1 + math.exp(-z)) if z > -60 else 0.0


def solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting."""
    n = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for row in range(n):
            if row != col and a[col][col]:
                factor = a[row][col] / a[col][col]
                a[row] = [x - factor * y for x, y in zip(a[row], a[col], strict=True)]
    return [a[i][n] / a[i][i] for i in range(n)]


def fit(rows: list[tuple[float, ...]], labels: list[int]) -> tuple[float, list[float]]:
    """L2 logistic regression on standardised features; coefficients on the raw scale."""
    k = len(rows[0])
    means = [sum(r[j] for r in rows) / len(rows) for j in range(k)]
    scales = [
        math.sqrt(sum((r[j] - means[j]) ** 2 for r in rows) / len(rows)) or 1.0 for j in range(k)
    ]
    xs = [[1.0] + [(r[j] - means[j]) / scales[j] for j in range(k)] for r in rows]
    w = [0.0] * (k + 1)
    for _ in range(NEWTON_STEPS):
        grad = [L2 * w[j] if j else 0.0 for j in range(k + 1)]
        hess = [[(L2 if i == j and i else 0.0) for j in range(k + 1)] for i in range(k + 1)]
        for x, y in zip(xs, labels, strict=True):
            p = sigmoid(sum(a * b for a, b in zip(w, x, strict=True)))
            for i in range(k + 1):
                grad[i] += (p - y) * x[i]
                for j in range(k + 1):
                    hess[i][j] += p * (1 - p) * x[i] * x[j]
        step = solve(hess, grad)
        w = [a - b for a, b in zip(w, step, strict=True)]
    coefficients = [w[j + 1] / scales[j] for j in range(k)]
    intercept = w[0] - sum(c * m for c, m in zip(coefficients, means, strict=True))
    return intercept, coefficients


def score(
    cases: list[Case], intercept: float, coefs: list[float], threshold: float
) -> dict[str, float]:
    """Direct, wrong and off-topic answered, answering as the bot would with this model."""
    answerable = direct = wrong = off_topic = 0
    for c in cases:
        got = c.fixed
        if got is None and c.values is not None:
            z = intercept + sum(a * b for a, b in zip(coefs, c.values, strict=True))
            got = c.top if c.ahead or sigmoid(z) >= threshold else None
        answerable += bool(c.case.expect)
        direct += got is not None and got in c.case.expect
        wrong += got is not None and got not in c.case.expect
        off_topic += got is not None and c.case.off_topic
    return {
        "direct": direct / answerable,
        "wrong": wrong / len(cases),
        "off_topic": off_topic,
    }


def choose(sets: list[list[Case]], intercept: float, coefs: list[float]) -> float:
    """The lowest threshold adding no wrong answer to any training file, nor an off-topic one."""
    rule = [score(s, intercept, coefs, 1.01) for s in sets]
    for step in range(50, 100):
        threshold = step / 100
        figures = [score(s, intercept, coefs, threshold) for s in sets]
        if all(
            f["wrong"] <= r["wrong"] and f["off_topic"] == 0
            for f, r in zip(figures, rule, strict=True)
        ):
            return threshold
    return 1.01


def render(intercept: float, coefs: list[float], threshold: float) -> str:
    """The text of calibration.py."""
    lines = [
        '"""Fitted coefficients of the answer confidence (confidence.py).',
        "",
        "Generated by scripts/fit_faq_confidence.py; do not edit by hand, run the script again.",
        '"""',
        "",
        f"INTERCEPT = {intercept:.4f}",
        "COEFFICIENTS = (",
        *(f"    {c:.4f},  # {name}" for c, name in zip(coefs, FEATURES, strict=True)),
        ")",
        f"THRESHOLD = {threshold:.2f}",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    """Fit, choose the threshold, print the figures, write calibration.py."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dry-run", action="store_true", help="print, do not write")
    parser.add_argument("--check", action="store_true", help="fail if calibration.py differs")
    args = parser.parse_args()
    matcher = Recording(load_shipped_entries())
    train = [collect(matcher, name) for name in TRAIN]
    samples = [c for s in train for c in s if c.values is not None]
    rows = [c.values for c in samples if c.values is not None]
    labels = [int(c.top in c.case.expect) for c in samples]
    print(f"{len(rows)} samples, {sum(labels)} positive")
    intercept, coefs = fit(rows, labels)
    threshold = choose(train, intercept, coefs)
    for name, c in zip(FEATURES, coefs, strict=True):
        print(f"  {name:>14} {c:+.3f}")
    print(f"  {'intercept':>14} {intercept:+.3f}; threshold {threshold:.2f}")
    for name in (*TRAIN, *VALIDATE):
        cases = collect(matcher, name)
        for label, cut in (("lead rule", 1.01), ("with model", threshold)):
            f = score(cases, intercept, coefs, cut)
            print(
                f"{name} {label}: direct {f['direct']:.1%}, wrong {f['wrong']:.1%}, "
                f"off-topic {f['off_topic']}"
            )
    text = render(intercept, coefs, threshold)
    if args.check:
        sys.exit(0 if OUTPUT.read_text(encoding="utf-8") == text else 1)
    if not args.dry_run:
        OUTPUT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
