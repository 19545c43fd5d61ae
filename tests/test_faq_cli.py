"""`faq ask|eval|check|export` through an argparse harness, as `python -m bot` dispatches."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from bot.cli import faq
from bot.core.faq import load_entries_from_yaml


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="python -m bot")
    faq.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json_prints_one_object_on_the_last_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "faq", "ask", "支委会多久开一次", "--json")
    assert code == 0
    data = json.loads(out.strip().splitlines()[-1])
    assert set(data) == {"answered", "answer", "source", "score", "candidates"}
    assert data["answered"] is True
    assert "每月" in data["answer"]
    assert data["source"].startswith("《")
    assert 0.0 < data["score"] <= 1.0
    assert 1 <= len(data["candidates"]) <= 3
    assert set(data["candidates"][0]) == {"question", "score"}


def test_ask_json_off_topic(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "faq", "ask", "今天天气怎么样", "--json")
    assert code == 0
    assert json.loads(out.strip().splitlines()[-1]) == {
        "answered": False,
        "answer": None,
        "source": None,
        "score": 0.0,
        "candidates": [],
    }


def test_ask_text_cites_the_source(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "faq", "ask", "预备期能延长吗")
    assert code == 0
    assert "（依据：《" in out


def test_ask_text_says_nothing_found(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "faq", "ask", "明天会下雨吗")
    assert out.startswith("抱歉")


def test_ask_text_about_the_branch_own_data(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "faq", "ask", "咱支部今年谁评上优秀党员了", "--today", "2026-12-01")
    assert out.strip() == faq.OWN_DATA


def test_eval_prints_the_three_figures(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "eval.yaml"
    path.write_text(
        '- q: "支委会多久开一次"\n  expect: branch-committee-meeting-frequency\n'
        '- q: "今天中午吃什么"\n  expect: null\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "faq", "eval", str(path))
    assert code == 0
    assert "top-1 accuracy: 100.0% (1/1)" in out
    assert "wrong-answer rate: 0.0% (0/2)" in out
    assert "off-topic refusal rate: 100.0% (1/1)" in out


def test_eval_unreadable_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "faq", "eval", str(tmp_path / "missing.yaml"))
    assert code == 1
    assert "无法读取评测文件" in err


def test_check_reports_line_numbers(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("entries:\n  - id: a\n    question: 问\n", encoding="utf-8")
    code, _, err = run(capsys, "faq", "check", str(path))
    assert code == 1
    assert "第2行：缺少“answer”" in err


def test_export_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "faq", "export")
    assert code == 0
    assert len(load_entries_from_yaml(out, filename="export.yaml")) >= 20


@pytest.mark.parametrize("verb", [[], ["ask"], ["eval"], ["check"], ["export"]])
def test_help_works_on_every_verb(capsys: pytest.CaptureFixture[str], verb: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot")
    faq.register(parser.add_subparsers())
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(["faq", *verb, "--help"])
    assert exit_info.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_faq_without_a_verb_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "faq")
    assert code == 2
    assert "usage:" in err
