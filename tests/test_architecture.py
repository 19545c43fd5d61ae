"""The layer rules of README's Architecture section, checked on the source (ast), so that the
layering cannot regress quietly."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Layer -> (folder, import prefixes it must not use).
FORBIDDEN: dict[str, tuple[str, tuple[str, ...]]] = {
    "core": (
        "bot/core",
        (
            "telegram",
            "sqlalchemy",
            "storage",
            "bot.services",
            "bot.texts",
            "bot.app",
            "handlers",
            "schedules",
            "delivery",
        ),
    ),
    "services": ("bot/services", ("telegram", "handlers", "schedules", "delivery", "bot.app")),
    "handlers": ("handlers", ("sqlalchemy", "schedules", "bot.app")),
    "schedules": ("schedules", ("sqlalchemy", "handlers", "bot.app")),
    "delivery": ("delivery", ("sqlalchemy", "handlers", "schedules", "bot.app")),
    # The HTTP door reads through services (and bot.context's runtime), like a handler.
    "web": ("web", ("sqlalchemy", "handlers", "schedules", "delivery", "bot.app")),
}
# Handlers, schedules and the doors may see the records, never a repository or a session.
RECORDS_ONLY = ("handlers", "schedules", "delivery", "web")
MAX_HANDLER_LINES = 40


def imported_names(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Every module an import statement names (absolute imports), with its line."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno
            for alias in node.names:
                yield f"{node.module}.{alias.name}", node.lineno


def matches(name: str, prefix: str) -> bool:
    """`name` is the module `prefix` or inside it."""
    return name == prefix or name.startswith(prefix + ".")


def python_files(folder: str) -> list[Path]:
    """The package's modules."""
    return sorted((ROOT / folder).rglob("*.py"))


def violations(layer: str) -> list[str]:
    """Imports of the layer that break its rule, as `path:line imports name`."""
    folder, forbidden = FORBIDDEN[layer]
    found = []
    for path in python_files(folder):
        for name, line in imported_names(ast.parse(path.read_text(), str(path))):
            bad = any(matches(name, prefix) for prefix in forbidden)
            if layer in RECORDS_ONLY and matches(name, "storage"):
                bad = bad or not matches(name, "storage.records")
            if bad:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return sorted(set(found))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports(layer: str) -> None:
    assert violations(layer) == []


def test_only_the_entry_point_builds_the_application() -> None:
    importers = [
        str(path.relative_to(ROOT))
        for folder in ("bot", "handlers", "schedules", "storage", "delivery", "web")
        for path in python_files(folder)
        if any(matches(name, "bot.app") for name, _ in imported_names(ast.parse(path.read_text())))
    ]
    assert importers == ["bot/__main__.py"]


def test_handler_functions_are_short() -> None:
    long = []
    for path in python_files("handlers"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_HANDLER_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} {length}")
    assert long == []


@pytest.mark.parametrize(
    ("layer", "source", "expected"),
    [
        ("core", "from bot.texts import meetings", "imports bot.texts"),
        ("core", "import sqlalchemy", "imports sqlalchemy"),
        ("services", "from telegram import Bot", "imports telegram"),
        ("services", "from schedules.sweep import kick", "imports schedules.sweep"),
        ("handlers", "from storage.repositories import ChatRepo", "storage.repositories"),
        ("handlers", "from sqlalchemy.ext.asyncio import AsyncSession", "imports sqlalchemy"),
        ("handlers", "from schedules.sweep import kick", "imports schedules"),
        ("schedules", "from storage.repositories.meetings import SeriesRepo", "storage."),
        ("web", "from sqlalchemy import text", "imports sqlalchemy"),
        ("web", "from storage.db import Database", "imports storage.db"),
        ("web", "from delivery.sweep import Sweeper", "imports delivery"),
    ],
)
def test_the_rules_catch_what_they_forbid(
    layer: str, source: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each rule fails on the kind of import the first review found (no rule is vacuous)."""
    folder = FORBIDDEN[layer][0]
    (tmp_path / folder).mkdir(parents=True)
    (tmp_path / folder / "offender.py").write_text(source + "\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert any(expected in v for v in violations(layer)), violations(layer)
