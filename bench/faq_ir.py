"""Instructions spent on the questions of the FAQ benchmark: a figure the shared machine does
not blur (CPU-time percentiles move by 30 % between runs while other work runs).

Build the 5,000-entry synthetic base once, natively, then count the instructions of one pass
over the questions of bench/faq.py (computed answerer, then the matcher) under callgrind,
collecting only inside functools.reduce (the loop), so neither jieba's start-up nor the
unpickling counts:

    .venv/bin/python bench/faq_ir.py build /tmp/faq5000.pkl
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=functools_reduce \\
        --callgrind-out-file=/tmp/faq.cg .venv/bin/python bench/faq_ir.py run /tmp/faq5000.pkl

(about 2.5 minutes; the figure is the "Collected" line).
"""

from __future__ import annotations

import functools
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from faq import EVAL_FILE, HELDOUT_FILE, LARGE, TODAY, synthetic_entries  # noqa: E402

from bot.core.computed import compute_answer  # noqa: E402
from bot.core.faq import FaqMatcher, get_tokenizer, load_eval_cases  # noqa: E402


def main() -> int:
    """Build (``build PATH``) or run the questions once (``run PATH``)."""
    action, path = sys.argv[1], Path(sys.argv[2])
    if action == "build":
        path.write_bytes(pickle.dumps(FaqMatcher(synthetic_entries(LARGE))))
        return 0
    questions = [
        case.question
        for source in (EVAL_FILE, HELDOUT_FILE)
        for case in load_eval_cases(source.read_text(encoding="utf-8"))
    ]
    matcher: FaqMatcher = pickle.loads(path.read_bytes())
    get_tokenizer()

    def ask(_: None, question: str) -> None:
        if compute_answer(question, TODAY) is None:
            matcher.match(question)

    ask(None, questions[0])  # first-use imports and caches outside the count
    functools.reduce(ask, questions, None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
