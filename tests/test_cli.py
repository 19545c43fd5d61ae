"""`python -m bot` verbs, run in-process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.test_orgtree import GOOD


@pytest.fixture
def database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url


def test_orgs_import_is_idempotent_and_listed(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "orgs.yaml"
    tree.write_text(GOOD, encoding="utf-8")
    assert main(["orgs", "import", str(tree)]) == 0
    assert "4 created, 0 updated" in capsys.readouterr().out
    assert main(["orgs", "import", str(tree)]) == 0
    assert "0 created, 4 updated" in capsys.readouterr().out
    assert main(["orgs", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "城关镇党委（党委·机关） 群：未绑定群；党员 0 人",
        "  城关镇第一党支部（党支部·社区） 群：未绑定群；党员 0 人",
        "    第一党小组（党小组·社区） 群：未绑定群；党员 0 人",
        "  在外流动党员党支部（党支部·非公，流动党员） 群：未绑定群；党员 0 人",
    ]


def test_a_bad_tree_changes_nothing(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "orgs.yaml"
    tree.write_text(GOOD + "- name: 坏组织\n  kind: 连队\n  domain: 机关\n", encoding="utf-8")
    assert main(["orgs", "import", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "nothing changed" in err
    assert "第18行：“kind”不能是“连队”" in err
    assert main(["orgs", "list"]) == 0
    assert "No organisations yet" in capsys.readouterr().out


def test_missing_file(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["orgs", "import", "/nonexistent/orgs.yaml"]) == 1
    assert "Cannot read" in capsys.readouterr().err


def test_migrate(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_run_without_token_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main([]) == 2
    assert (
        capsys.readouterr()
        .err.strip()
        .startswith("Configuration error: TELEGRAM_BOT_TOKEN is not set")
    )


@pytest.mark.parametrize(
    "verb",
    [
        [],
        ["run"],
        ["migrate"],
        ["doctor"],
        ["orgs"],
        ["orgs", "import"],
        ["orgs", "list"],
        ["ledger"],
        ["ledger", "export"],
    ],
)
def test_every_verb_has_help(verb: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", *verb, "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("usage: python -m bot")
