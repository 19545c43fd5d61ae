"""Deployment files: Dockerfile, compose.yaml, .env.example and README agree with the code.

Docker cannot run on the development machine, so these are static checks: the commands the
container runs parse with our CLI, compose wires the bot to a healthy PostgreSQL with a
volume, and every setting is documented.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import build_parser
from bot.cli.health import health
from bot.cli.run import run_bot
from bot.config import Settings, check_database_url

ROOT = Path(__file__).resolve().parent.parent


def instruction(name: str) -> str:
    """The argument of the one Dockerfile instruction called `name` (continuations joined)."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    found = re.findall(rf"^{name}\s+(.*)$", text, flags=re.MULTILINE)
    assert len(found) == 1, f"expected one {name}, found {found}"
    return str(found[0])


def exec_form(argument: str) -> list[str]:
    """The JSON array at the end of CMD / HEALTHCHECK ... CMD."""
    command = json.loads(argument[argument.index("[") :])
    assert isinstance(command, list)
    return [str(part) for part in command]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_image_runs_the_bot_as_a_non_root_user() -> None:
    assert instruction("FROM") == "python:3.11-slim"
    assert instruction("USER") not in {"root", "0"}
    command = exec_form(instruction("CMD"))
    assert command[:3] == ["python", "-m", "bot"]
    assert build_parser().parse_args(command[3:]).func is run_bot


def test_healthcheck_asks_the_running_bot() -> None:
    command = exec_form(instruction("HEALTHCHECK"))
    assert command[:3] == ["python", "-m", "bot"]
    assert build_parser().parse_args(command[3:]).func is health


def test_image_has_every_package_and_opens_the_door() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    copied = set(re.findall(r"^COPY (\w+) \./\1$", text, flags=re.MULTILINE))
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found = packages["tool"]["setuptools"]["packages"]["find"]["include"]
    assert copied == {pattern.rstrip("*") for pattern in found}
    assert re.search(r"^ENV WEB_HOST=0\.0\.0\.0$", text, flags=re.MULTILINE)
    assert instruction("EXPOSE") == str(Settings.model_fields["web_port"].default)


def test_compose_publishes_the_door_on_loopback_only(compose: dict[str, Any]) -> None:
    bot = compose["services"]["bot"]
    assert bot["environment"]["WEB_HOST"] == "0.0.0.0"
    [published] = bot["ports"]
    assert published == "127.0.0.1:${WEB_PORT:-8080}:${WEB_PORT:-8080}"


def test_secrets_stay_out_of_the_image() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert {".env", ".venv", "data/"} <= set(ignored)


def test_compose_runs_the_bot_on_a_healthy_postgres(compose: dict[str, Any]) -> None:
    db, bot = compose["services"]["db"], compose["services"]["bot"]
    assert db["image"] == "postgres:16"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")
    assert volume[1] == "/var/lib/postgresql/data"
    assert volume[0] in compose["volumes"]
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["env_file"] == ".env"
    url = bot["environment"]["DATABASE_URL"].replace("${POSTGRES_PASSWORD}", "pw")
    check_database_url(url)
    env = db["environment"]
    assert url == f"postgresql+asyncpg://{env['POSTGRES_USER']}:pw@db:5432/{env['POSTGRES_DB']}"


def test_every_setting_is_commented_in_env_example_and_in_the_readme() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for field in Settings.model_fields:
        variable = field.upper()
        at = next(
            (n for n, line in enumerate(example) if re.match(rf"#? ?{variable}=", line)), None
        )
        assert at is not None, f"{variable} is missing from .env.example"
        assert example[at - 1].startswith("#"), f"{variable} has no comment in .env.example"
        assert f"| `{variable}` |" in readme, f"{variable} is missing from README's table"
