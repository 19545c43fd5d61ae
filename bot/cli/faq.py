"""`faq ask|eval|check|export`: the FAQ matcher from the command line, on the shipped base."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The matcher (jieba, YAML) is imported by the sub-verbs that use it (bot/cli/checks.py says
# why).
if TYPE_CHECKING:
    from bot.core.computed import Computed
    from bot.core.faq import MatchResult

SUGGEST_PREFIX = "您是不是想问："
OWN_DATA = "这是本支部自己的情况，政策问答答不了，请问支部书记或在群里用 /meetings 查看。"
NO_ANSWER = "抱歉，问答库里没有找到这个问题的答案。可以换个说法再问，或请教支部书记。"


DEFAULT_TIMEZONE = "Asia/Shanghai"  # the bot's default (BOT_TIMEZONE)


def local_today(args: argparse.Namespace) -> date:
    """--today, else today in BOT_TIMEZONE (去年 and 党龄到今天 are read against it)."""
    if args.today is not None:
        return date.fromisoformat(args.today)
    try:
        zone = ZoneInfo(os.environ.get("BOT_TIMEZONE") or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(DEFAULT_TIMEZONE)
    return datetime.now(zone).date()


def computed_json(computed: Computed) -> dict[str, Any]:
    """A computed answer in the shape of `faq ask --json`: answered, with its source."""
    return {
        "answered": True,
        "answer": computed.answer,
        "source": computed.source,
        "score": 1.0,
        "candidates": [],
    }


def result_json(result: MatchResult) -> dict[str, Any]:
    """The JSON shape of `faq ask --json`."""
    entry = result.entry if result.answered else None
    return {
        "answered": result.answered,
        "answer": entry.answer if entry else None,
        "source": entry.source if entry else None,
        "score": result.score,
        "candidates": [{"question": e.question, "score": s} for e, s in result.candidates],
    }


def result_text(result: MatchResult) -> str:
    """A readable Chinese reply, as the bot would give it."""
    if result.answered and result.entry is not None:
        entry = result.entry
        return f"问：{entry.question}\n{entry.answer}\n（依据：{entry.source}）"
    if result.outcome == "suggest":
        lines = [f"{n}. {entry.question}" for n, (entry, _) in enumerate(result.candidates, 1)]
        return "\n".join([SUGGEST_PREFIX, *lines])
    return OWN_DATA if result.local else NO_ANSWER


def ask(args: argparse.Namespace) -> int:
    """Answer one question as the bot does (a computed answer first, else the shipped base)
    and print the reply."""
    from bot.core.computed import compute_answer
    from bot.core.faq import FaqMatcher, load_shipped_entries

    computed = compute_answer(args.question, local_today(args))
    if computed is not None:
        if args.json:
            print(json.dumps(computed_json(computed), ensure_ascii=False))
        else:
            print(f"{computed.answer}\n（依据：{computed.source}）")
        return 0
    result = FaqMatcher(load_shipped_entries()).match(args.question)
    if args.json:
        print(json.dumps(result_json(result), ensure_ascii=False))
    else:
        print(result_text(result))
    return 0


def run_eval(args: argparse.Namespace) -> int:
    """Score the matcher on an eval file and print the figures."""
    from bot.core.computed import kind_of
    from bot.core.errors import InvalidInput
    from bot.core.faq import FaqMatcher, evaluate, load_eval_cases, load_shipped_entries

    try:
        cases = load_eval_cases(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, InvalidInput) as exc:
        print(f"无法读取评测文件 {args.file}：{exc}", file=sys.stderr)
        return 1
    today = local_today(args)
    report = evaluate(FaqMatcher(load_shipped_entries()), cases, lambda q: kind_of(q, today))
    if args.verbose:
        for miss in report.misses:
            top = ", ".join(f"{e.id}:{s}" for e, s in miss.result.candidates)
            want = "/".join(sorted(miss.case.expect)) or "null"
            print(f"{miss.case.question}  want={want}  got={miss.got}  [{top}]")
    print(f"问题数：{report.answerable} 个可回答，{report.unanswerable} 个不应回答")
    if report.skipped:
        print(f"跳过 {report.skipped} 个需要计算的问题（computed:*，未接入计算回答）")
    print(f"top-1 accuracy: {report.top1_accuracy:.1%} ({report.top1}/{report.answerable})")
    print(f"direct accuracy: {report.direct_accuracy:.1%} ({report.direct}/{report.answerable})")
    total = report.answerable + report.unanswerable
    print(f"wrong-answer rate: {report.wrong_rate:.1%} ({report.wrong}/{total})")
    refused = f"{report.refused}/{report.unanswerable}"
    print(f"off-topic refusal rate: {report.refusal_rate:.1%} ({refused})")
    print(f"off-topic answered: {report.off_topic_answered}/{report.off_topic}")
    return 0


def check(args: argparse.Namespace) -> int:
    """Validate base files; print every problem with its line number."""
    from bot.core.faq import FaqFormatError, load_entries_from_yaml

    status = 0
    for name in args.files:
        path = Path(name)
        try:
            entries = load_entries_from_yaml(path.read_text(encoding="utf-8"), filename=path.name)
        except FaqFormatError as exc:
            print(exc, file=sys.stderr)
            status = 1
        except (OSError, UnicodeDecodeError) as exc:
            print(f"无法读取 {path}：{exc}", file=sys.stderr)
            status = 1
        else:
            print(f"{path.name}：{len(entries)} 条，格式正确")
    return status


def export(_args: argparse.Namespace) -> int:
    """Print the shipped base as one YAML file."""
    from bot.core.faq import dump_entries_yaml, load_shipped_entries

    sys.stdout.write(dump_entries_yaml(load_shipped_entries()))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `faq` verb and its sub-verbs to the top-level parser."""
    faq = subparsers.add_parser("faq", help="政策问答：提问、评测、检查问答库")
    faq.set_defaults(func=lambda _args: _usage(faq))
    verbs = faq.add_subparsers(title="faq verbs", metavar="{ask,eval,check,export}")

    ask_parser = verbs.add_parser("ask", help="用内置问答库回答一个问题")
    ask_parser.add_argument("question", help="问题，例如“支委会多久开一次”")
    ask_parser.add_argument("--json", action="store_true", help="最后一行输出一个 JSON 对象")
    ask_parser.add_argument("--today", help="按这一天计算日期类问题（YYYY-MM-DD），默认今天")
    ask_parser.set_defaults(func=ask)

    eval_parser = verbs.add_parser("eval", help="在评测集上计算准确率、错答率和拒答率")
    eval_parser.add_argument("file", help="评测文件，例如 tests/data/faq_eval.yaml")
    eval_parser.add_argument("-v", "--verbose", action="store_true", help="列出答错的问题")
    eval_parser.add_argument("--today", help="按这一天计算日期类问题（YYYY-MM-DD），默认今天")
    eval_parser.set_defaults(func=run_eval)

    check_parser = verbs.add_parser("check", help="检查问答库 YAML 文件的格式")
    check_parser.add_argument("files", nargs="+", help="一个或多个 YAML 文件")
    check_parser.set_defaults(func=check)

    export_parser = verbs.add_parser("export", help="把内置问答库导出为一个 YAML 文件")
    export_parser.set_defaults(func=export)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2
