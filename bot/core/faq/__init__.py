"""Policy Q&A: match a member's question to an entry of the FAQ base, citing its source.

Pure code (no Telegram, no database). Build one ``FaqMatcher`` from the entries, then call
``match(question, org_ids=...)``; see matcher.py for how answers are chosen or withheld.
"""

from bot.core.faq.evaluation import EvalCase, EvalReport, evaluate, load_eval_cases
from bot.core.faq.kb import (
    FaqEntry,
    FaqFormatError,
    FaqIssue,
    dump_entries_yaml,
    load_entries_from_yaml,
    load_shipped_entries,
)
from bot.core.faq.matcher import FaqMatcher, MatchResult, is_question_like
from bot.core.faq.text import normalise
from bot.core.faq.tokenizer import analyse, get_tokenizer

__all__ = [
    "EvalCase",
    "EvalReport",
    "FaqEntry",
    "FaqFormatError",
    "FaqIssue",
    "FaqMatcher",
    "MatchResult",
    "analyse",
    "dump_entries_yaml",
    "evaluate",
    "get_tokenizer",
    "is_question_like",
    "load_entries_from_yaml",
    "load_eval_cases",
    "load_shipped_entries",
    "normalise",
]
